package preflight_test

// What a real local cluster cannot show (a 1.24 server without statistics,
// an unsynchronized node, slow or malformed answers, a redirect to another
// host), replayed by test servers from answers captured from the real
// servers (testdata/captured, see its README) and changed only where the
// case needs it.

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Masterminds/semver/v3"

	"github.com/wvlint/wvlint/internal/catalog"
	"github.com/wvlint/wvlint/internal/config"
	"github.com/wvlint/wvlint/internal/preflight"
	"github.com/wvlint/wvlint/internal/weaviateapi"
	"github.com/wvlint/wvlint/rules"
)

// answer is a captured answer: the status line, then the body.
type answer struct {
	code int
	body string
}

func captured(t *testing.T, name string) answer {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "captured", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	status, body, _ := strings.Cut(string(data), "\n")
	code, err := strconv.Atoi(strings.Fields(status)[0])
	if err != nil {
		t.Fatalf("%s: status line %q", name, status)
	}
	return answer{code, strings.TrimSpace(body)}
}

// replay serves answers by path; anything else is a 404 as Weaviate's.
func replay(t *testing.T, answers map[string]answer) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, ok := answers[r.URL.Path]
		if !ok {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"code":404,"message":"path `+r.URL.Path+` was not found"}`)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(a.code)
		fmt.Fprint(w, a.body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// three is the captured 3-node 1.35.2 cluster with node weaviate-2
// stopped; healthy3 puts weaviate-2 back from weaviate-1's entries.
func three(t *testing.T, prefix string) map[string]answer {
	return map[string]answer{
		"/v1/meta":               captured(t, prefix+"meta"),
		"/v1/nodes":              captured(t, prefix+"nodes"),
		"/v1/cluster/statistics": captured(t, prefix+"cluster_statistics"),
		"/v1/backups/s3":         captured(t, prefix+"backups_s3"),
	}
}

func healthy3(t *testing.T) map[string]answer {
	a := three(t, "three-node-one-stopped-")
	n := a["/v1/nodes"]
	i := strings.LastIndex(n.body, `{"batchStats"`)
	node1 := n.body[i : len(n.body)-2]
	n.body = n.body[:len(n.body)-2] + "," + strings.Replace(node1, "weaviate-1", "weaviate-2", 1) + "]}"
	a["/v1/nodes"] = n
	s := a["/v1/cluster/statistics"]
	i = strings.LastIndex(s.body, `{"bootstrapped"`)
	j := strings.LastIndex(s.body, `],"synchronized"`)
	entry := strings.Replace(s.body[i:j], `"name":"weaviate-1"`, `"name":"weaviate-2"`, 1)
	s.body = s.body[:j] + "," + entry + s.body[j:]
	a["/v1/cluster/statistics"] = s
	return a
}

func run(t *testing.T, srv *httptest.Server, opt preflight.Options, key string) (*preflight.Result, string) {
	t.Helper()
	u, _ := weaviateapi.ParseURL(srv.URL)
	cl, err := weaviateapi.New(u, weaviateapi.Options{Token: weaviateapi.NewSecret(key), Timeout: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	opt.Client = cl
	opt.Catalog = catalog.Embedded()
	opt.Now = func() time.Time { return time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC) }
	r := preflight.Check(context.Background(), opt)
	var b bytes.Buffer
	preflight.Text(&b, r, rules.Warning)
	return r, b.String()
}

// lines are the findings as "ID severity endpoint: message".
func lines(r *preflight.Result) []string {
	var out []string
	for _, d := range r.Findings {
		out = append(out, d.Rule+" "+d.Severity.String()+" "+d.Span.File+": "+d.Message)
	}
	return out
}

func expect(t *testing.T, r *preflight.Result, out string, want ...string) {
	t.Helper()
	got := lines(r)
	if len(got) != len(want) {
		t.Fatalf("got %d findings, want %d:\n%s", len(got), len(want), out)
	}
	for i, w := range want {
		if !regexp.MustCompile(w).MatchString(got[i]) {
			t.Errorf("finding %d:\n got %s\nwant %s", i, got[i], w)
		}
	}
}

func TestReplayCapturedCluster(t *testing.T) {
	t.Run("healthy", func(t *testing.T) {
		r, out := run(t, replay(t, healthy3(t)), preflight.Options{Nodes: 3}, "")
		expect(t, r, out /* the captured backup is from 2026-12-01 09:39, within 24h of the clock */)
		if !strings.Contains(out, `metadata: synchronized, 3 nodes report statistics, Raft configuration of 3, leader "weaviate-0"`) {
			t.Errorf("text:\n%s", out)
		}
	})
	t.Run("one stopped, as captured", func(t *testing.T) {
		r, out := run(t, replay(t, three(t, "three-node-one-stopped-")), preflight.Options{}, "")
		expect(t, r, out,
			`^WV4003 error /v1/nodes: node "weaviate-2" is in the Raft configuration but does not answer`,
			`^WV4005 error /v1/cluster/statistics: 2 of 3 nodes \(the Raft configuration\) report statistics`)
	})
	t.Run("unsynchronized node", func(t *testing.T) {
		a := healthy3(t)
		s := a["/v1/cluster/statistics"]
		// As the server computes it: a node behind on the applied index
		// makes synchronized false.
		s.body = strings.Replace(s.body, `"synchronized":true`, `"synchronized":false`, 1)
		i := strings.LastIndex(s.body, `"appliedIndex":"3"`)
		s.body = s.body[:i] + `"appliedIndex":"1"` + s.body[i+len(`"appliedIndex":"3"`):]
		a["/v1/cluster/statistics"] = s
		r, out := run(t, replay(t, a), preflight.Options{Nodes: 3}, "")
		expect(t, r, out, `^WV4005 error /v1/cluster/statistics: cluster metadata is not synchronized \(synchronized: false\)`)
	})
	t.Run("no Raft leader", func(t *testing.T) {
		// An election under way: the leader has stepped down, every node
		// answers, and synchronized stays true (the applied indexes agree).
		a := healthy3(t)
		s := a["/v1/cluster/statistics"]
		s.body = strings.Replace(s.body, `"state":"Leader","term":"2"`, `"state":"Candidate","term":"3"`, 1)
		a["/v1/cluster/statistics"] = s
		r, out := run(t, replay(t, a), preflight.Options{Nodes: 3}, "")
		expect(t, r, out, `^WV4005 error /v1/cluster/statistics: no node reports being the Raft leader \("weaviate-0" Candidate, "weaviate-1" Follower, "weaviate-2" Follower\)`)
		if strings.Contains(out, "leader \"") {
			t.Errorf("a leader shown:\n%s", out)
		}
	})
	t.Run("mixed versions and an unhealthy node", func(t *testing.T) {
		a := healthy3(t)
		n := a["/v1/nodes"]
		i := strings.LastIndex(n.body, `"status":"HEALTHY","version":"1.35.2"`)
		n.body = n.body[:i] + `"status":"UNHEALTHY","version":"1.36.23"` + n.body[i+len(`"status":"HEALTHY","version":"1.35.2"`):]
		a["/v1/nodes"] = n
		r, out := run(t, replay(t, a), preflight.Options{Nodes: 3}, "")
		expect(t, r, out,
			`^WV4002 error /v1/nodes: node "weaviate-2" is UNHEALTHY`,
			`^WV4004 error /v1/nodes: the nodes run different versions: 1.35.2 on "weaviate-0", "weaviate-1"; 1.36.23 on "weaviate-2"`)
	})
}

// TestReplayOldServer: a 1.24 server has no /v1/cluster/statistics (Raft
// came in 1.25) and, before 1.24.25, no backup list. The captured 1.35.2
// answers are given the version 1.24.10 and lose what 1.24 did not send
// (operationalMode came in 1.35, grpcMaxMessageSize in 1.28).
func TestReplayOldServer(t *testing.T) {
	meta := captured(t, "single-meta")
	meta.body = strings.Replace(strings.Replace(meta.body, `"version":"1.35.2"`, `"version":"1.24.10"`, 1), `"grpcMaxMessageSize":104858000,`, "", 1)
	nodes := captured(t, "single-nodes")
	nodes.body = strings.Replace(strings.Replace(nodes.body, `"version":"1.35.2"`, `"version":"1.24.10"`, 1), `"operationalMode":"ReadWrite",`, "", 1)
	status := captured(t, "single-backups_filesystem_before-1-36")
	// 1.24 did not send startedAt/completedAt (1.33+).
	status.body = regexp.MustCompile(`"(started|completed)At":"[^"]*",`).ReplaceAllString(status.body, "")
	srv := replay(t, map[string]answer{
		"/v1/meta": meta, "/v1/nodes": nodes,
		"/v1/backups/filesystem/before-1-36": status,
	})

	r, out := run(t, srv, preflight.Options{}, "")
	expect(t, r, out,
		`^WV4003 note /v1/nodes: 1 node answer, and nothing says how many`,
		`^WV4005 note /v1/cluster/statistics: 1.24.10 has no GET /v1/cluster/statistics`,
		`^WV4006 error /v1/backups/filesystem: this server \(1.24.10\) cannot list backups .*pass --backup filesystem/ID`)

	// A real server without the list route answers as go-swagger does for
	// a path that only has other methods (POST /v1/backups/{backend}
	// creates a backup): 405, which says the same. On 1.24.25, which has
	// the list, the same 405 is an answer that could not be read.
	notAllowed := answer{405, `{"code":405,"message":"method GET is not allowed, but [POST] are"}`}
	for _, version := range []string{"1.24.10", "1.24.25"} {
		m, n := meta, nodes
		m.body = strings.Replace(meta.body, `"version":"1.24.10"`, `"version":"`+version+`"`, 1)
		n.body = strings.Replace(nodes.body, `"version":"1.24.10"`, `"version":"`+version+`"`, 1)
		r, out = run(t, replay(t, map[string]answer{"/v1/meta": m, "/v1/nodes": n, "/v1/backups/filesystem": notAllowed}), preflight.Options{Nodes: 1}, "")
		if version == "1.24.10" {
			expect(t, r, out, `^WV4005 note /v1/cluster/statistics:`,
				`^WV4006 error /v1/backups/filesystem: this server \(1.24.10\) cannot list backups \(GET /v1/backups/\{backend\} exists from 1.24.25, 1.25.17, 1.26.5 and 1.27.0\)`)
			continue
		}
		expect(t, r, out, `^WV4001 error /v1/backups/filesystem: could not read GET /v1/backups/filesystem: HTTP 405: "method GET is not allowed, but \[POST\] are"`,
			`^WV4005 note /v1/cluster/statistics: 1.24.25 has no GET /v1/cluster/statistics`)
	}

	r, out = run(t, srv, preflight.Options{Nodes: 1, Backup: "filesystem/before-1-36", To: mustVersion(t, "1.25.34"), Platform: "kubernetes"}, "")
	expect(t, r, out,
		`^WV4005 note /v1/cluster/statistics:`,
		`^WV4006 note /v1/backups/filesystem/before-1-36: backup "before-1-36" is SUCCESS, but this server does not say when it was taken`,
		`^WV4007 warning /v1/meta: 1.24.10 -> 1.25.34 migrates cluster metadata to Raft once \(on Kubernetes delete the StatefulSet`,
	)
}

