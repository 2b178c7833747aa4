// Package weaviateapi reads a running Weaviate server over its REST API:
// /v1/meta, /v1/nodes, /v1/cluster/statistics and the backups of a backend.
// It is the only package of wvlint that touches the network, and only when a
// command asks for it (preflight, --live).
//
// Credentials are sent as a Bearer token, never printed (Secret hides its
// value from fmt and JSON), and never sent to another host: a redirect that
// leaves the server's origin is refused. Every request has a timeout.
package weaviateapi

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// Secret is a credential. Its String, GoString and MarshalJSON never show the
// value, so a Secret printed or logged by mistake stays secret.
type Secret struct{ v string }

// NewSecret wraps a credential; surrounding white space (a file's trailing
// newline) is dropped.
func NewSecret(s string) Secret { return Secret{strings.TrimSpace(s)} }

// Empty reports whether there is no credential.
func (s Secret) Empty() bool { return s.v == "" }

func (s Secret) String() string {
	if s.v == "" {
		return ""
	}
	return "[redacted]"
}

// GoString hides the value from %#v.
func (s Secret) GoString() string { return "weaviateapi.Secret{[redacted]}" }

// MarshalJSON hides the value from JSON.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"[redacted]"`), nil }

// redact removes the credential from text that came back from the server.
func (s Secret) redact(text string) string {
	if s.v == "" {
		return text
	}
	return strings.ReplaceAll(text, s.v, "[redacted]")
}

// Options configure a Client.
type Options struct {
	// Token is the API key or OIDC bearer token; empty for anonymous access.
	Token Secret
	// CAFile is a PEM file of certificate authorities to trust for https,
	// in addition to the system's.
	CAFile string
	// Timeout bounds each request (default 10s).
	Timeout time.Duration
	// MaxBody bounds each answer (default 32 MiB).
	MaxBody int64
	// Transport replaces the HTTP transport (tests).
	Transport http.RoundTripper
}

// Client reads one Weaviate server.
type Client struct {
	base    *url.URL
	token   Secret
	http    *http.Client
	timeout time.Duration
	maxBody int64
}

// ParseURL checks a server URL: http or https, a host, no credentials in it,
// no query. The path is kept as a prefix ("https://h/weaviate" for a proxy).
func ParseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		// Not url.Error's text: it repeats the raw URL, credentials and all.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("invalid server URL: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("server URL %q: want http:// or https://", Redacted(u))
	}
	if u.Host == "" {
		return nil, fmt.Errorf("server URL %q has no host", Redacted(u))
	}
	if u.User != nil {
		return nil, errors.New("the server URL must not contain credentials: use WEAVIATE_API_KEY or --api-key-file")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("server URL %q: no query or fragment, please", Redacted(u))
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

// Redacted is u for messages: without user information.
func Redacted(u *url.URL) string {
	c := *u
	c.User = nil
	return c.String()
}

// New makes a client for the server at base (see ParseURL).
func New(base *url.URL, opt Options) (*Client, error) {
	tr := opt.Transport
	if tr == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.Proxy = http.ProxyFromEnvironment
		if opt.CAFile != "" {
			pem, err := os.ReadFile(opt.CAFile)
			if err != nil {
				return nil, fmt.Errorf("--ca-file: %w", err)
			}
			pool, err := x509.SystemCertPool()
			if err != nil || pool == nil {
				pool = x509.NewCertPool()
			}
			if !pool.AppendCertsFromPEM(pem) {
				return nil, fmt.Errorf("--ca-file %s: no PEM certificate in it", opt.CAFile)
			}
			t.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
		}
		tr = t
	}
	c := &Client{base: base, token: opt.Token, timeout: opt.Timeout, maxBody: opt.MaxBody}
	if c.timeout <= 0 {
		c.timeout = 10 * time.Second
	}
	if c.maxBody <= 0 {
		c.maxBody = 32 << 20
	}
	c.http = &http.Client{
		Transport: tr,
		Timeout:   c.timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 5 {
				return errors.New("too many redirects")
			}
			if !sameOrigin(req.URL, c.base) {
				// The request would carry the key to a host the user did not name.
				return &RedirectError{To: Redacted(req.URL)}
			}
			return nil
		},
	}
	return c, nil
}

// RedirectError is a refused redirect to another origin.
type RedirectError struct{ To string }

func (e *RedirectError) Error() string {
	return fmt.Sprintf("the server redirects to another host (%q); wvlint does not follow it with your credentials: use that URL directly if you trust it", e.To)
}

func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Hostname(), b.Hostname()) && port(a) == port(b)
}

func port(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if u.Scheme == "https" {
		return "443"
	}
	return "80"
}

// Base is the server's URL.
func (c *Client) Base() *url.URL { return c.base }

// PlainHTTPWarning says why the connection is unsafe: plain http to a host
// that is not the loopback interface sends the key (and the answers) in the
// clear. It is "" for https and loopback hosts.
func (c *Client) PlainHTTPWarning() string {
	if c.base.Scheme != "http" || IsLoopback(c.base.Hostname()) {
		return ""
	}
	what := "the answers"
	if !c.token.Empty() {
		what = "the API key and the answers"
	}
	return fmt.Sprintf("%s is plain http to a host that is not loopback: %s travel unencrypted; use https", Redacted(c.base), what)
}

// IsLoopback reports whether host is localhost or a loopback address.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// StatusError is an answer other than 2xx.
type StatusError struct {
	Endpoint string // "/v1/nodes"
	Code     int
	Message  string // the server's error message, credentials removed
}

