package golangci

import (
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
