//go:build unix

package weaviatetest

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// T is what the helpers need of a test: testing.TB has it, and a
// testscript command can adapt to it.
type T interface {
	Helper()
	Fatalf(format string, args ...any)
	Logf(format string, args ...any)
	TempDir() string
	Cleanup(func())
	Failed() bool
}

// Versions the tests use; .ci/weaviate-server.sh builds them (make servers).
const (
	Old = "1.35.2"
	New = "1.36.23"
)

// Dir is where the built servers are: $WVLINT_WEAVIATE_DIR, else
// $XDG_CACHE_HOME/wvlint/weaviate (~/.cache/wvlint/weaviate).
func Dir() string {
	if d := os.Getenv("WVLINT_WEAVIATE_DIR"); d != "" {
		return d
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "wvlint", "weaviate")
	}
	return filepath.Join(os.Getenv("HOME"), ".cache", "wvlint", "weaviate")
}

// Binary is the path of the weaviate-server of version; it fails t when the
// binary is not built.
func Binary(t T, version string) string {
	t.Helper()
	p := filepath.Join(Dir(), "v"+version, "weaviate-server")
	if st, err := os.Stat(p); err != nil || st.Mode()&0o111 == 0 {
		t.Fatalf("the real Weaviate server %s is not built (%s is missing): run `make servers` or `.ci/weaviate-server.sh %s` (15-20 minutes the first time); these tests do not skip", version, p, version)
	}
	return p
}

// Options configure the nodes.
type Options struct {
	// Env is added to every node's environment ("ENABLE_MODULES=backup-s3").
	Env []string
	// Key is the API key the helpers' own requests send, when the Env
	// turns API keys on.
	Key string
	// Filesystem enables backup-filesystem with a temp directory (single
	// node only: the server refuses it on a cluster).
	Filesystem bool
}

// Node is one server process.
type Node struct {
	Name    string
	Version string
	HTTP    int // the REST port
	ports   map[string]int
	dataDir string
	Backups string // BACKUP_FILESYSTEM_PATH, "" when not enabled
	logPath string
	env     []string

	mu      sync.Mutex
	cmd     *exec.Cmd
	done    chan struct{}
	cleanup bool // the stop is registered with the test that started it
}

// URL is the node's REST base URL.
func (n *Node) URL() string { return fmt.Sprintf("http://127.0.0.1:%d", n.HTTP) }

// Cluster is a set of nodes started together.
type Cluster struct {
	t     T
	key   string
	Nodes []*Node
}

// URL is the first node's URL.
func (c *Cluster) URL() string { return c.Nodes[0].URL() }

// handedOut holds every port this process has handed out: the kernel
// knows nothing of a port that was probed and closed, so without it a
// later probe could return a port a stopped node will take again (or
// the second port of a pair).
var handedOut = struct {
	sync.Mutex
	ports map[int]bool
}{ports: map[int]bool{}}

// FreePort asks the kernel for a free loopback TCP port that this process
// has not handed out before.
func FreePort(t T) int {
	t.Helper()
	for range 100 {
		p := probe(t)
		if reserve(p) {
			return p
		}
	}
	t.Fatalf("no free loopback port that was not handed out before")
	return 0
}

func probe(t T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("%v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// reserve records ports as handed out; false when one already was.
func reserve(ports ...int) bool {
	handedOut.Lock()
	defer handedOut.Unlock()
	for _, p := range ports {
		if handedOut.ports[p] {
			return false
		}
	}
	for _, p := range ports {
		handedOut.ports[p] = true
	}
	return true
}

// freePair finds two free consecutive loopback ports.
func freePair(t T) (int, int) {
	t.Helper()
	for range 50 {
		p := probe(t)
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p+1))
		if err != nil {
			continue
		}
		l.Close()
		if reserve(p, p+1) {
			return p, p + 1
		}
	}
	t.Fatalf("no two free consecutive ports")
	return 0, 0
}