func (e *StatusError) Error() string {
	msg := fmt.Sprintf("GET %s: HTTP %d", e.Endpoint, e.Code)
	switch e.Code {
	case http.StatusUnauthorized:
		msg += " (unauthorized: set WEAVIATE_API_KEY or --api-key-file)"
	case http.StatusForbidden:
		msg += " (forbidden: the key lacks the permission to read this)"
	}
	if e.Message != "" {
		msg += fmt.Sprintf(": %q", e.Message)
	}
	return msg
}

// noAnswerError is a request that got no HTTP answer at all: refused, timed
// out, a TLS failure, a refused redirect.
type noAnswerError struct{ err error }

func (e *noAnswerError) Error() string { return e.err.Error() }
func (e *noAnswerError) Unwrap() error { return e.err }

// NoAnswer reports whether err is a request that got no HTTP answer (the
// server is not reachable as named): the other endpoints would say the
// same. An answer that is not Weaviate's JSON, or an error status, is an
// answer.
func NoAnswer(err error) bool {
	var na *noAnswerError
	return errors.As(err, &na)
}

// NotFound reports whether err is a 404.
func NotFound(err error) bool {
	var se *StatusError
	return errors.As(err, &se) && se.Code == http.StatusNotFound
}

// get reads endpoint (a path below the base, "/v1/nodes") as JSON into v.
func (c *Client) get(ctx context.Context, endpoint string, v any) error {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	u := *c.base
	u.Path = c.base.Path + endpoint
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return fmt.Errorf("GET %s: %w", endpoint, err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "wvlint")
	if !c.token.Empty() {
		req.Header.Set("Authorization", "Bearer "+c.token.v)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		var re *RedirectError
		if errors.As(err, &re) {
			return &noAnswerError{fmt.Errorf("GET %s: %w", endpoint, re)}
		}
		if errors.Is(err, context.DeadlineExceeded) || isTimeout(err) {
			return &noAnswerError{fmt.Errorf("GET %s: no answer within %s", endpoint, c.timeout)}
		}
		return &noAnswerError{fmt.Errorf("GET %s: %s", endpoint, c.token.redact(unwrapURLError(err)))}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.maxBody+1))
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) || isTimeout(err) {
			return fmt.Errorf("GET %s: the answer did not complete within %s", endpoint, c.timeout)
		}
		return fmt.Errorf("GET %s: reading the answer: %s", endpoint, c.token.redact(err.Error()))
	}
	if int64(len(body)) > c.maxBody {
		return fmt.Errorf("GET %s: the answer is larger than %d bytes", endpoint, c.maxBody)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return &StatusError{Endpoint: endpoint, Code: resp.StatusCode, Message: c.token.redact(errorMessage(body))}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("GET %s: the answer is not the JSON Weaviate sends: %w", endpoint, err)
	}
	return nil
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// unwrapURLError drops the "Get \"URL\":" prefix: the endpoint is named
// already.
func unwrapURLError(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}

// errorMessage is the message of an ErrorResponse, or a short excerpt of
// whatever else the server sent.
func errorMessage(body []byte) string {
	var er errorResponse
	if json.Unmarshal(body, &er) == nil && len(er.Error) > 0 {
		var ms []string
		for _, e := range er.Error {
			ms = append(ms, e.Message)
		}
		return strings.Join(ms, "; ")
	}
	// go-swagger's own errors (401 from the auth layer, 404, 422):
	// {"code":401,"message":"..."}.
	var ge struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(body, &ge) == nil && ge.Message != "" {
		return ge.Message
	}
	s := strings.TrimSpace(string(body))
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200]) + "..."
	}
	return s
}

// Meta reads GET /v1/meta.
func (c *Client) Meta(ctx context.Context) (*Meta, error) {
	var m Meta
	if err := c.get(ctx, "/v1/meta", &m); err != nil {
		return nil, err
	}
	if m.Version == "" {
		return nil, errors.New("GET /v1/meta: the answer has no version")
	}
	return &m, nil
}

// Nodes reads GET /v1/nodes (minimal output).
func (c *Client) Nodes(ctx context.Context) (*NodesResponse, error) {
	var n NodesResponse
	if err := c.get(ctx, "/v1/nodes", &n); err != nil {
		return nil, err
	}
	for i := range n.Nodes {
		if n.Nodes[i].Status == "" {
			n.Nodes[i].Status = Healthy // the spec's default
		}
	}
	return &n, nil
}

// Statistics reads GET /v1/cluster/statistics; servers before 1.25 answer
// 404 (see NotFound).
func (c *Client) Statistics(ctx context.Context) (*ClusterStatistics, error) {
	var s ClusterStatistics
	if err := c.get(ctx, "/v1/cluster/statistics", &s); err != nil {
		return nil, err
	}
	return &s, nil
}

// Backups lists the backups of a backend ("filesystem", "s3"): GET
// /v1/backups/{backend}, which exists from 1.24.25, 1.25.17, 1.26.5 and
// 1.27.0.
func (c *Client) Backups(ctx context.Context, backend string) ([]BackupListItem, error) {
	var l []BackupListItem
	if err := c.get(ctx, "/v1/backups/"+url.PathEscape(backend), &l); err != nil {
		return nil, err
	}
	return l, nil
}

// Backup reads one backup's status: GET /v1/backups/{backend}/{id}.
func (c *Client) Backup(ctx context.Context, backend, id string) (*BackupStatus, error) {
	var b BackupStatus
	if err := c.get(ctx, "/v1/backups/"+url.PathEscape(backend)+"/"+url.PathEscape(id), &b); err != nil {
		return nil, err
	}
	return &b, nil
}
