package cli

import (
	"bytes"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/wvlint/wvlint/internal/diag"
	"github.com/wvlint/wvlint/internal/preflight"
	"github.com/wvlint/wvlint/rules"
)

// cluster serves a Weaviate cluster of the given version whose nodes
// weaviate-0.. answer, in the shapes a real 1.35.2 server sends
// (internal/preflight/testdata/captured), with a SUCCESS backup on s3
// taken an hour ago. Servers before 1.25 have no statistics (404).
func cluster(t *testing.T, version string, answering int) string {
	t.Helper()
	var nodes, stats, members []string
	for i := range answering {
		members = append(members, fmt.Sprintf(`{"address":"127.0.0.1:%d","id":"weaviate-%d","suffrage":0}`, 8300+i, i))
	}
	for i := range answering {
		nodes = append(nodes, fmt.Sprintf(`{"batchStats":{"queueLength":0,"ratePerSecond":0},"name":"weaviate-%d","shards":null,"status":"HEALTHY","version":"%s"}`, i, version))
		state := "Follower"
		if i == 0 {
			state = "Leader"
		}
		stats = append(stats, fmt.Sprintf(`{"bootstrapped":true,"candidates":{},"dbLoaded":true,"isVoter":true,"leaderAddress":"127.0.0.1:8300","leaderId":"weaviate-0","name":"weaviate-%d","open":true,"raft":{"appliedIndex":"3","commitIndex":"3","latestConfiguration":[%s],"numPeers":"%d","state":"%s","term":"2"},"ready":true,"status":"HEALTHY"}`, i, strings.Join(members, ","), answering-1, state))
	}
	done := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	answers := map[string]string{
		"/v1/meta":       `{"hostname":"http://127.0.0.1:8080","modules":{"backup-s3":{"bucketName":"b","endpoint":"127.0.0.1:9000","useSSL":false}},"version":"` + version + `"}`,
		"/v1/nodes":      `{"nodes":[` + strings.Join(nodes, ",") + `]}`,
		"/v1/backups/s3": `[{"classes":["Article"],"completedAt":"` + done + `","id":"before","startedAt":"` + done + `","status":"SUCCESS"}]`,
	}
	if !strings.HasPrefix(version, "1.24.") {
		answers["/v1/cluster/statistics"] = `{"statistics":[` + strings.Join(stats, ",") + `],"synchronized":true}`
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		body, ok := answers[r.URL.Path]
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprintf(w, `{"code":404,"message":"path %s was not found"}`, r.URL.Path)
			return
		}
		fmt.Fprint(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// composeCluster is a compose file of n Weaviate services of one cluster.
func composeCluster(n int) string {
	var b strings.Builder
	b.WriteString("services:\n")
	for i := range n {
		fmt.Fprintf(&b, "  weaviate-%d:\n    image: cr.weaviate.io/semitechnologies/weaviate:1.36.23\n    environment:\n      CLUSTER_HOSTNAME: weaviate-%d\n      RAFT_JOIN: weaviate-0\n      RAFT_BOOTSTRAP_EXPECT: 1\n", i, i)
		if i > 0 {
			b.WriteString("      CLUSTER_JOIN: weaviate-0:7100\n")
		}
	}
	return b.String()
}

func runIn(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	t.Chdir(dir)
	var stdout, stderr bytes.Buffer
	code := Run(args, strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func want(t *testing.T, what, text string, res ...string) {
	t.Helper()
	for _, re := range res {
		if !regexp.MustCompile(re).MatchString(text) {
			t.Errorf("%s does not match %q:\n%s", what, re, text)
		}
	}
}

// TestPreflightNodesFromFiles: `wvlint preflight URL PATH...` takes the
// node count (and the platform) the files declare.
func TestPreflightNodesFromFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("three/compose.yaml", composeCluster(3))
	write("two/compose.yaml", composeCluster(2))
	write("both/a/compose.yaml", composeCluster(3))
	write("both/b/compose.yaml", "services:\n  weaviate:\n    image: cr.weaviate.io/semitechnologies/weaviate:1.36.23\n")
	write("ci/.github/workflows/ci.yml", "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    services:\n      weaviate:\n        image: cr.weaviate.io/semitechnologies/weaviate:1.36.23\n    steps:\n      - run: go test ./...\n")
	write("broken/a/compose.yaml", composeCluster(2))
	write("broken/b/compose.yaml", "services:\n  weaviate:\n    image: [cr.weaviate.io/semitechnologies/weaviate:1.36.23\n")
	url := cluster(t, "1.35.2", 2)

	// The cluster's Raft configuration has 2 members and both answer:
	// only the files know that it should have 3.
	code, stdout, stderr := runIn(t, dir, "preflight", url)
	if code != ExitOK {
		t.Errorf("without the files: exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, stderr = runIn(t, dir, "preflight", url, "three")
	if code != ExitFindings {
		t.Errorf("with the files: exit %d, want 1\n%s%s", code, stdout, stderr)
	}
	want(t, "stdout", stdout,
		`(?m)^nodes:    2 answer \(3 expected, three/compose.yaml\): "weaviate-0" HEALTHY 1\.35\.2, "weaviate-1" HEALTHY 1\.35\.2$`,
		`(?m)^/v1/nodes: error: 2 of 3 nodes \(three/compose.yaml\) answer; start the missing node, or remove it from the cluster, before the next step \[WV4003 node-missing\]$`,
		`(?m)^/v1/cluster/statistics: error: 2 of 3 nodes \(three/compose.yaml\) report statistics`)
	_, stdout, _ = runIn(t, dir, "preflight", url, "three", "-f", "json")
	want(t, "JSON", stdout, `"expectedNodes": 3,\n\s+"expectedNodesFrom": "three/compose.yaml",`, `"raftLeader": "weaviate-0",`)
	code, stdout, stderr = runIn(t, dir, "preflight", url, "two", "ci")
	if code != ExitOK || !strings.Contains(stdout, "(2 expected, two/compose.yaml)") {
		t.Errorf("two nodes declared, a CI service container beside them: exit %d\n%s%s", code, stdout, stderr)
	}

	// A file that cannot be read is named, the others still count, and
	// the exit code says something was not read.
	code, stdout, stderr = runIn(t, dir, "preflight", url, "broken")
	if code != ExitInput || !strings.Contains(stdout, "(2 expected, broken/a/compose.yaml)") || !strings.Contains(stdout, "preflight passed") {
		t.Errorf("a broken file beside a good one: exit %d, want 2\n%s", code, stdout)
	}
	want(t, "stderr", stderr, `(?m)^broken/b/compose.yaml:\d+: error: `)

	// The files must say one count, and not beside --nodes.
	code, _, stderr = runIn(t, dir, "preflight", url, "both")
	if code != ExitInput {
		t.Errorf("two clusters: exit %d, want 2", code)
	}
	want(t, "stderr", stderr, `^wvlint: both: the files declare clusters of different sizes: 3 nodes \(both/a/compose.yaml\), 1 node \(both/b/compose.yaml\); name the files of the cluster this server runs, or pass --nodes N\n`)
	code, _, stderr = runIn(t, dir, "preflight", url, "ci")
	if code != ExitInput || !strings.Contains(stderr, "no Weaviate deployment in the files declares a node count (1 test or never-running pins left out); pass --nodes N") {
		t.Errorf("only a CI service container: exit %d, %s", code, stderr)
	}
	code, _, stderr = runIn(t, dir, "preflight", url, "--nodes", "3", "three")
	if code != ExitInput || !strings.Contains(stderr, "--nodes and the files both say how many nodes") {
		t.Errorf("--nodes and files: exit %d, %s", code, stderr)
	}

	// The platform comes from the files too: compose is Docker, where the
	// server migrates its metadata to Raft itself.
	old := cluster(t, "1.24.26", 2)
	code, stdout, stderr = runIn(t, dir, "preflight", old, "two", "--to", "1.25")
	want(t, "stdout", stdout, `(?m)^/v1/meta: warning: 1\.24\.26 -> 1\.25\.\d+ migrates cluster metadata to Raft once \(on Docker the server migrates it at start\)`)
	if code != ExitFindings {
		t.Errorf("1.24 -> 1.25: exit %d\n%s%s", code, stdout, stderr)
	}
}

// TestWaitProgress: --wait's progress is one line rewritten in place on a
// terminal (and cleared at the end, before the report), a line per attempt
// in a log.
func TestWaitProgress(t *testing.T) {
	res := &preflight.Result{Attempts: 2, Findings: []diag.Diagnostic{
		{Rule: "WV4003", Severity: rules.Note, Message: "a note comes second"},
		{Rule: "WV4005", Severity: rules.Error, Message: "2 of 3 nodes (--nodes 3) report statistics; " + strings.Repeat("x", 100)},
	}}
	var term bytes.Buffer
	p := &progress{w: &term, terminal: true, url: "http://127.0.0.1:8080", deadline: time.Now().Add(time.Minute)}
	p.update(res, 2*time.Second)
	res.Attempts = 3
	p.update(res, 4*time.Second)
	p.done()
	want(t, "terminal progress", term.String(),
		`^\r\x1b\[2Kwaiting for http://127\.0\.0\.1:8080: attempt 2: WV4005 2 of 3 nodes \(--nodes 3\) report statistics; x+…; again in 2s, (59s|1m0s) left`+
			`\r\x1b\[2Kwaiting for http://127\.0\.0\.1:8080: attempt 3: WV4005 .*; again in 4s, (59s|1m0s) left\r\x1b\[2K$`)
	if strings.Contains(term.String(), "\n") {
		t.Errorf("a terminal's progress is one line: %q", term.String())
	}

	var log bytes.Buffer
	p = newProgress(&log, "http://127.0.0.1:8080", time.Minute)
	if p.terminal {
		t.Fatal("a buffer taken for a terminal")
	}
	p.update(res, time.Second)
	p.update(res, 2*time.Second)
	p.done()
	want(t, "log progress", log.String(), `^waiting for http://127\.0\.0\.1:8080: attempt 3: WV4005 [^\r\x1b]*; again in 1s, (59s|1m0s) left\nwaiting for .*; again in 2s, (59s|1m0s) left\n$`)
}

// TestCAFile: --ca-file is what lets the preflight and --live trust a
// server whose certificate a private authority signed; without it the
// TLS failure is the answer (exit 2), never a pass.
func TestCAFile(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/v1/meta":
			fmt.Fprint(w, `{"hostname":"https://127.0.0.1:8443","modules":{},"version":"1.36.23"}`)
		case "/v1/nodes":
			fmt.Fprint(w, `{"nodes":[{"name":"node1","status":"HEALTHY","version":"1.36.23"}]}`)
		case "/v1/cluster/statistics":
			fmt.Fprint(w, `{"statistics":[{"name":"node1","raft":{"latestConfiguration":[{"address":"127.0.0.1:8300","id":"node1","suffrage":0}],"state":"Leader"},"ready":true,"status":"HEALTHY"}],"synchronized":true}`)
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes are the point
	srv.StartTLS()
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	ca := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte("services:\n  weaviate:\n    image: cr.weaviate.io/semitechnologies/weaviate:1.36.23\n    environment: {CLUSTER_HOSTNAME: node1}\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	code, stdout, _ := runIn(t, dir, "preflight", srv.URL)
	if code != ExitInput || !strings.Contains(stdout, "the server does not answer: GET /v1/meta: tls: failed to verify certificate") {
		t.Errorf("preflight without --ca-file: exit %d\n%s", code, stdout)
	}
	code, stdout, _ = runIn(t, dir, "preflight", srv.URL, "--ca-file", ca)
	// The one finding: no backup module is enabled.
	if code != ExitFindings || !strings.Contains(stdout, "server:   "+srv.URL+", Weaviate 1.36.23") || !strings.Contains(stdout, "[WV4006 no-recent-backup]") {
		t.Errorf("preflight --ca-file: exit %d\n%s", code, stdout)
	}
	code, _, stderr := runIn(t, dir, "--live", srv.URL, ".")
	if code != ExitInput || !strings.Contains(stderr, "tls: failed to verify certificate") {
		t.Errorf("--live without --ca-file: exit %d\n%s", code, stderr)
	}
	code, _, stderr = runIn(t, dir, "--live", srv.URL, "--ca-file", ca, ".")
	if code != ExitOK || !strings.Contains(stderr, "wvlint: compared with what runs at "+srv.URL+": Weaviate 1.36.23 on 1 node; ") {
		t.Errorf("--live --ca-file: exit %d\n%s", code, stderr)
	}
}