// Start starts n nodes of version and waits until every one is ready and
// the cluster reports n HEALTHY nodes with synchronized metadata.
func Start(t T, version string, n int, opt Options) *Cluster {
	t.Helper()
	bin := Binary(t, version)
	c := &Cluster{t: t, key: opt.Key}
	names := make([]string, n)
	for i := range n {
		names[i] = fmt.Sprintf("weaviate-%d", i)
		if n == 1 {
			names[i] = "node1"
		}
	}
	for i := range n {
		node := &Node{Name: names[i], Version: version, ports: map[string]int{}, dataDir: t.TempDir()}
		// On loopback the server takes a peer's Raft RPC port to be its
		// Raft port + 1 (cluster/resolver/rpc.go), and its data port to be
		// its gossip port + 1 when the metadata lacks it: pairs.
		node.ports["gossip"], node.ports["data"] = freePair(t)
		node.ports["raft"], node.ports["raftrpc"] = freePair(t)
		for _, k := range []string{"grpc", "metrics", "profiling", "http"} {
			node.ports[k] = FreePort(t)
		}
		node.HTTP = node.ports["http"]
		node.logPath = filepath.Join(t.TempDir(), node.Name+".log")
		if opt.Filesystem {
			node.Backups = t.TempDir()
		}
		c.Nodes = append(c.Nodes, node)
	}
	var join []string
	for _, node := range c.Nodes {
		join = append(join, fmt.Sprintf("%s:%d", node.Name, node.ports["raft"]))
	}
	for i, node := range c.Nodes {
		env := []string{
			"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "TMPDIR=" + os.TempDir(),
			"CLUSTER_HOSTNAME=" + node.Name, "CLUSTER_IN_LOCALHOST=true",
			// Without these the server may pick an IPv6 address and fail
			// ("too many colons in address"): knowledge.md section 10.
			"CLUSTER_ADVERTISE_ADDR=127.0.0.1", "CLUSTER_BIND_ADDR=127.0.0.1",
			fmt.Sprintf("CLUSTER_GOSSIP_BIND_PORT=%d", node.ports["gossip"]),
			fmt.Sprintf("CLUSTER_DATA_BIND_PORT=%d", node.ports["data"]),
			fmt.Sprintf("RAFT_PORT=%d", node.ports["raft"]),
			fmt.Sprintf("RAFT_INTERNAL_RPC_PORT=%d", node.ports["raftrpc"]),
			fmt.Sprintf("GRPC_PORT=%d", node.ports["grpc"]),
			fmt.Sprintf("PROMETHEUS_MONITORING_PORT=%d", node.ports["metrics"]),
			fmt.Sprintf("GO_PROFILING_PORT=%d", node.ports["profiling"]),
			"RAFT_JOIN=" + strings.Join(join, ","),
			fmt.Sprintf("RAFT_BOOTSTRAP_EXPECT=%d", n),
			"PERSISTENCE_DATA_PATH=" + node.dataDir,
			"DEFAULT_VECTORIZER_MODULE=none",
			"AUTHENTICATION_ANONYMOUS_ACCESS_ENABLED=true",
			"DISABLE_TELEMETRY=true",
			"QUERY_DEFAULTS_LIMIT=25",
			"LOG_LEVEL=info",
		}
		if i > 0 {
			env = append(env, fmt.Sprintf("CLUSTER_JOIN=localhost:%d", c.Nodes[0].ports["gossip"]))
		}
		if opt.Filesystem {
			env = append(env, "ENABLE_MODULES=backup-filesystem", "BACKUP_FILESYSTEM_PATH="+node.Backups)
		}
		env = append(env, opt.Env...)
		node.env = env
		node.start(t, bin)
		// A node that starts before node 0 listens fails to join: start
		// them apart, each after the previous one is live (ready needs a
		// Raft leader, which needs the others).
		waitFor(t, node, "live", 90*time.Second)
	}
	for _, node := range c.Nodes {
		waitFor(t, node, "ready", 120*time.Second)
	}
	c.WaitHealthy(120 * time.Second)
	return c
}

