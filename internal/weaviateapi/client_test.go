package weaviateapi

import (
	"context"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

const key = "wv-secret-key-3f9a"

func newClient(t *testing.T, base string, opt Options) *Client {
	t.Helper()
	u, err := ParseURL(base)
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(u, opt)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestBearerAndUnauthorized(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+key {
			w.WriteHeader(http.StatusUnauthorized)
			// Echo the header back, as a badly written proxy might: the
			// client must not repeat the key.
			fmt.Fprintf(w, `{"code":401,"message":"bad auth %s"}`, r.Header.Get("Authorization"))
			return
		}
		fmt.Fprint(w, `{"hostname":"http://[::]:8080","modules":{},"version":"1.35.2"}`)
	}))
	defer srv.Close()

	m, err := newClient(t, srv.URL, Options{Token: NewSecret(key + "\n")}).Meta(context.Background())
	if err != nil || m.Version != "1.35.2" {
		t.Fatalf("with the key: %v, %v", m, err)
	}
	_, err = newClient(t, srv.URL, Options{}).Meta(context.Background())
	if err == nil || !strings.Contains(err.Error(), "HTTP 401 (unauthorized: set WEAVIATE_API_KEY or --api-key-file)") {
		t.Fatalf("without the key: %v", err)
	}
	_, err = newClient(t, srv.URL, Options{Token: NewSecret("wrong-" + key)}).Meta(context.Background())
	if err == nil || strings.Contains(err.Error(), key) || !strings.Contains(err.Error(), "[redacted]") {
		t.Fatalf("a wrong key echoed back must be redacted: %v", err)
	}
}

func TestSecretNeverPrints(t *testing.T) {
	s := NewSecret(key)
	opt := Options{Token: s}
	for _, out := range []string{fmt.Sprint(s), fmt.Sprintf("%v %+v %#v %s", s, opt, opt, s)} {
		if strings.Contains(out, key) {
			t.Errorf("printed: %s", out)
		}
	}
	data, _ := json.Marshal(opt)
	if strings.Contains(string(data), key) {
		t.Errorf("JSON: %s", data)
	}
}

func TestRedirectToAnotherHostIsRefused(t *testing.T) {
	var leaked atomic.Value
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		leaked.Store(r.Header.Get("Authorization"))
		fmt.Fprint(w, `{"version":"1.35.2"}`)
	}))
	defer other.Close()
	// localhost and 127.0.0.1 are different hosts to a browser and here.
	otherURL := strings.Replace(other.URL, "127.0.0.1", "localhost", 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/v1/meta":
			http.Redirect(w, r, otherURL+"/v1/meta", http.StatusFound)
		case "/v1/nodes":
			http.Redirect(w, r, "/v1/nodes/", http.StatusMovedPermanently) // same origin: followed
		case "/v1/nodes/":
			if r.Header.Get("Authorization") == "" {
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			fmt.Fprint(w, `{"nodes":[{"name":"node1","status":"HEALTHY","version":"1.35.2"}]}`)
		}
	}))
	defer srv.Close()
	c := newClient(t, srv.URL, Options{Token: NewSecret(key)})
	_, err := c.Meta(context.Background())
	if err == nil || !strings.Contains(err.Error(), "redirects to another host") {
		t.Fatalf("want a refused redirect, got %v", err)
	}
	if v := leaked.Load(); v != nil {
		t.Fatalf("the other host was asked (Authorization %q)", v)
	}
	n, err := c.Nodes(context.Background())
	if err != nil || len(n.Nodes) != 1 {
		t.Fatalf("same-origin redirect: %v %v", n, err)
	}
}

func TestTimeoutSlowAndMalformed(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/v1/meta": // never answers in time
			select {
			case <-release:
			case <-r.Context().Done():
			}
		case "/v1/nodes": // headers, then a body that stalls
			_, _ = w.Write([]byte(`{"nodes":[`))
			w.(http.Flusher).Flush()
			select {
			case <-release:
			case <-r.Context().Done():
			}
		case "/v1/cluster/statistics":
			fmt.Fprint(w, `<html>502 Bad Gateway</html>`)
		case "/v1/backups/s3":
			fmt.Fprint(w, `[{"id":"x","status":"SUCCESS"}`+strings.Repeat(" ", 200)+`]`)
		}
	}))
	defer srv.Close()
	defer close(release)
	c := newClient(t, srv.URL, Options{Timeout: 300 * time.Millisecond, MaxBody: 100})
	start := time.Now()
	_, err := c.Meta(context.Background())
	if err == nil || !strings.Contains(err.Error(), "no answer within 300ms") {
		t.Errorf("slow meta: %v", err)
	}
	_, err = c.Nodes(context.Background())
	if err == nil || !strings.Contains(err.Error(), "300ms") {
		t.Errorf("stalled body: %v", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("timeouts took %s", d)
	}
	_, err = c.Statistics(context.Background())
	if err == nil || !strings.Contains(err.Error(), "GET /v1/cluster/statistics: the answer is not the JSON Weaviate sends") {
		t.Errorf("malformed: %v", err)
	}
	_, err = c.Backups(context.Background(), "s3")
	if err == nil || !strings.Contains(err.Error(), "larger than 100 bytes") {
		t.Errorf("oversized: %v", err)
	}
}