func TestReplayBadAnswers(t *testing.T) {
	t.Run("slow and malformed", func(t *testing.T) {
		a := healthy3(t)
		srv := replay(t, a)
		release := make(chan struct{})
		defer close(release)
		slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch r.URL.Path {
			case "/v1/nodes":
				select { // slower than the client's 500ms timeout
				case <-release:
				case <-r.Context().Done():
				}
			case "/v1/cluster/statistics":
				w.WriteHeader(http.StatusBadGateway)
				fmt.Fprint(w, "<html><body><h1>502 Bad Gateway</h1></body></html>")
			case "/v1/backups/s3":
				fmt.Fprint(w, `{"statistics":[]}`) // not a list
			default:
				srv.Config.Handler.ServeHTTP(w, r)
			}
		}))
		defer slow.Close()
		start := time.Now()
		r, out := run(t, slow, preflight.Options{Nodes: 3}, "")
		expect(t, r, out,
			`^WV4001 error /v1/nodes: could not read GET /v1/nodes: no answer within 500ms`,
			`^WV4001 error /v1/cluster/statistics: could not read GET /v1/cluster/statistics: HTTP 502: "<html><body><h1>502 Bad Gateway</h1></body></html>"`,
			`^WV4001 error /v1/backups/s3: could not read GET /v1/backups/s3: the answer is not the JSON Weaviate sends`)
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("took %s", d)
		}
	})
	t.Run("a meta answer that is not Weaviate's", func(t *testing.T) {
		// A proxy's page, or JSON without a version, on /v1/meta: that
		// endpoint is unread, the others are still read and judged.
		for body, why := range map[string]string{
			"<html><body>Sign in</body></html>": `the answer is not the JSON Weaviate sends`,
			`{"status":"ok"}`:                   `the answer has no version`,
		} {
			a := healthy3(t)
			a["/v1/meta"] = answer{200, body}
			r, out := run(t, replay(t, a), preflight.Options{Nodes: 3}, "")
			expect(t, r, out, `^WV4001 error /v1/meta: could not read GET /v1/meta: `+why+`.*; what depends on it is not judged$`)
			if !r.Cluster.NodesRead || len(r.Cluster.Nodes) != 3 || r.Cluster.Stats == nil {
				t.Errorf("%s on /v1/meta: the other endpoints were not read:\n%s", body, out)
			}
		}
	})
	t.Run("redirect to another host", func(t *testing.T) {
		var leaked atomic.Int32
		other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Authorization") != "" {
				leaked.Add(1)
			}
			fmt.Fprint(w, captured(t, "single-meta").body)
		}))
		defer other.Close()
		target := strings.Replace(other.URL, "127.0.0.1", "localhost", 1)
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, target+r.URL.Path, http.StatusTemporaryRedirect)
		}))
		defer srv.Close()
		r, out := run(t, srv, preflight.Options{}, "wvlint-replay-key")
		expect(t, r, out, `^WV4001 error server: the server does not answer: GET /v1/meta: the server redirects to another host \("http://localhost:\d+/v1/meta"\); wvlint does not follow it with your credentials`)
		if leaked.Load() != 0 || strings.Contains(out, "wvlint-replay-key") {
			t.Errorf("the key went to the other host or into the output:\n%s", out)
		}
	})
}

