package catalogupdate

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Masterminds/semver/v3"

	"github.com/wvlint/wvlint/internal/catalog"
)

var day = time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)

// fakeGitHub speaks the shapes of the GitHub REST endpoints the update
// reads (GET /repos/weaviate/weaviate/tags, /releases, /commits/{sha}),
// JSON pages linked by the Link header as GitHub sends it, and serves the
// weaviate-helm index.yaml. Routes can be overridden per test.
type fakeGitHub struct {
	*httptest.Server
	routes map[string]http.HandlerFunc
	calls  atomic.Int32
}

func newFake(t *testing.T) *fakeGitHub {
	t.Helper()
	f := &fakeGitHub{routes: map[string]http.HandlerFunc{}}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.calls.Add(1)
		key := r.URL.Path
		if p := r.URL.Query().Get("page"); p != "" {
			key += "?page=" + p
		}
		if h, ok := f.routes[key]; ok {
			h(w, r)
			return
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(f.Close)
	link := func(path string, page, last int) string {
		return fmt.Sprintf(`<%s%s?per_page=100&page=%d>; rel="next", <%s%s?per_page=100&page=%d>; rel="last"`, f.URL, path, page, f.URL, path, last)
	}
	const tags = "/repos/weaviate/weaviate/tags"
	f.routes[tags] = func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", link(tags, 2, 2))
		fmt.Fprint(w, `[{"name":"v1.40.0","commit":{"sha":"a1"}},{"name":"v1.39.1","commit":{"sha":"b2"}},{"name":"docs-preview","commit":{"sha":"c3"}},{"name":"v0.22.21","commit":{"sha":"d4"}}]`)
	}
	f.routes[tags+"?page=2"] = func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `[{"name":"v1.40.0-rc.0","commit":{"sha":"e5"}},{"name":"v1.39.2-raft-beta.1","commit":{"sha":"f6"}},{"name":"v1.38.11","commit":{"sha":"g7"}}]`)
	}
	const releases = "/repos/weaviate/weaviate/releases"
	f.routes[releases] = func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", link(releases, 2, 2))
		fmt.Fprint(w, `[{"tag_name":"v1.40.0","draft":false,"published_at":"2026-10-01T14:00:00Z"},{"tag_name":"v1.40.0-rc.0","draft":false,"published_at":"2026-09-24T09:30:00Z"},{"tag_name":"v1.41.0","draft":true,"published_at":null}]`)
	}
	f.routes[releases+"?page=2"] = func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `[{"tag_name":"v1.39.1","draft":false,"published_at":"2026-09-02T23:59:00Z"},{"tag_name":"v0.22.21","draft":false,"published_at":"2021-01-01T00:00:00Z"}]`)
	}
	// v1.39.2-raft-beta.1 has no GitHub release: dated by its commit.
	f.routes["/repos/weaviate/weaviate/commits/f6"] = func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"sha":"f6","commit":{"author":{"date":"2026-09-19T10:00:00Z"},"committer":{"date":"2026-09-20T08:00:00Z"}}}`)
	}
	f.routes["/weaviate-helm/index.yaml"] = func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `apiVersion: v1
entries:
  weaviate:
  - apiVersion: v2
    appVersion: 1.40.0
    created: "2026-10-03T11:00:00.123456789Z"
    description: Weaviate is an open source vector database
    name: weaviate
    urls:
    - https://github.com/weaviate/weaviate-helm/releases/download/v17.9.0/weaviate.tgz
    version: 17.9.0
  - apiVersion: v2
    appVersion: 1.38.2
    created: "2026-07-01T10:00:00Z"
    name: weaviate
    version: 17.8.3