func TestNotFoundAndErrorResponse(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"error":[{"message":"backup \"nope\" not found"}]}`)
	}))
	defer srv.Close()
	_, err := newClient(t, srv.URL, Options{}).Backup(context.Background(), "s3", "nope")
	if !NotFound(err) || !strings.Contains(err.Error(), `HTTP 404: "backup \"nope\" not found"`) {
		t.Fatalf("got %v", err)
	}
}

func TestParseURLAndPlainHTTP(t *testing.T) {
	tests := []struct {
		url, err string
		warn     bool
	}{
		{url: "http://127.0.0.1:8080"},
		{url: "http://localhost:8080/"},
		{url: "http://[::1]:8080"},
		{url: "https://weaviate.example.com"},
		{url: "http://weaviate.example.com:8080", warn: true},
		{url: "http://10.0.0.5:8080", warn: true},
		{url: "ftp://x", err: "want http:// or https://"},
		{url: "http://user:pw@host", err: "must not contain credentials"},
		{url: "http://", err: "has no host"},
		{url: "http://h/?q=1", err: "no query"},
	}
	for _, tt := range tests {
		u, err := ParseURL(tt.url)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: err %v, want %q", tt.url, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.url, err)
			continue
		}
		c, _ := New(u, Options{Token: NewSecret(key)})
		w := c.PlainHTTPWarning()
		if (w != "") != tt.warn {
			t.Errorf("%s: warning %q, want %v", tt.url, w, tt.warn)
		}
		if strings.Contains(w, key) {
			t.Errorf("warning shows the key: %s", w)
		}
	}
}

func TestCAFile(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"version":"1.36.23"}`)
	}))
	defer srv.Close()
	ca := filepath.Join(t.TempDir(), "ca.pem")
	pemData := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(ca, pemData, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := newClient(t, srv.URL, Options{}).Meta(context.Background()); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("an unknown CA must fail: %v", err)
	}
	m, err := newClient(t, srv.URL, Options{CAFile: ca}).Meta(context.Background())
	if err != nil || m.Version != "1.36.23" {
		t.Fatalf("with --ca-file: %v %v", m, err)
	}
	bad := filepath.Join(t.TempDir(), "bad.pem")
	if err := os.WriteFile(bad, []byte("not a cert"), 0o600); err != nil {
		t.Fatal(err)
	}
	u, _ := ParseURL(srv.URL)
	if _, err := New(u, Options{CAFile: bad}); err == nil || !strings.Contains(err.Error(), "no PEM certificate") {
		t.Fatalf("bad CA file: %v", err)
	}
}

// TestNoAnswer: only a request that got no HTTP answer is NoAnswer (the
// preflight then stops asking); an error status or a body that is not
// Weaviate's JSON is an answer.
func TestNoAnswer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/v1/meta":
			w.WriteHeader(http.StatusUnauthorized)
		case "/v1/nodes":
			fmt.Fprint(w, `<html>sign in</html>`)
		case "/v1/cluster/statistics":
			time.Sleep(500 * time.Millisecond)
		}
	}))
	c := newClient(t, srv.URL, Options{Timeout: 200 * time.Millisecond})
	_, unauthorized := c.Meta(context.Background())
	_, malformed := c.Nodes(context.Background())
	_, slow := c.Statistics(context.Background())
	srv.Close()
	_, refused := c.Meta(context.Background())
	for _, tt := range []struct {
		what string
		err  error
		want bool
	}{{"401", unauthorized, false}, {"not JSON", malformed, false}, {"timeout", slow, true}, {"refused", refused, true}} {
		if tt.err == nil || NoAnswer(tt.err) != tt.want {
			t.Errorf("%s: NoAnswer(%v) = %v, want %v", tt.what, tt.err, NoAnswer(tt.err), tt.want)
		}
	}
}
