//go:build unix

package preflight_test

// These tests run the preflight against real Weaviate servers (built by
// .ci/weaviate-server.sh; a missing binary fails them, it never skips them):
// a single node with an API key and the filesystem backup backend, and a
// 3-node loopback cluster with an S3-compatible endpoint (gofakes3, in this
// process) that goes through a real rolling upgrade 1.35.2 -> 1.36.23.

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/Masterminds/semver/v3"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/wvlint/wvlint/internal/catalog"
	"github.com/wvlint/wvlint/internal/preflight"
	"github.com/wvlint/wvlint/internal/weaviateapi"
	"github.com/wvlint/wvlint/internal/weaviatetest"
	"github.com/wvlint/wvlint/rules"
)

const apiKey = "wvlint-test-key-7c1d0e"

func client(t *testing.T, url string, key string) *weaviateapi.Client {
	t.Helper()
	u, err := weaviateapi.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	c, err := weaviateapi.New(u, weaviateapi.Options{Token: weaviateapi.NewSecret(key), Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func check(t *testing.T, opt preflight.Options) (*preflight.Result, string) {
	t.Helper()
	if opt.Catalog == nil {
		opt.Catalog = catalog.Embedded()
	}
	r := preflight.Check(context.Background(), opt)
	return r, render(t, r)
}

// render is every output format of a result, for assertions on all of them.
func render(t *testing.T, r *preflight.Result) string {
	t.Helper()
	var b bytes.Buffer
	preflight.Text(&b, r, rules.Warning)
	if err := preflight.JSON(&b, r, rules.Warning); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// ids lists the findings at or above warning as "ID endpoint: message".
func failures(r *preflight.Result) []string {
	var out []string
	for _, f := range r.Findings {
		if f.Severity >= rules.Warning {
			out = append(out, f.Rule+" "+f.Span.File+": "+f.Message)
		}
	}
	return out
}

func wantFailure(t *testing.T, r *preflight.Result, out, re string) {
	t.Helper()
	for _, f := range failures(r) {
		if regexp.MustCompile(re).MatchString(f) {
			return
		}
	}
	t.Errorf("no failure matches %q; the preflight said:\n%s", re, out)
}

func wantPass(t *testing.T, r *preflight.Result, out string) {
	t.Helper()
	if fs := failures(r); len(fs) > 0 {
		t.Errorf("the preflight should pass; it said:\n%s", out)
	}
}

// TestSingleNode: a real 1.35.2 node with an API key and backup-filesystem.
func TestSingleNode(t *testing.T) {
	start := time.Now()
	c := weaviatetest.Start(t, weaviatetest.Old, 1, weaviatetest.Options{Filesystem: true, Key: apiKey, Env: []string{
		"AUTHENTICATION_ANONYMOUS_ACCESS_ENABLED=false",
		"AUTHENTICATION_APIKEY_ENABLED=true",
		"AUTHENTICATION_APIKEY_ALLOWED_KEYS=" + apiKey,
		"AUTHENTICATION_APIKEY_USERS=admin",
	}})
	t.Logf("single node up in %s", time.Since(start).Round(time.Second))
	url := c.URL()
	var all strings.Builder // every output, to prove the key is in none

	// Without the key: 401, and the preflight says it could not read.
	r, out := check(t, preflight.Options{Client: client(t, url, "")})
	all.WriteString(out)
	wantFailure(t, r, out, `^WV4001 /v1/meta: could not read GET /v1/meta: HTTP 401 \(unauthorized`)
	wantFailure(t, r, out, `^WV4001 /v1/nodes: could not read GET /v1/nodes: HTTP 401`)
	if r.Cluster.NodesRead {
		t.Error("nodes read without the key")
	}

	// With the key: everything is read; there is no backup yet.
	opt := preflight.Options{Client: client(t, url, apiKey)}
	r, out = check(t, opt)
	all.WriteString(out)
	if r.Cluster.VersionText != weaviatetest.Old || len(r.Cluster.Nodes) != 1 || r.Cluster.Nodes[0].Name != "node1" {
		t.Fatalf("read %+v", r.Cluster)
	}
	if r.Cluster.Backend != "filesystem" || r.Cluster.BackendFrom != "the only backup module enabled" {
		t.Errorf("backend %q (%s)", r.Cluster.Backend, r.Cluster.BackendFrom)
	}
	if s := r.Cluster.Stats; s == nil || !s.Synchronized || len(s.Members) != 1 || s.Members[0] != "node1" {
		t.Errorf("statistics %+v", s)
	}
	wantFailure(t, r, out, `^WV4006 /v1/backups/filesystem: no SUCCESS backup on "filesystem" \(0 listed\)`)

	// A real backup, created through the API, listed and found.
	weaviatetest.AddObjects(t, url, apiKey, 1, 5)
	weaviatetest.Backup(t, url, apiKey, "filesystem", "before-upgrade")
	r, out = check(t, opt)
	all.WriteString(out)
	wantPass(t, r, out)
	if len(r.Cluster.Backups) != 1 || r.Cluster.Backups[0].ID != "before-upgrade" || r.Cluster.Backups[0].Completed == nil {
		t.Errorf("backups %+v", r.Cluster.Backups)
	}
	// The same backup by ID, and one that does not exist.
	r, out = check(t, preflight.Options{Client: opt.Client, Backup: "filesystem/before-upgrade"})
	all.WriteString(out)
	wantPass(t, r, out)
	r, out = check(t, preflight.Options{Client: opt.Client, Backup: "filesystem/nope"})
	all.WriteString(out)
	wantFailure(t, r, out, `^WV4001 /v1/backups/filesystem/nope: could not read GET /v1/backups/filesystem/nope: no backup "nope" on backend "filesystem" \(HTTP 404\)`)
	// Its age is judged from the server's own timestamps.
	r, out = check(t, preflight.Options{Client: opt.Client, MaxAge: time.Nanosecond})
	all.WriteString(out)
	wantFailure(t, r, out, `^WV4006 /v1/backups/filesystem: the newest SUCCESS backup on "filesystem" is "before-upgrade" from .* older than --backup-max-age 1ns`)

	// --to: the next minor passes and shows the path; two minors up fails.
	r, out = check(t, preflight.Options{Client: opt.Client, To: semver.MustParse(weaviatetest.New)})
	all.WriteString(out)
	wantPass(t, r, out)
	if got := strings.Join(r.Cluster.Path, " -> "); got != "1.35.2 -> 1.36.23" || !strings.Contains(out, "plan:     1.35.2 -> 1.36.23") {
		t.Errorf("path %q:\n%s", got, out)
	}
	r, out = check(t, preflight.Options{Client: opt.Client, To: semver.MustParse("1.37.14")})
	all.WriteString(out)
	wantFailure(t, r, out, `^WV4007 /v1/meta: 1.35.2 -> 1.37.14 skips a step: the path is 1.35.2 -> 1.36.23 -> 1.37.14`)

	if strings.Contains(all.String(), apiKey) {
		t.Errorf("the API key appears in an output:\n%s", all.String())
	}
}

// s3 runs an S3-compatible endpoint on loopback inside the test process
// (Weaviate refuses backup-filesystem on a multi-node cluster) and returns
// the node environment that points backup-s3 at it.
func s3(t *testing.T) []string {
	t.Helper()
	backend := s3mem.New()
	if err := backend.CreateBucket("wvlint-backups"); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	fake := gofakes3.New(backend).Server()
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Weaviate's S3 client (minio-go) streams uploads as aws-chunked
		// (STREAMING-AWS4-HMAC-SHA256-PAYLOAD, no Content-Length), which
		// gofakes3 v1.2.0 refuses or mis-reads (MissingContentLength,
		// BadDigest): decode the chunks here and hand it a plain body,
		// which it checks against the client's Content-MD5.
		if r.Header.Get("X-Amz-Content-Sha256") == "STREAMING-AWS4-HMAC-SHA256-PAYLOAD" {
			body, err := decodeAWSChunked(r.Body)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
			r.ContentLength = int64(len(body))
			r.Header.Set("Content-Length", strconv.Itoa(len(body)))
			r.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
			r.Header.Del("X-Amz-Decoded-Content-Length")
		}
		fake.ServeHTTP(w, r)
	}), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { srv.Close() })
	return []string{
		"ENABLE_MODULES=backup-s3",
		"BACKUP_S3_ENDPOINT=" + l.Addr().String(),
		"BACKUP_S3_USE_SSL=false",
		"BACKUP_S3_BUCKET=wvlint-backups",
		"AWS_ACCESS_KEY_ID=wvlint", "AWS_SECRET_ACCESS_KEY=wvlint-secret", "AWS_REGION=us-east-1",
	}
}

// decodeAWSChunked reads an aws-chunked body: chunks of
// "<hex size>;chunk-signature=<sig>\r\n<data>\r\n", ending with a zero
// size (signatures are not checked: this is a test endpoint).
func decodeAWSChunked(r io.Reader) ([]byte, error) {
	br := bufio.NewReader(r)
	var out bytes.Buffer
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return nil, fmt.Errorf("aws-chunked: %w", err)
		}
		hexSize, _, _ := strings.Cut(strings.TrimSpace(line), ";")
		n, err := strconv.ParseInt(hexSize, 16, 64)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("aws-chunked: bad chunk size %q", hexSize)
		}
		if n == 0 {
			return out.Bytes(), nil
		}
		if _, err := io.CopyN(&out, br, n); err != nil {
			return nil, fmt.Errorf("aws-chunked: %w", err)
		}
		if _, err := br.ReadString('\n'); err != nil {
			return nil, fmt.Errorf("aws-chunked: %w", err)
		}
	}
}