func (n *Node) start(t T, bin string) {
	t.Helper()
	log, err := os.OpenFile(n.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatalf("%v", err)
	}
	cmd := exec.Command(bin, "--scheme", "http", "--host", "127.0.0.1", "--port", fmt.Sprint(n.HTTP))
	cmd.Env = n.env
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = procAttr()
	if err := cmd.Start(); err != nil {
		log.Close()
		t.Fatalf("start %s: %v", n.Name, err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); log.Close(); close(done) }()
	n.mu.Lock()
	n.cmd, n.done = cmd, done
	first := !n.cleanup
	n.cleanup = true
	n.mu.Unlock()
	if !first {
		return // a restart: the first start's cleanup stops it
	}
	t.Cleanup(func() {
		n.Stop()
		if t.Failed() {
			t.Logf("last lines of %s's log (%s):\n%s", n.Name, n.logPath, tail(n.logPath, 15))
		}
	})
}

// Stop stops the node's process group (SIGTERM, then SIGKILL after 20s)
// and waits until it has exited. Stopping a stopped node does nothing.
func (n *Node) Stop() {
	n.mu.Lock()
	cmd, done := n.cmd, n.done
	n.cmd = nil
	n.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-done
	}
}

// Restart starts the node again on the same data and ports, with the
// server of version (a rolling upgrade step), and waits until it answers
// ready.
func (n *Node) Restart(t T, version string) {
	t.Helper()
	n.Stop()
	bin := Binary(t, version)
	n.Version = version
	n.start(t, bin)
	waitFor(t, n, "ready", 120*time.Second)
}

// StartAgain starts a stopped node on the same binary version without
// waiting for it.
func (n *Node) StartAgain(t T) {
	t.Helper()
	n.start(t, Binary(t, n.Version))
}

// Running reports whether the node's process runs.
func (n *Node) Running() bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.cmd != nil
}

// waitFor waits until the node answers 200 on /v1/.well-known/<what>
// ("live": the REST API listens; "ready": it serves).
func waitFor(t T, n *Node, what string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		n.mu.Lock()
		done := n.done
		n.mu.Unlock()
		select {
		case <-done:
			t.Fatalf("%s (%s) exited while starting; its log:\n%s", n.Name, n.Version, tail(n.logPath, 30))
		default:
		}
		resp, err := http.Get(n.URL() + "/v1/.well-known/" + what)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(300 * time.Millisecond)
	}
	t.Fatalf("%s (%s) not %s after %s; its log:\n%s", n.Name, n.Version, what, timeout, tail(n.logPath, 30))
}

// WaitHealthy waits until the first running node reports every running
// node HEALTHY on the version it was started with, with synchronized
// metadata.
func (c *Cluster) WaitHealthy(timeout time.Duration) {
	c.t.Helper()
	versions := map[string]string{}
	var url string
	for _, n := range c.Nodes {
		if n.Running() {
			versions[n.Name] = n.Version
			if url == "" {
				url = n.URL()
			}
		}
	}
	deadline := time.Now().Add(timeout)
	var last string
	for time.Now().Before(deadline) {
		last = healthy(url, c.key, versions)
		if last == "" {
			return
		}
		time.Sleep(500 * time.Millisecond)
	}
	c.t.Fatalf("the cluster is not healthy after %s: %s", timeout, last)
}

// healthy returns "" when url reports the nodes HEALTHY on their versions
// and synchronized metadata, else what is wrong.
func healthy(url, key string, versions map[string]string) string {
	want := len(versions)
	var nodes struct {
		Nodes []struct{ Name, Status, Version string }
	}
	if err := GetJSON(url+"/v1/nodes", key, &nodes); err != nil {
		return err.Error()
	}
	if len(nodes.Nodes) != want {
		return fmt.Sprintf("%d of %d nodes listed", len(nodes.Nodes), want)
	}
	for _, n := range nodes.Nodes {
		if n.Status != "HEALTHY" || n.Version != versions[n.Name] {
			return fmt.Sprintf("node %s is %s on %s", n.Name, n.Status, n.Version)
		}
	}
	var stats struct {
		Statistics   []json.RawMessage
		Synchronized bool
	}
	if err := GetJSON(url+"/v1/cluster/statistics", key, &stats); err != nil {
		return err.Error()
	}
	if len(stats.Statistics) != want || !stats.Synchronized {
		return fmt.Sprintf("statistics: %d entries, synchronized %v", len(stats.Statistics), stats.Synchronized)
	}
	return ""
}

