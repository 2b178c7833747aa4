//go:build weaviate_downgrade

package downgradetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
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

const (
	from    = "1.39.0"
	objects = 2000
	dims    = 32
	class   = "Doc"
)

// The versions started on 1.39.0's data and whether they carry the
// read-back (weaviate/weaviate commit 3c3849dfbf, migrate_compact_v2_snapshot:
// v1.35.17+, v1.36.10+, every 1.37 and 1.38; not v1.36.9 or older).
var targets = []struct {
	version  string
	readBack bool
}{
	{"1.38.11", true},
	{"1.36.10", true},
	{"1.36.9", false},
}

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
		t.Fatalf("weaviate-server %s is not built (%s): run `make downgrade-test`", version, p)
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

// ports are the same for every start, one server at a time: the Raft
// state in a data directory remembers the node's address.
var ports map[string]int

func start(t *testing.T, version, data string) *server {
	t.Helper()
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
		"CLUSTER_HOSTNAME=node1", "CLUSTER_IN_LOCALHOST=true",
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

type dataset struct {
	ids     []string
	vectors [][]float32
}

func makeDataset() dataset {
	rng := rand.New(rand.NewPCG(1, 39))
	d := dataset{}
	for i := range objects {
		v := make([]float32, dims)
		for j := range v {
			v[j] = rng.Float32()*2 - 1
		}
		d.vectors = append(d.vectors, v)
		d.ids = append(d.ids, fmt.Sprintf("00000000-0000-4000-8000-%012d", i))
	}
	return d
}

// exactNearest is the brute-force cosine nearest neighbour of q.
func (d dataset) exactNearest(q []float32) string {
	best, bestSim := "", -2.0
	for i, v := range d.vectors {
		var dot, nq, nv float64
		for j := range v {
			dot += float64(q[j]) * float64(v[j])
			nq += float64(q[j]) * float64(q[j])
			nv += float64(v[j]) * float64(v[j])
		}
		if sim := dot / math.Sqrt(nq*nv); sim > bestSim {
			best, bestSim = d.ids[i], sim
		}
	}
	return best
}

// queries are stored vectors with a little noise, and their exact answers.
func (d dataset) queries(n int) ([][]float32, []string) {
	rng := rand.New(rand.NewPCG(2, 39))
	var qs [][]float32
	var want []string
	for range n {
		base := d.vectors[rng.IntN(len(d.vectors))]
		q := make([]float32, dims)
		for j := range q {
			q[j] = base[j] + (rng.Float32()-0.5)*0.02
		}
		qs = append(qs, q)
		want = append(want, d.exactNearest(q))
	}
	return qs, want
}

// snapshotsIn lists the .snapshot files inside HNSW commit log directories.
func snapshotsIn(t *testing.T, data string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(data, func(p string, e os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !e.IsDir() && strings.HasSuffix(p, ".snapshot") && strings.HasSuffix(filepath.Dir(p), ".hnsw.commitlog.d") {
			rel, _ := filepath.Rel(data, p)
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func listing(data string) string {
	var b strings.Builder
	_ = filepath.WalkDir(data, func(p string, e os.DirEntry, err error) error {
		if err == nil && strings.Contains(p, ".hnsw.") {
			rel, _ := filepath.Rel(data, p)
			fmt.Fprintln(&b, rel)
		}
		return nil
	})
	return b.String()
}

func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	if out, err := exec.Command("cp", "-a", src+"/.", dst).CombinedOutput(); err != nil {
		t.Fatalf("copy %s: %v: %s", src, err, out)
	}
}

// write139 builds 1.39.0 data: a class with an HNSW index and 2,000
// vectors, written, then the server restarted once so that 1.39 turns the
// commit log into a snapshot inside main.hnsw.commitlog.d.
func write139(t *testing.T, d dataset) string {
	data := t.TempDir()
	s := start(t, from, data)
	if err := s.ready(3 * time.Minute); err != nil {
		t.Fatalf("%v\n%s", err, s.logText(t))
	}
	schema := map[string]any{"class": class, "vectorizer": "none", "vectorIndexType": "hnsw",
		"properties": []map[string]any{{"name": "n", "dataType": []string{"int"}}}}
	if err := s.call("POST", "/v1/schema", schema, nil); err != nil {
		t.Fatal(err)
	}
	for lo := 0; lo < objects; lo += 500 {
		var batch []map[string]any
		for i := lo; i < min(lo+500, objects); i++ {
			batch = append(batch, map[string]any{"class": class, "id": d.ids[i], "vector": d.vectors[i], "properties": map[string]any{"n": i}})
		}
		var res []struct {
			Result struct {
				Errors any `json:"errors"`
			} `json:"result"`
		}
		if err := s.call("POST", "/v1/batch/objects", map[string]any{"objects": batch}, &res); err != nil {
			t.Fatal(err)
		}
		for _, r := range res {
			if r.Result.Errors != nil {
				t.Fatalf("batch: %v", r.Result.Errors)
			}
		}
	}
	if n, err := s.count(); err != nil || n != objects {
		t.Fatalf("1.39.0 before restart: count %d, %v", n, err)
	}
	s.stop()
	s2 := start(t, from, data)
	if err := s2.ready(3 * time.Minute); err != nil {
		t.Fatalf("%v\n%s", err, s2.logText(t))
	}
	// The conversion runs at startup, maybe after ready: wait for it.
	deadline := time.Now().Add(2 * time.Minute)
	for len(snapshotsIn(t, data)) == 0 && time.Now().Before(deadline) {
		time.Sleep(time.Second)
	}
	if n, err := s2.count(); err != nil || n != objects {
		t.Fatalf("1.39.0 after restart: count %d, %v", n, err)
	}
	s2.stop()
	snaps := snapshotsIn(t, data)
	if len(snaps) == 0 {
		t.Fatalf("1.39.0 wrote no .snapshot into the commit log directory; the experiment proves nothing:\n%s", listing(data))
	}
	t.Logf("1.39.0 data after one restart:\n%s", listing(data))
	return data
}

// chosen are the targets to run: all, or those DOWNGRADE_TARGETS lists
// ("1.36.9,1.36.10").
func chosen(t *testing.T) []struct {
	version  string
	readBack bool
} {
	list := os.Getenv("DOWNGRADE_TARGETS")
	if list == "" {
		return targets
	}
	var out []struct {
		version  string
		readBack bool
	}
	for _, v := range strings.Split(list, ",") {
		found := false
		for _, tg := range targets {
			if tg.version == strings.TrimSpace(v) {
				out, found = append(out, tg), true
			}
		}
		if !found {
			t.Fatalf("DOWNGRADE_TARGETS: %q is not one of the experiment's versions", v)
		}
	}
	return out
}

func TestDowngradeFrom139(t *testing.T) {
	targets := chosen(t)
	binary(t, from)
	for _, tg := range targets {
		binary(t, tg.version) // fail early when a server is missing
	}
	ports = map[string]int{}
	for _, k := range []string{"http", "gossip", "data", "raft", "raftrpc", "grpc", "metrics", "profiling"} {
		ports[k] = freePort(t)
	}
	d := makeDataset()
	qs, want := d.queries(25)
	base := write139(t, d)
	for _, tg := range targets {
		t.Run(tg.version, func(t *testing.T) {
			data := t.TempDir()
			copyTree(t, base, data)
			s := start(t, tg.version, data)
			readyErr := s.ready(3 * time.Minute)
			var problems []string
			if readyErr != nil {
				problems = append(problems, readyErr.Error())
			} else {
				if n, err := s.count(); err != nil || n != objects {
					problems = append(problems, fmt.Sprintf("count %d (%v), want %d", n, err, objects))
				}
				wrong := 0
				var firstErr error
				for i, q := range qs {
					got, err := s.nearest(q)
					if err != nil && firstErr == nil {
						firstErr = err
					}
					if got != want[i] {
						wrong++
					}
				}
				if wrong > 0 {
					problems = append(problems, fmt.Sprintf("%d of %d nearest-neighbour queries wrong (first error: %v)", wrong, len(qs), firstErr))
				}
			}
			log := s.logText(t)
			migrated := strings.Contains(log, "migrated compact v2 snapshot to snapshot directory")
			s.stop()
			t.Logf("%s on 1.39.0 data: ready=%v migrated-log=%v problems=%q\n%s", tg.version, readyErr == nil, migrated, problems, listing(data))
			if tg.readBack {
				if len(problems) > 0 || !migrated {
					t.Errorf("%s should read 1.39.0's HNSW snapshot back: problems %q, migrated log line %v\nlog tail:\n%s", tg.version, problems, migrated, tail(log, 30))
				}
				return
			}
			if len(problems) == 0 {
				t.Errorf("%s has no read-back code but served all %d objects and every nearest neighbour: WV1009's claim is wrong\nlog tail:\n%s", tg.version, objects, tail(log, 30))
			}
			if migrated {
				t.Errorf("%s logged the read-back it should not have", tg.version)
			}
			t.Logf("%s log lines about the index:\n%s", tg.version, grepLines(log, "hnsw", "commitlog", "snapshot", "level=error", "level=fatal", "panic"))
		})
	}
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
