package format

import (
	"bytes"
	"encoding/json"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/wvlint/wvlint/internal/diag"
	"github.com/wvlint/wvlint/internal/pos"
	"github.com/wvlint/wvlint/rules"
)

// hostileNames are file names a repository can hold that break naive
// output: a terminal escape, workflow-command syntax, an encoded newline,
// a newline, a bidi override, invalid UTF-8, a C1 control, DEL, a tab, a
// colon in the first path segment (a URI scheme), URI delimiters.
var hostileNames = []string{
	"esc\x1b[31mred.yml",
	"::error title=x::y.yml",
	"pct%0A.yml",
	"new\nline.yml",
	"bidi\u202eevil.yml",
	"bad\xffutf8.yml",
	"c1\u009bcsi.yml",
	"del\x7f.yml",
	"tab\tname.yml",
	"c:colon.yml",
	"dir/a:b.yml",
	"space name #frag?q.yml",
}

// rawControl finds a character no output may hold raw: C0 controls other
// than newline (which ends lines), DEL, C1 controls, format characters
// such as bidi overrides, and invalid UTF-8.
func rawControl(out []byte) (string, bool) {
	for i := 0; i < len(out); {
		r, n := utf8.DecodeRune(out[i:])
		if r == utf8.RuneError && n == 1 || r != '\n' && unsafeRune(r) {
			return strconv.Quote(string(out[max(0, i-20):min(len(out), i+20)])), true
		}
		i += n
	}
	return "", false
}

func hostileDiagnostics(root string) []diag.Diagnostic {
	var ds []diag.Diagnostic
	for i, name := range hostileNames {
		ds = append(ds, diag.Diagnostic{Rule: "WV1002", Severity: diag.Warning,
			Span:    pos.Span{File: filepath.Join(root, name), Line: 1, Col: 1, EndCol: 3},
			Message: "tag \x1b]0;owned\x07 in " + name, Fingerprint: strconv.Itoa(i) + ":1",
			Related: []diag.Related{{File: name, Line: 1, Column: 1, Message: "set\nhere " + name}}})
	}
	return ds
}

// TestHostileNames runs every format over diagnostics on hostile file names
// and messages: no raw control character in any output, text quotes the
// names as %q does, SARIF stays valid with URIs that are URI references.
func TestHostileNames(t *testing.T) {
	root := t.TempDir()
	ds := hostileDiagnostics(root)
	lines := pos.NewLines([]byte("a:\x1b[2J \u202eb\tc\n"))
	run := &Run{Root: root, Lines: func(string) *pos.Lines { return lines }, Version: "v1.0.0"}
	for _, name := range Names {
		var b bytes.Buffer
		if err := Formats[name](&b, rules.All(), ds, run); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if at, bad := rawControl(b.Bytes()); bad {
			t.Errorf("%s output holds a raw control character near %s", name, at)
		}
		switch name {
		case "text":
			for _, n := range hostileNames {
				want := filepath.Join(root, n)
				if !clean(want) {
					want = strconv.Quote(want)
				}
				if !strings.Contains(b.String(), want+":1:1: warning: ") {
					t.Errorf("text: the name %q is not printed as %s", n, want)
				}
			}
		case "github":
			for _, l := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
				// The properties end at the first "::"; none may hold a raw
				// colon or comma, or a name could end them early.
				props, _, ok := strings.Cut(strings.TrimPrefix(l, "::warning "), "::")
				if !strings.HasPrefix(l, "::warning file=") || !ok || strings.ContainsAny(strings.ReplaceAll(props, ",line=", ""), ":") ||
					strings.Count(props, ",") != 4 {
					t.Errorf("github: not one workflow command with five properties: %q", l)
				}
			}
		case "json":
			var v struct {
				Findings []struct{ File, Message string }
			}
			if err := json.Unmarshal(b.Bytes(), &v); err != nil {
				t.Fatalf("json: %v", err)
			}
			for i, f := range v.Findings {
				if want := strings.ToValidUTF8(ds[i].Span.File, "\uFFFD"); f.File != want {
					t.Errorf("json: file %q, want %q", f.File, want)
				}
			}
		case "sarif":
			checkSARIF(t, b.Bytes())
		}
	}
}

// uriRef is RFC 3986's relative-ref with a path only (no "//" authority):
// unreserved, sub-delims, ":" and "@" and "/", or a percent-encoding.
var uriRef = regexp.MustCompile(`^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-F]{2})*$`)

func checkSARIF(t *testing.T, data []byte) {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if err := schema(t).Validate(doc); err != nil {
		t.Errorf("sarif: invalid against the schema: %v", err)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
					}
				}
			}
		}
	}
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatal(err)
	}
	for i, r := range log.Runs[0].Results {
		u := r.Locations[0].PhysicalLocation.ArtifactLocation.URI
		first, _, _ := strings.Cut(u, "/")
		if !uriRef.MatchString(u) || strings.Contains(first, ":") {
			t.Errorf("sarif: %q (for %q) is not a valid relative URI reference", u, hostileNames[i])
			continue
		}
		parsed, err := url.Parse(u)
		if err != nil || parsed.Scheme != "" || parsed.Fragment != "" || parsed.RawQuery != "" {
			t.Errorf("sarif: %q parses as %+v, %v", u, parsed, err)
			continue
		}
		if got, err := url.PathUnescape(u); err != nil || strings.TrimPrefix(got, "./") != hostileNames[i] {
			t.Errorf("sarif: %q decodes to %q, want %q", u, got, hostileNames[i])
		}
	}
}

func TestSafeText(t *testing.T) {
	for in, want := range map[string]string{
		"plain 1.27 -> 1.28": "plain 1.27 -> 1.28",
		"esc\x1b[31m":        `esc\x1b[31m`,
		"nl\nx":              `nl\nx`,
		"bidi\u202e":         `bidi\u202e`,
		"bad\xff":            `bad\xff`,
		"ünïcödé ok":         "ünïcödé ok",
	} {
		if got := SafeText(in); got != want {
			t.Errorf("SafeText(%q) = %q, want %q", in, got, want)
		}
	}
	if got := safeExcerpt("a\x1b\tb\u202ec"); got != "a\uFFFD b\uFFFDc" {
		t.Errorf("safeExcerpt = %q: one replacement per character keeps the caret aligned", got)
	}
}

// TestHasUnsafe: EscapeJSON's byte-wise pre-filter agrees with unsafeRune
// for every code point, in text and at either end, and leaves bytes that
// are not UTF-8 alone (as the rewrite does).
func TestHasUnsafe(t *testing.T) {
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		want := r != '\n' && r != '\t' && unsafeRune(r)
		for _, data := range []string{string(r), "image: " + string(r) + " tag", "x" + string(r)} {
			if got := hasUnsafe([]byte(data)); got != want {
				t.Fatalf("hasUnsafe(%q) = %v, want %v", data, got, want)
			}
		}
	}
	for _, data := range []string{"\xff", "a\xc0\x80b", "\xe2\x80", "plain \"json\"\n\t"} {
		if hasUnsafe([]byte(data)) {
			t.Errorf("hasUnsafe(%q) = true, want false", data)
		}
		if got := string(EscapeJSON([]byte(data))); got != data {
			t.Errorf("EscapeJSON(%q) = %q, want it unchanged", data, got)
		}
	}
}
