//go:build weaviate_knowledge

package knowledgetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func serversDir() string {
	if d := os.Getenv("WVLINT_WEAVIATE_DIR"); d != "" {
		return d
	}
	d, err := os.UserCacheDir()
	if err != nil {
		d = filepath.Join(os.Getenv("HOME"), ".cache")
	}
	return filepath.Join(d, "wvlint", "weaviate")
}

func binary(t *testing.T, version string) string {
	t.Helper()
	p := filepath.Join(serversDir(), "v"+version, "weaviate-server")
	if st, err := os.Stat(p); err != nil || st.Mode()&0o111 == 0 {
		t.Fatalf("weaviate-server %s is not built (%s): run `make knowledge-test`", version, p)
	}
	return p
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// server is one single-node weaviate-server process on a data directory.
type server struct {
	version, data, log string
	http               int
	cmd                *exec.Cmd
	done               chan struct{}
}

// override replaces or adds the variables of env in list ("K=V"); an
// empty value removes the variable.
func override(list []string, env map[string]string) []string {
	var out []string
	for _, kv := range list {
		k, _, _ := strings.Cut(kv, "=")
		if _, ok := env[k]; !ok {
			out = append(out, kv)
		}
	}
	for k, v := range env {
		if v != "" {
			out = append(out, k+"="+v)
		}
	}
	return out
}

func choosePorts(t *testing.T) {
	ports = map[string]int{}
	for _, k := range []string{"http", "gossip", "data", "raft", "raftrpc", "grpc", "metrics", "profiling"} {
		ports[k] = freePort(t)
	}
}

// exited waits until the server exits, or the time is up.
func (s *server) exited(within time.Duration) bool {
	select {
	case <-s.done:
		return true
	case <-time.After(within):
		return false
	}
}

// ports are the same for every start, one server at a time: the Raft
// state in a data directory remembers the node's address.
var ports map[string]int

func start(t *testing.T, version, data string) *server { return startWith(t, version, data, nil) }

// startWith starts a server with env overriding the defaults below
// ("CLUSTER_HOSTNAME": "node2"; an empty value unsets the variable).
func startWith(t *testing.T, version, data string, env map[string]string) *server {
	t.Helper()
	if ports == nil {
		choosePorts(t)
	}
	p := ports
	s := &server{version: version, data: data, log: filepath.Join(t.TempDir(), "weaviate-"+version+".log"), http: p["http"]}
	logf, err := os.Create(s.log)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(binary(t, version), "--scheme", "http", "--host", "127.0.0.1", "--port", fmt.Sprint(s.http))
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "TMPDIR=" + os.TempDir(),
		// The same node name and Raft address every start: the data
		// directory's Raft state expects them.
		// No CLUSTER_IN_LOCALHOST: with it the server takes a node's RPC
		// port to be its Raft port + 1 (cluster/resolver/rpc.go), not
		// RAFT_INTERNAL_RPC_PORT.
		"CLUSTER_HOSTNAME=node1",
		// Without these the server may pick an IPv6 address and fail.
		"CLUSTER_ADVERTISE_ADDR=127.0.0.1", "CLUSTER_BIND_ADDR=127.0.0.1",
		fmt.Sprintf("CLUSTER_GOSSIP_BIND_PORT=%d", p["gossip"]),
		fmt.Sprintf("CLUSTER_DATA_BIND_PORT=%d", p["data"]),
		fmt.Sprintf("RAFT_PORT=%d", p["raft"]),
		fmt.Sprintf("RAFT_INTERNAL_RPC_PORT=%d", p["raftrpc"]),
		"RAFT_BOOTSTRAP_EXPECT=1",
		fmt.Sprintf("GRPC_PORT=%d", p["grpc"]),
		fmt.Sprintf("PROMETHEUS_MONITORING_PORT=%d", p["metrics"]),
		fmt.Sprintf("GO_PROFILING_PORT=%d", p["profiling"]),
		"PERSISTENCE_DATA_PATH=" + data,
		"DEFAULT_VECTORIZER_MODULE=none",
		"AUTHENTICATION_ANONYMOUS_ACCESS_ENABLED=true",
		"DISABLE_TELEMETRY=true",
		"LOG_LEVEL=info",
	}
	cmd.Env = override(cmd.Env, env)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", version, err)
	}
	s.cmd, s.done = cmd, make(chan struct{})
	go func() { _ = cmd.Wait(); logf.Close(); close(s.done) }()
	t.Cleanup(s.stop)
	return s
}

func (s *server) url(path string) string { return fmt.Sprintf("http://127.0.0.1:%d%s", s.http, path) }

// ready waits until the server answers ready, or exits, or the time is up.
func (s *server) ready(within time.Duration) error {
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		select {
		case <-s.done:
			return fmt.Errorf("weaviate-server %s exited", s.version)
		default:
		}
		resp, err := http.Get(s.url("/v1/.well-known/ready"))
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(500 * time.Millisecond)
	}
	return fmt.Errorf("weaviate-server %s not ready after %s", s.version, within)
}

func (s *server) stop() {
	select {
	case <-s.done:
		return
	default:
	}
	_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(30 * time.Second):
		_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
		<-s.done
	}
}

func (s *server) logText(t *testing.T) string {
	b, err := os.ReadFile(s.log)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func (s *server) call(method, path string, body any, out any) error {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.url(path), r)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Timeout: 60 * time.Second}).Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, b)
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}

func (s *server) graphql(query string, out any) error {
	var resp struct {
		Data   json.RawMessage `json:"data"`
		Errors []struct {
			Message string `json:"message"`
		} `json:"errors"`
	}
	if err := s.call("POST", "/v1/graphql", map[string]string{"query": query}, &resp); err != nil {
		return err
	}
	if len(resp.Errors) > 0 {
		return fmt.Errorf("graphql: %s", resp.Errors[0].Message)
	}
	return json.Unmarshal(resp.Data, out)
}

func (s *server) count() (int, error) {
	var out struct {
		Aggregate map[string][]struct {
			Meta struct {
				Count int `json:"count"`
			} `json:"meta"`
		} `json:"Aggregate"`
	}
	if err := s.graphql(fmt.Sprintf("{Aggregate{%s{meta{count}}}}", class), &out); err != nil {
		return 0, err
	}
	if rows := out.Aggregate[class]; len(rows) == 1 {
		return rows[0].Meta.Count, nil
	}
	return 0, fmt.Errorf("aggregate: no row")
}

func (s *server) nearest(v []float32) (string, error) {
	parts := make([]string, len(v))
	for i, x := range v {
		parts[i] = fmt.Sprintf("%g", x)
	}
	var out struct {
		Get map[string][]struct {
			Additional struct {
				ID string `json:"id"`
			} `json:"_additional"`
		} `json:"Get"`
	}
	q := fmt.Sprintf("{Get{%s(nearVector:{vector:[%s]},limit:1){_additional{id}}}}", class, strings.Join(parts, ","))
	if err := s.graphql(q, &out); err != nil {
		return "", err
	}
	if rows := out.Get[class]; len(rows) == 1 {
		return rows[0].Additional.ID, nil
	}
	return "", fmt.Errorf("nearVector: %d results", len(out.Get[class]))
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func grepLines(s string, words ...string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		low := strings.ToLower(l)
		for _, w := range words {
			if strings.Contains(low, w) {
				out = append(out, l)
				break
			}
		}
	}
	if len(out) > 40 {
		out = out[:40]
	}
	return strings.Join(out, "\n")
}
