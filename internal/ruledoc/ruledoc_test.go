package ruledoc_test

import (
	"cmp"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"

	"github.com/wvlint/wvlint/internal/catalog"
	"github.com/wvlint/wvlint/internal/compare"
	"github.com/wvlint/wvlint/internal/config"
	"github.com/wvlint/wvlint/internal/diag"
	"github.com/wvlint/wvlint/internal/fix"
	"github.com/wvlint/wvlint/internal/format"
	"github.com/wvlint/wvlint/internal/lint"
	"github.com/wvlint/wvlint/internal/preflight"
	"github.com/wvlint/wvlint/internal/remedy"
	"github.com/wvlint/wvlint/internal/ruledoc"
	"github.com/wvlint/wvlint/rules"
)

var update = os.Getenv("WVLINT_UPDATE") == "1"

// TestExamples runs every rule's documented example through the linter:
// the rule's findings must be exactly the documented output.
func TestExamples(t *testing.T) {
	for _, r := range rules.All() {
		t.Run(r.ID, func(t *testing.T) {
			ex := r.Example
			if ex == nil {
				t.Fatalf("%s has no example", r.ID)
			}
			if len(ex.Answers) > 0 {
				runLiveExample(t, r)
				return
			}
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, ex.File), []byte(ex.Content), 0o644); err != nil {
				t.Fatal(err)
			}
			t.Chdir(dir)
			var from []string
			if ex.From != "" {
				from = []string{ex.From}
			}
			rep, err := lint.Run(lint.Options{Paths: []string{"."}, Target: fromTarget(t, from), Catalog: catalog.Embedded(), Rules: rules.All()})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, d := range rep.Diagnostics {
				if d.Rule == r.ID {
					got = append(got, format.Line(d, r.Name))
				}
			}
			compareOutput(t, r, got)
			// The documented fix is what wvlint --fix writes, and only
			// rules that remedy fixes document one.
			if (r.Doc.AutoFix != "") != remedy.Fixable(r.ID) || (ex.Fixed != "") != remedy.Fixable(r.ID) {
				t.Errorf("AutoFix %q and Example.Fixed %q, but remedy.Fixable = %v", r.Doc.AutoFix, ex.Fixed, remedy.Fixable(r.ID))
			}
			var mine []diag.Diagnostic
			for _, d := range rep.Diagnostics {
				if d.Rule == r.ID {
					mine = append(mine, d)
				}
			}
			var edits []fix.Edit
			for _, s := range remedy.Suggest(mine, rep.Deployments, catalog.Embedded()) {
				if s.Fix != nil {
					edits = append(edits, s.Fix.Edits...)
				}
			}
			fixed, err := fix.Apply([]byte(ex.Content), edits)
			if err != nil {
				t.Fatal(err)
			}
			if want := cmp.Or(ex.Fixed, ex.Content); string(fixed) != want {
				t.Errorf("wvlint --fix writes\n%s\nthe documentation says\n%s", fixed, want)
			}
		})
	}
}

// runLiveExample replays a live rule's documented answers from a test
// server and runs the preflight, with the documented flags, against it.
func runLiveExample(t *testing.T, r *rules.Rule) {
	ex := r.Example
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		for _, a := range ex.Answers {
			if a.Path == req.URL.Path {
				w.Header().Set("Content-Type", "application/json")
				if a.Status != 0 {
					w.WriteHeader(a.Status)
				}
				fmt.Fprint(w, a.Body)
				return
			}
		}
		http.NotFound(w, req)
	}))
	defer srv.Close()
	// Whatever host the example names, the request reaches the test server.
	tr := &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, srv.Listener.Addr().String())
	}}
	defer tr.CloseIdleConnections()
	fs := flag.NewFlagSet("preflight", flag.ContinueOnError)
	flags := preflight.AddFlags(fs)
	if err := fs.Parse(ex.Args); err != nil {
		t.Fatal(err)
	}
	opt, err := flags.Options(ruledoc.LiveURL(ex), func(string) string { return "" }, catalog.Embedded(), tr)
	if err != nil {
		t.Fatal(err)
	}
	res := preflight.Check(context.Background(), opt)
	var got []string
	for _, f := range res.Findings {
		if f.Rule == r.ID {
			got = append(got, preflight.FindingLine(f))
		}
	}
	compareOutput(t, r, got)
}

