package golangci

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/golangci/plugin-module-register/register"

	"github.com/wvlint/wvlint/analyzer"
)

func TestPlugin(t *testing.T) {
	newPlugin, err := register.GetPlugin("wvlint")
	if err != nil {
		t.Fatal(err)
	}
	p, err := newPlugin(map[string]any{"releases": "my-releases.tsv"})
	if err != nil {
		t.Fatal(err)
	}
	as, err := p.BuildAnalyzers()
	if err != nil || len(as) != 1 || as[0] != analyzer.Analyzer {
		t.Fatalf("BuildAnalyzers = %v, %v", as, err)
	}
	if got := analyzer.Analyzer.Flags.Lookup("releases").Value.String(); got != "my-releases.tsv" {
		t.Errorf("releases setting not applied: %q", got)
	}
	if p.GetLoadMode() != register.LoadModeTypesInfo {
		t.Errorf("load mode %s", p.GetLoadMode())
	}
	if _, err := newPlugin(map[string]any{"releases": 7}); err == nil {
		t.Error("a bad setting was accepted")
	}
}

func TestPluginDisable(t *testing.T) {
	newPlugin, err := register.GetPlugin("wvlint")
	if err != nil {
		t.Fatal(err)
	}
	disable := analyzer.Analyzer.Flags.Lookup("disable")
	t.Cleanup(func() { _ = disable.Value.Set("") })
	p, err := newPlugin(map[string]any{"disable": []any{"not-latest-patch", "WV2001"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.BuildAnalyzers(); err != nil {
		t.Fatal(err)
	}
	if got := disable.Value.String(); got != "WV2001,WV1002" {
		t.Errorf("disable setting not applied: %q", got)
	}
	p, err = newPlugin(map[string]any{"disable": []any{"WV1001"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.BuildAnalyzers(); err == nil || !strings.Contains(err.Error(), `unknown rule "WV1001": the Go analyzer has WV2001 floating-tag`) {
		t.Errorf("a rule the analyzer does not run was accepted: %v", err)
	}
}

// TestDocFilters keeps docs/golangci-lint.md true: the vet flag it names
// exists, and its golangci-lint exclusion matches WV1002's message and no
// other rule's.
func TestDocFilters(t *testing.T) {
	doc, err := os.ReadFile("../../docs/golangci-lint.md")
	if err != nil {
		t.Fatal(err)
	}
	flagName := analyzer.Analyzer.Name + ".disable"
	if analyzer.Analyzer.Flags.Lookup("disable") == nil || !strings.Contains(string(doc), "-"+flagName+"=not-latest-patch") {
		t.Errorf("the doc does not show the vet flag -%s", flagName)
	}
	if !strings.Contains(string(doc), "No severities: every finding fails") {
		t.Error("the doc does not say that the vet tool and the plugin have no severities")
	}
	m := regexp.MustCompile(`(?m)^\s+text: '(.*)'$`).FindSubmatch(doc)
	if m == nil {
		t.Fatal("the doc shows no golangci-lint exclusion by text")
	}
	re, err := regexp.Compile(string(m[1]))
	if err != nil {
		t.Fatalf("the doc's exclusion %q is no regexp: %v", m[1], err)
	}
	for _, r := range analyzer.Rules {
		msg := "1.27.5 is not the latest patch of 1.27 [" + r.ID + " " + r.Name + "]"
		if got, want := re.MatchString(msg), r.ID == "WV1002"; got != want {
			t.Errorf("the doc's exclusion %q matches %q: %v, want %v", re, msg, got, want)
		}
	}
}