func mustVersion(t *testing.T, s string) *semver.Version {
	t.Helper()
	v, err := semver.StrictNewVersion(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestReplayConfig: .wvlint.yaml turns live rules off and re-grades them,
// as it does for the file rules.
func TestReplayConfig(t *testing.T) {
	cfg, err := config.Parse(".wvlint.yaml", []byte("rules:\n  WV4005: off\n  node-missing: warning\n"))
	if err != nil {
		t.Fatal(err)
	}
	r, out := run(t, replay(t, three(t, "three-node-one-stopped-")), preflight.Options{Config: cfg}, "")
	expect(t, r, out, `^WV4003 warning /v1/nodes: node "weaviate-2" is in the Raft configuration but does not answer`)
}

// TestReplayWait: --wait reads again with a pause that doubles (1s, 2s,
// ...) until the checks pass, and never waits past its deadline: the last
// read starts at the deadline at the latest, and the result says it gave
// up. The server is the captured cluster with weaviate-2 stopped, and
// whole again from the third read of /v1/nodes on.
func TestReplayWait(t *testing.T) {
	stopped, whole := three(t, "three-node-one-stopped-"), healthy3(t)
	var reads atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := stopped
		if r.URL.Path == "/v1/nodes" {
			reads.Add(1)
		}
		if reads.Load() >= 3 {
			a = whole
		}
		b, ok := a[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(b.code)
		fmt.Fprint(w, b.body)
	}))
	t.Cleanup(srv.Close)
	opt := func() preflight.Options {
		u, _ := weaviateapi.ParseURL(srv.URL)
		cl, err := weaviateapi.New(u, weaviateapi.Options{Timeout: 2 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		return preflight.Options{Client: cl, Catalog: catalog.Embedded(), Now: func() time.Time { return time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC) }}
	}

	var pauses []time.Duration
	start := time.Now()
	r := preflight.Wait(context.Background(), opt(), time.Minute, rules.Warning, func(r *preflight.Result, next time.Duration) {
		if !r.Failed(rules.Warning) {
			t.Errorf("progress on a passing attempt %d", r.Attempts)
		}
		pauses = append(pauses, next)
	})
	took := time.Since(start)
	if r.TimedOut || r.Failed(rules.Warning) || r.Attempts != 3 || len(r.Cluster.Nodes) != 3 {
		t.Fatalf("passed %v after %d attempts, timed out %v:\n%s", !r.Failed(rules.Warning), r.Attempts, r.TimedOut, render(t, r))
	}
	if fmt.Sprint(pauses) != "[1s 2s]" || took < 3*time.Second || took > 10*time.Second {
		t.Errorf("pauses %v, %s in all; want [1s 2s], about 3s", pauses, took.Round(100*time.Millisecond))
	}
	if got := r.Summary(rules.Warning); !strings.HasPrefix(got, "preflight passed (after 3 attempts): Weaviate 1.35.2, 3 nodes at ") {
		t.Errorf("summary %q", got)
	}

	// Always failing: the pauses shrink to what is left, and it gives up.
	reads.Store(-1 << 20)
	pauses = nil
	start = time.Now()
	r = preflight.Wait(context.Background(), opt(), 2500*time.Millisecond, rules.Warning, func(_ *preflight.Result, next time.Duration) {
		pauses = append(pauses, next.Round(100*time.Millisecond))
	})
	took = time.Since(start)
	if !r.TimedOut || r.Attempts != 3 || fmt.Sprint(pauses) != "[1s 1.5s]" || took > 5*time.Second {
		t.Errorf("timed out %v after %d attempts, pauses %v, in %s; want 3 attempts, [1s 1.5s], about 2.5s", r.TimedOut, r.Attempts, pauses, took.Round(100*time.Millisecond))
	}
	wantFailure(t, r, render(t, r), `^WV4003 /v1/nodes: node "weaviate-2" is in the Raft configuration but does not answer`)
	if got := r.Summary(rules.Warning); !strings.HasPrefix(got, "preflight failed (gave up waiting after 3 attempts): ") {
		t.Errorf("summary %q", got)
	}

	// A cancelled context ends the wait at once.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start = time.Now()
	r = preflight.Wait(ctx, opt(), time.Minute, rules.Warning, nil)
	if !r.TimedOut || time.Since(start) > 2*time.Second {
		t.Errorf("cancelled: timed out %v in %s", r.TimedOut, time.Since(start))
	}
}