generated: "2026-10-03T11:00:01Z"
`)
	}
	return f
}

func (f *fakeGitHub) options() Options {
	return Options{API: f.URL, ChartIndex: f.URL + "/weaviate-helm/index.yaml", Now: func() time.Time { return day }}
}

func TestUpdate(t *testing.T) {
	f := newFake(t)
	f.routes["/repos/weaviate/weaviate/tags"] = func(next http.HandlerFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Authorization") != "Bearer sekret" {
				t.Errorf("token not sent")
			}
			next(w, r)
		}
	}(f.routes["/repos/weaviate/weaviate/tags"])
	path := filepath.Join(t.TempDir(), "cache", "releases.tsv")
	opt := f.options()
	opt.Token = "sekret"
	res, err := Update(context.Background(), catalog.Embedded(), path, opt)
	if err != nil {
		t.Fatal(err)
	}
	if res.Tags != 4 || res.Charts != 1 {
		t.Errorf("added %+v, want 4 tags (1.40.0, 1.39.1, 1.40.0-rc.0, 1.39.2-raft-beta.1) and 1 chart (17.9.0)", res)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "sekret") {
		t.Error("token written to the cache")
	}
	c, err := catalog.ParseFile(path, data)
	if err != nil {
		t.Fatal(err)
	}
	dates := map[string]string{
		"1.40.0":             "2026-10-01", // its GitHub release
		"1.40.0-rc.0":        "2026-09-24",
		"1.39.1":             "2026-09-02", // on the second page of releases
		"1.39.2-raft-beta.1": "2026-09-20", // no release: its commit
		"1.27.27":            "2025-05-19", // known: keeps its date
	}
	for v, want := range dates {
		r, ok := c.Lookup(semver.MustParse(v))
		if !ok || r.Date.Format(time.DateOnly) != want {
			t.Errorf("%s: %+v %v, want dated %s", v, r, ok, want)
		}
	}
	if r, _ := c.Lookup(semver.MustParse("1.39.2-raft-beta.1")); !r.Prerelease {
		t.Error("a hyphenated pre-release is not a pre-release")
	}
	if c.Has(semver.MustParse("0.22.21")) {
		t.Error("a pre-1.0 tag was added")
	}
	if latest, _ := c.Latest("1.40"); latest == nil || latest.String() != "1.40.0" {
		t.Errorf("latest 1.40 = %v", latest)
	}
	if got := c.AsOf.Format(time.DateOnly); got != "2026-10-01" {
		t.Errorf("AsOf = %s, want the newest tag's date, not the day of the fetch", got)
	}
	if ch, ok := c.Chart("17.9.0"); !ok || ch.DefaultTag != "1.40.0" || ch.Date.Format(time.DateOnly) != "2026-10-03" {
		t.Errorf("chart 17.9.0 = %+v %v", ch, ok)
	}
	if _, ok := c.Chart("16.8.8"); !ok {
		t.Error("the embedded chart rows were lost")
	}
}

// TestUpdateOnlyNewTagsAreDated: a refresh with nothing new asks for no
// release or commit dates.
func TestUpdateOnlyNewTagsAreDated(t *testing.T) {
	f := newFake(t)
	f.routes["/repos/weaviate/weaviate/tags"] = func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `[{"name":"v1.38.11","commit":{"sha":"g7"}}]`)
	}
	delete(f.routes, "/repos/weaviate/weaviate/releases")
	res, err := Update(context.Background(), catalog.Embedded(), filepath.Join(t.TempDir(), "r.tsv"), f.options())
	if err != nil {
		t.Fatal(err)
	}
	if res.Tags != 0 {
		t.Errorf("added %d tags", res.Tags)
	}
	if n := f.calls.Load(); n != 2 {
		t.Errorf("%d requests, want 2 (tags, chart index)", n)
	}
}

func TestUpdateFailuresKeepCache(t *testing.T) {
	tests := []struct {
		name  string
		route string
		h     http.HandlerFunc
		want  string
	}{
		{"rate limit", "/repos/weaviate/weaviate/tags", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-RateLimit-Remaining", "0")
			w.Header().Set("X-RateLimit-Reset", "1795000000")
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, `{"message":"API rate limit exceeded"}`)
		}, "tags: page 1: GitHub API rate limit exceeded; it resets at 2026-11-18T11:06:40Z (set GITHUB_TOKEN for a higher limit)"},
		{"rate limit on the second page of releases", "/repos/weaviate/weaviate/releases?page=2", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-RateLimit-Remaining", "0")
			w.Header().Set("X-RateLimit-Reset", "1795000000")
			w.WriteHeader(http.StatusForbidden)
		}, "releases: page 2: GitHub API rate limit exceeded"},
		{"secondary rate limit", "/repos/weaviate/weaviate/commits/f6", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "60")
			w.WriteHeader(http.StatusForbidden)
		}, "date of tag v1.39.2-raft-beta.1: GitHub API rate limit exceeded; retry after 60 seconds"},
		{"too many requests", "/repos/weaviate/weaviate/tags", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusTooManyRequests)
		}, "rate limit exceeded"},
		{"server error", "/repos/weaviate/weaviate/tags", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "boom", http.StatusInternalServerError)
		}, "answered 500 Internal Server Error"},
		{"forbidden", "/repos/weaviate/weaviate/tags", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "no", http.StatusForbidden)
		}, "answered 403 Forbidden"},
		{"truncated body", "/repos/weaviate/weaviate/tags", func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, `[{"name":"v1.40.0"},{"na`)
		}, "reading the answer: unexpected EOF"},
		{"truncated on page two", "/repos/weaviate/weaviate/tags?page=2", func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, `[{"name":`)
		}, "tags: page 2: reading the answer"},
		{"no chart index", "/weaviate-helm/index.yaml", func(w http.ResponseWriter, r *http.Request) {
			http.NotFound(w, r)
		}, "chart index: " + "http://"},
		{"broken chart index", "/weaviate-helm/index.yaml", func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, "entries: [")
		}, "chart index: yaml"},
		{"slow", "/repos/weaviate/weaviate/tags", func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		}, "context deadline exceeded"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			f.routes[tt.route] = tt.h
			path := filepath.Join(t.TempDir(), "releases.tsv")
			if err := os.WriteFile(path, []byte("previous"), 0o644); err != nil {
				t.Fatal(err)
			}
			opt := f.options()
			opt.Timeout = 300 * time.Millisecond
			_, err := Update(context.Background(), catalog.Embedded(), path, opt)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			if data, _ := os.ReadFile(path); string(data) != "previous" {
				t.Errorf("cache changed after a failed update: %q", data)
			}
			entries, _ := os.ReadDir(filepath.Dir(path))
			if len(entries) != 1 {
				t.Errorf("temp files left behind: %v", entries)
			}
		})
	}
}

func TestLoadPrefersNewerCache(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", dir)
	path, err := catalog.CacheFile()
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := catalog.Load(""); c.Source != "embedded" {
		t.Fatalf("no cache: source %s", c.Source)
	}
	c, _, _, err := Merge(catalog.Embedded(), []Tag{{Name: "v1.40.0", Date: day}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, c.Format("test"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, _ := catalog.Load("")
	if got.Source != path || !got.Has(semver.MustParse("1.40.0")) {
		t.Errorf("newer cache not used: %s", got.Source)
	}
	if got.Explicit() {
		t.Error("the cache counts as a catalog the user named")
	}
	if err := os.WriteFile(path, []byte("garbage\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, _ := catalog.Load(""); got.Source != "embedded" {
		t.Errorf("broken cache used: %s", got.Source)
	}
	if _, err := catalog.Load(filepath.Join(dir, "missing.tsv")); err == nil {
		t.Error("explicit missing file: no error")
	}
}
