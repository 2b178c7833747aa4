package catalogupdate

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/Masterminds/semver/v3"

	"github.com/wvlint/wvlint/internal/catalog"
)

var day = time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)

// server speaks the shape of GET /repos/weaviate/weaviate/tags: JSON pages
// linked by the Link header.
func server(t *testing.T, handler func(w http.ResponseWriter, r *http.Request, page string)) *httptest.Server {
	t.Helper()
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/repos/weaviate/weaviate/tags" {
			http.NotFound(w, r)
			return
		}
		handler(w, r, r.URL.Query().Get("page"))
	}))
	t.Cleanup(s.Close)
	return s
}

func pages(base string) func(w http.ResponseWriter, r *http.Request, page string) {
	return func(w http.ResponseWriter, r *http.Request, page string) {
		switch page {
		case "":
			w.Header().Set("Link", fmt.Sprintf(`<%s/repos/weaviate/weaviate/tags?per_page=100&page=2>; rel="next", <%s/repos/weaviate/weaviate/tags?per_page=100&page=2>; rel="last"`, base, base))
			fmt.Fprint(w, `[{"name":"v1.40.0"},{"name":"v1.39.1"},{"name":"docs-preview"}]`)
		case "2":
			fmt.Fprint(w, `[{"name":"v1.40.0-rc.0"},{"name":"v1.38.11"}]`)
		}
	}
}

func TestUpdatePaginates(t *testing.T) {
	var s *httptest.Server
	s = server(t, func(w http.ResponseWriter, r *http.Request, page string) {
		if r.Header.Get("Authorization") != "Bearer sekret" {
			t.Errorf("token not sent")
		}
		pages(s.URL)(w, r, page)
	})
	path := filepath.Join(t.TempDir(), "cache", "releases.tsv")
	added, err := Update(context.Background(), catalog.Embedded(), path, Options{API: s.URL, Token: "sekret", Now: func() time.Time { return day }})
	if err != nil {
		t.Fatal(err)
	}
	if added != 3 {
		t.Errorf("added %d tags, want 3 (1.40.0, 1.39.1, 1.40.0-rc.0)", added)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "sekret") {
		t.Error("token written to the cache")
	}
	c, err := catalog.Parse(path, data, catalog.EmbeddedCharts())
	if err != nil {
		t.Fatal(err)
	}
	if latest, _ := c.Latest("1.40"); latest == nil || latest.String() != "1.40.0" {
		t.Errorf("latest 1.40 = %v", latest)
	}
	if r, ok := c.Lookup(semver.MustParse("1.27.27")); !ok || r.Date.Format("2006-01-02") == "2026-11-26" {
		t.Errorf("known tag lost its date: %+v", r)
	}
	if !c.AsOf.Equal(day) {
		t.Errorf("AsOf = %v", c.AsOf)
	}
}

func TestUpdateFailuresKeepCache(t *testing.T) {
	tests := []struct {
		name    string
		handler func(w http.ResponseWriter, r *http.Request, page string)
		want    string
	}{
		{"rate limit", func(w http.ResponseWriter, r *http.Request, page string) {
			w.Header().Set("X-RateLimit-Remaining", "0")
			w.Header().Set("X-RateLimit-Reset", "1795000000")
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, `{"message":"API rate limit exceeded"}`)
		}, "rate limit exceeded; it resets at 2026-11-18T11:06:40Z"},
		{"server error", func(w http.ResponseWriter, r *http.Request, page string) {
			http.Error(w, "boom", http.StatusInternalServerError)
		}, "answered 500 Internal Server Error"},
		{"truncated body", func(w http.ResponseWriter, r *http.Request, page string) {
			fmt.Fprint(w, `[{"name":"v1.40.0"},{"na`)
		}, "reading the answer: unexpected EOF"},
		{"truncated on page two", func(w http.ResponseWriter, r *http.Request, page string) {
			if page == "" {
				w.Header().Set("Link", fmt.Sprintf(`<http://%s/repos/weaviate/weaviate/tags?page=2>; rel="next"`, r.Host))
				fmt.Fprint(w, `[{"name":"v1.40.0"}]`)
				return
			}
			fmt.Fprint(w, `[{"name":`)
		}, "page 2: reading the answer"},
		{"slow", func(w http.ResponseWriter, r *http.Request, page string) {
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		}, "context deadline exceeded"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := server(t, tt.handler)
			path := filepath.Join(t.TempDir(), "releases.tsv")
			if err := os.WriteFile(path, []byte("previous"), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Update(context.Background(), catalog.Embedded(), path, Options{API: s.URL, Timeout: 300 * time.Millisecond})
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
	c, _, err := Merge(catalog.Embedded(), []string{"v1.40.0"}, day)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, c.Format("test"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, _ := catalog.Load(""); got.Source != path || !got.Has(semver.MustParse("1.40.0")) {
		t.Errorf("newer cache not used: %s", got.Source)
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