// compareOutput fails unless got is exactly the documented output.
func compareOutput(t *testing.T, r *rules.Rule, got []string) {
	t.Helper()
	if len(got) == 0 {
		t.Errorf("the example does not trigger %s", r.ID)
	}
	if strings.Join(got, "\n") != strings.Join(r.Example.Output, "\n") {
		t.Errorf("documented output differs; the example gives:\n\t\tOutput: []string{%s},", quote(got))
	}
}

func quote(ss []string) string {
	var q []string
	for _, s := range ss {
		q = append(q, fmt.Sprintf("%q", s))
	}
	return strings.Join(q, ", ")
}

// TestDocsCurrent fails when docs/rules.md or the README's rule table is
// stale; WVLINT_UPDATE=1 (make docs) rewrites them.
func TestDocsCurrent(t *testing.T) {
	root := filepath.Join("..", "..")
	check := func(path, want string) {
		t.Helper()
		got, err := os.ReadFile(path)
		if update {
			if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		if err != nil || string(got) != want {
			t.Errorf("%s is stale: run 'make docs'", path)
		}
	}
	check(filepath.Join(root, "docs", "rules.md"), ruledoc.Document(rules.All()))
	check(filepath.Join(root, "docs", "wvlint.schema.json"), ruledoc.ConfigSchema(rules.All()))

	readme := filepath.Join(root, "README.md")
	data, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	const start, end = "<!-- rules:start -->\n", "<!-- rules:end -->"
	s := string(data)
	i, j := strings.Index(s, start), strings.Index(s, end)
	if i < 0 || j < i {
		t.Fatalf("README.md has no %q ... %q markers", start, end)
	}
	check(readme, s[:i+len(start)]+ruledoc.Table(rules.All(), "docs/rules.md")+s[j:])
}

// TestConfigSchema checks the published schema against configs the loader
// accepts and rejects.
func TestConfigSchema(t *testing.T) {
	c := jsonschema.NewCompiler()
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(ruledoc.ConfigSchema(rules.All())))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddResource("wvlint.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("wvlint.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, yaml string
		ok         bool
	}{
		{"full", "rules:\n  WV1002: off\n  skipped-minor: error\n  WV2001: true\nignore: [\"**/gen/**\"]\nfail-on: error\ndeployed:\n  \"compose:a#w\": 1.27.5\n", true},
		{"unknown key", "fail_on: error\n", false},
		{"unknown rule", "rules:\n  WV1234: off\n", false},
		{"bad severity", "rules:\n  WV1002: fatal\n", false},
		{"bad version", "deployed:\n  x: latest\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v any
			if err := yaml.Unmarshal([]byte(tt.yaml), &v); err != nil {
				t.Fatal(err)
			}
			data, _ := json.Marshal(v)
			inst, _ := jsonschema.UnmarshalJSON(strings.NewReader(string(data)))
			if err := s.Validate(inst); (err == nil) != tt.ok {
				t.Errorf("schema valid = %v, want %v (%v)", err == nil, tt.ok, err)
			}
			_, lerr := config.Parse(".wvlint.yaml", []byte(tt.yaml))
			if (lerr == nil) != tt.ok {
				t.Errorf("loader accepts = %v, want %v (%v)", lerr == nil, tt.ok, lerr)
			}
		})
	}
}

// fromTarget is the comparison with the versions named by --from, or with
// nothing.
func fromTarget(t *testing.T, from []string) compare.Target {
	t.Helper()
	tg, err := compare.Resolve(compare.Request{NoGit: true, From: from})
	if err != nil {
		t.Fatal(err)
	}
	return tg
}