// TestRollingUpgrade is the upgrade page's scenario on a real 3-node
// cluster: preflight before 1.35.2 -> 1.36.23 (passes once a backup is
// taken, and shows the path), with a node stopped (fails naming it, --wait
// times out), during a real rolling upgrade node by node (fails: a node
// missing, then mixed versions), and after it (passes: one version,
// synchronized, the objects still there).
func TestRollingUpgrade(t *testing.T) {
	start := time.Now()
	c := weaviatetest.Start(t, weaviatetest.Old, 3, weaviatetest.Options{Env: s3(t)})
	t.Logf("3 nodes up in %s", time.Since(start).Round(time.Second))
	url := c.URL()
	cl := client(t, url, "")
	to := semver.MustParse(weaviatetest.New)
	opt := preflight.Options{Client: cl, Nodes: 3, To: to, Catalog: catalog.Embedded()}

	weaviatetest.AddObjects(t, url, "", 3, 20)
	if n := weaviatetest.WaitObjects(t, url, 20, 30*time.Second); n != 20 {
		t.Fatalf("%d objects before the upgrade", n)
	}

	t.Run("before, no backup", func(t *testing.T) {
		r, out := check(t, opt)
		if got := len(r.Cluster.Nodes); got != 3 || r.Cluster.Stats == nil || len(r.Cluster.Stats.Members) != 3 || !r.Cluster.Stats.Synchronized {
			t.Fatalf("read %d nodes, statistics %+v:\n%s", got, r.Cluster.Stats, out)
		}
		leaders := 0
		for _, s := range r.Cluster.Stats.Nodes {
			if s.RaftState == "Leader" {
				leaders++
			}
		}
		if leaders != 1 {
			t.Errorf("%d Raft leaders:\n%s", leaders, out)
		}
		wantFailure(t, r, out, `^WV4006 /v1/backups/s3: no SUCCESS backup on "s3"`)
	})

	weaviatetest.Backup(t, url, "", "s3", "before-1-36")
	t.Run("before", func(t *testing.T) {
		r, out := check(t, opt)
		wantPass(t, r, out)
		if strings.Join(r.Cluster.Path, " -> ") != "1.35.2 -> 1.36.23" || r.Cluster.Backend != "s3" {
			t.Errorf("path %v, backend %q", r.Cluster.Path, r.Cluster.Backend)
		}
		t.Logf("before the upgrade:\n%s", out)
	})

	t.Run("a node stopped", func(t *testing.T) {
		c.Nodes[2].Stop()
		// The stopped node vanishes from /v1/nodes within seconds.
		waitFor(t, 30*time.Second, func() bool {
			r := preflight.Check(context.Background(), opt)
			return r.Cluster.NodesRead && len(r.Cluster.Nodes) == 2
		})
		// Without --nodes, the Raft configuration still names it.
		r, out := check(t, preflight.Options{Client: cl})
		wantFailure(t, r, out, `^WV4003 /v1/nodes: node "weaviate-2" is in the Raft configuration but does not answer \(2 of 3 nodes, the Raft configuration, answer\)`)
		wantFailure(t, r, out, `^WV4005 /v1/cluster/statistics: 2 of 3 nodes \(the Raft configuration\) report statistics`)
		if !r.Cluster.Stats.Synchronized {
			t.Log("note: synchronized went false (knowledge.md saw it stay true)")
		}
		begin := time.Now()
		var progress int
		w := preflight.Wait(context.Background(), opt, 4*time.Second, rules.Warning, func(*preflight.Result, time.Duration) { progress++ })
		if !w.TimedOut || w.Attempts < 2 || progress < 1 || time.Since(begin) > 30*time.Second {
			t.Errorf("--wait 4s: timed out %v after %d attempts (%d progress calls) in %s", w.TimedOut, w.Attempts, progress, time.Since(begin))
		}
		wantFailure(t, w, render(t, w), `^WV4003 /v1/nodes: node "weaviate-2"`)

		c.Nodes[2].StartAgain(t)
		w = preflight.Wait(context.Background(), opt, 2*time.Minute, rules.Warning, nil)
		wantPass(t, w, render(t, w))
		t.Logf("node 2 back after %d attempts", w.Attempts)
	})

	t.Run("rolling upgrade", func(t *testing.T) {
		// Replace one node at a time on the same data directory and ports;
		// the last one replaced is the node the preflight talks to.
		unhealthy := 0
		for step, i := range []int{2, 1, 0} {
			node := c.Nodes[i]
			node.Stop()
			target := c.Nodes[(i+1)%3].URL()
			if i == 0 {
				target = c.Nodes[1].URL()
			}
			during := preflight.Options{Client: client(t, target, ""), Nodes: 3, To: to, Catalog: catalog.Embedded()}
			waitFor(t, 30*time.Second, func() bool {
				r := preflight.Check(context.Background(), during)
				return r.Cluster.NodesRead && len(r.Cluster.Nodes) == 2
			})
			r, out := check(t, during)
			wantFailure(t, r, out, fmt.Sprintf(`^WV4003 /v1/nodes: node "weaviate-%d" is in the Raft configuration but does not answer`, i))
			if step == 1 { // one node upgraded, one stopped, one behind
				wantFailure(t, r, out, `^WV4004 /v1/nodes: the nodes run different versions: 1.35.2 on .*; 1.36.23 on `)
			}

			// While the node restarts on the new binary, the preflight
			// never passes: the node is missing, then UNHEALTHY while it
			// rejoins, then the versions are mixed (until the last step).
			seen := map[string]int{}
			passed := 0
			stop := make(chan struct{})
			polled := make(chan struct{})
			go func() {
				defer close(polled)
				for {
					select {
					case <-stop:
						return
					case <-time.After(200 * time.Millisecond):
					}
					r := preflight.Check(context.Background(), during)
					if !r.Failed(rules.Warning) {
						passed++
					}
					for _, d := range r.Findings {
						seen[d.Rule]++
						if d.Rule == rules.LiveUnreadable.ID {
							seen[d.Message]++
						}
					}
					for _, n := range r.Cluster.Nodes {
						if n.Status != "HEALTHY" {
							seen[n.Name+" "+n.Status]++
						}
					}
				}
			}()
			node.Restart(t, weaviatetest.New)
			close(stop)
			<-polled
			t.Logf("while %s restarted on %s the preflight saw %v", node.Name, weaviatetest.New, seen)
			unhealthy += seen[rules.NodeUnhealthy.ID]
			if passed > 0 && step < 2 {
				t.Errorf("the preflight passed %d times during the rollout", passed)
			}
			r, out = check(t, during)
			if step < 2 {
				// Mixed versions until the last node is replaced.
				wantFailure(t, r, out, `^WV4004 /v1/nodes: the nodes run different versions: 1.35.2 on .*; 1.36.23 on `)
				if step == 0 {
					t.Logf("during the rollout:\n%s", out)
				}
				// wvlint --live judges the files from the oldest version.
				if l, err := preflight.Running(context.Background(), during.Client); err != nil ||
					l.Version.String() != weaviatetest.Old || l.Nodes != 3 || l.Mixed != "1.35.2 and 1.36.23" {
					t.Errorf("--live mid-rollout: %+v, %v", l, err)
				}
				// --wait cannot pass while the rollout is half done.
				w := preflight.Wait(context.Background(), during, 3*time.Second, rules.Warning, nil)
				if !w.TimedOut {
					t.Errorf("--wait passed on a mixed cluster:\n%s", render(t, w))
				}
			}
			// Wait until the restarted node has rejoined before the next.
			c.WaitHealthy(2 * time.Minute)
		}
		// Each restarted node was seen UNHEALTHY while it rejoined (3 or 4
		// polls of 200ms each on this machine): over three restarts the
		// preflight must have caught it at least once.
		if unhealthy == 0 {
			t.Error("no restarting node was ever reported UNHEALTHY (WV4002)")
		}
	})

	t.Run("after", func(t *testing.T) {
		w := preflight.Wait(context.Background(), preflight.Options{Client: cl, Nodes: 3, Catalog: catalog.Embedded()}, 2*time.Minute, rules.Warning, nil)
		out := render(t, w)
		wantPass(t, w, out)
		for _, n := range w.Cluster.Nodes {
			if n.Version != weaviatetest.New || n.Status != "HEALTHY" {
				t.Errorf("node %s: %s %s", n.Name, n.Status, n.Version)
			}
		}
		if w.Cluster.VersionText != weaviatetest.New || !w.Cluster.Stats.Synchronized {
			t.Errorf("after: %s, %+v", w.Cluster.VersionText, w.Cluster.Stats)
		}
		if n := weaviatetest.WaitObjects(t, url, 20, 30*time.Second); n != 20 {
			t.Errorf("%d objects after the upgrade, want 20", n)
		}
		t.Logf("after the upgrade:\n%s", out)
	})
	t.Logf("the whole scenario took %s", time.Since(start).Round(time.Second))
}

func waitFor(t *testing.T, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(500 * time.Millisecond)
	}
	t.Fatalf("condition not met within %s", timeout)
}