var client = &http.Client{Timeout: 30 * time.Second}

// GetJSON reads url into v, with a bearer token when key is not empty.
func GetJSON(url, key string, v any) error {
	return Do(http.MethodGet, url, key, nil, v)
}

// Do sends a JSON request (body may be nil) and decodes a 2xx answer into v
// (v may be nil).
func Do(method, url, key string, body any, v any) error {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var rd *strings.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = strings.NewReader(string(b))
	} else {
		rd = strings.NewReader("")
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var raw json.RawMessage
	dec := json.NewDecoder(resp.Body)
	if err := dec.Decode(&raw); err != nil && resp.ContentLength != 0 {
		if resp.StatusCode/100 != 2 {
			return fmt.Errorf("%s %s: HTTP %d", method, url, resp.StatusCode)
		}
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: HTTP %d: %s", method, url, resp.StatusCode, raw)
	}
	if v != nil && len(raw) > 0 {
		return json.Unmarshal(raw, v)
	}
	return nil
}

// Backup takes a backup through the API and waits for SUCCESS.
func Backup(t T, url, key, backend, id string) {
	t.Helper()
	if err := Do(http.MethodPost, url+"/v1/backups/"+backend, key, map[string]any{"id": id}, nil); err != nil {
		t.Fatalf("create backup %s: %v", id, err)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		var st struct{ Status, Error string }
		if err := GetJSON(url+"/v1/backups/"+backend+"/"+id, key, &st); err != nil {
			t.Fatalf("backup status: %v", err)
		}
		switch st.Status {
		case "SUCCESS":
			return
		case "FAILED", "CANCELED":
			t.Fatalf("backup %s: %s %s", id, st.Status, st.Error)
		}
		time.Sleep(300 * time.Millisecond)
	}
	t.Fatalf("backup %s did not finish", id)
}

// AddObjects creates class Article (replication factor rf) with n objects.
func AddObjects(t T, url, key string, rf, n int) {
	t.Helper()
	class := map[string]any{
		"class": "Article", "vectorizer": "none",
		"replicationConfig": map[string]any{"factor": rf},
		"properties":        []map[string]any{{"name": "title", "dataType": []string{"text"}}},
	}
	if err := Do(http.MethodPost, url+"/v1/schema", key, class, nil); err != nil {
		t.Fatalf("create class: %v", err)
	}
	var objs []map[string]any
	for i := range n {
		objs = append(objs, map[string]any{"class": "Article", "properties": map[string]any{"title": fmt.Sprintf("article %d", i)},
			"vector": []float32{float32(i), 1, 0.5}})
	}
	var res []struct {
		Result struct {
			Errors any `json:"errors"`
		} `json:"result"`
	}
	// ALL: the batch returns once every replica holds the objects, so a
	// count read from any node right after sees all of them (with the
	// default QUORUM one replica may lag behind; CI saw 17 of 20).
	if err := Do(http.MethodPost, url+"/v1/batch/objects?consistency_level=ALL", key, map[string]any{"objects": objs}, &res); err != nil {
		t.Fatalf("add objects: %v", err)
	}
	for _, r := range res {
		if r.Result.Errors != nil {
			t.Fatalf("add objects: %v", r.Result.Errors)
		}
	}
}

// WaitObjects counts the objects of class Article until there are want of
// them or timeout passes, and returns the last count. A node that has just
// restarted may still be loading its shards, and replication is
// asynchronous under load: a count taken once would be flaky.
func WaitObjects(t T, url string, want int, timeout time.Duration) int {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		n := CountObjects(t, url)
		if n == want || time.Now().After(deadline) {
			return n
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// CountObjects counts the objects of class Article.
func CountObjects(t T, url string) int {
	t.Helper()
	var res struct {
		Objects []struct{ ID string } `json:"objects"`
	}
	if err := GetJSON(url+"/v1/objects?class=Article&limit=1000", "", &res); err != nil {
		t.Fatalf("list objects: %v", err)
	}
	return len(res.Objects)
}

func tail(path string, n int) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
