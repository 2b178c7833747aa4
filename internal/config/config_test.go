package config

import (
	"strings"
	"testing"

	"github.com/wvlint/wvlint/rules"
)

func TestParse(t *testing.T) {
	c, err := Parse("/repo/.wvlint.yaml", []byte("rules:\n  WV1002: off\n  skipped-minor: warning\nignore: [\"gen/**\"]\nfail-on: note\ndeployed:\n  \"helm:a#w\": v1.27.5\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !c.Rules["WV1002"].Off || *c.Rules["WV1001"].Severity != rules.Warning || *c.FailOn != rules.Note || c.Deployed["helm:a#w"] != "v1.27.5" {
		t.Errorf("parsed: %+v", c)
	}
	if len(c.Apply(rules.All())) != len(rules.All())-1 {
		t.Error("Apply did not drop the rule turned off")
	}
	if !c.Ignored("/repo/gen/x/values.yaml") || c.Ignored("/repo/deploy/values.yaml") {
		t.Error("Ignored wrong")
	}
	for _, bad := range []struct{ text, want string }{
		{"rules: [WV1002]\n", ":1: rules: want a mapping"},
		{"ignore:\n  - \"[\"\n", ":2: ignore: invalid glob"},
		{"fail-on: loud\n", ":1: fail-on: unknown severity"},
		{"x: 1\n", `:1: unknown key "x"`},
		{"rules:\n  WV1002: sometimes\n", ":2: rules: WV1002: unknown severity"},
		{"- a\n", ":1: the configuration must be a mapping"},
		{"a: [\n", "invalid YAML"},
		{"rules:\n  WV9001: off\n", ":2: rules: WV9001 parse-error cannot be turned off or re-graded"},
		{"rules:\n  parse-error: warning\n", ":2: rules: WV9001 parse-error cannot be turned off"},
	} {
		_, err := Parse("c.yaml", []byte(bad.text))
		if err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("Parse(%q) = %v, want %q", bad.text, err, bad.want)
		}
	}
}

// TestIgnoredRelativeConfig: a config named by a relative path (--config
// ci.yaml) applies its globs relative to its own directory.
func TestParseImagesAndValues(t *testing.T) {
	c, err := Parse("/repo/.wvlint.yaml", []byte("images:\n  - registry.corp.internal/vector/*\n  - \"*.dkr.ecr.*.amazonaws.com/weaviate\"\nvalues:\n  - deploy/**/weaviate-values.yaml\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Images) != 2 || c.Images[0] != (Glob{"registry.corp.internal/vector/*", 2}) || c.Images[1].Line != 3 {
		t.Errorf("images: %+v", c.Images)
	}
	if len(c.Values) != 1 || c.Values[0] != (Glob{"deploy/**/weaviate-values.yaml", 5}) {
		t.Errorf("values: %+v", c.Values)
	}
	for _, bad := range []struct{ text, want string }{
		{"images: registry.corp.internal/x\n", ":1: images: want a list of globs"},
		{"images:\n  - \"[\"\n", `:2: images: invalid glob "["`},
		{"values:\n  - {a: b}\n", ":2: values: invalid glob"},
		{"values:\n  - \"\"\n", ":2: values: invalid glob"},
	} {
		_, err := Parse("c.yaml", []byte(bad.text))
		if err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("Parse(%q) = %v, want %q", bad.text, err, bad.want)
		}
	}
}

func TestIgnoredRelativeConfig(t *testing.T) {
	t.Chdir(t.TempDir())
	c, err := Parse("ci.yaml", []byte("ignore: [\"gen/**\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !c.Ignored("gen/values.yaml") || c.Ignored("deploy/values.yaml") {
		t.Errorf("Ignored with a relative config path: gen %v, deploy %v", c.Ignored("gen/values.yaml"), c.Ignored("deploy/values.yaml"))
	}
}

// TestRequiredRule: WV9001 may be named, left on or at its own severity.
func TestRequiredRule(t *testing.T) {
	for _, ok := range []string{"WV9001: on", "parse-error: error", "WV9001: true"} {
		c, err := Parse("c.yaml", []byte("rules:\n  "+ok+"\n"))
		if err != nil {
			t.Errorf("%s: %v", ok, err)
			continue
		}
		if len(c.Apply(rules.All())) != len(rules.All()) || c.Severity(rules.ParseError, rules.Error) != rules.Error {
			t.Errorf("%s changed WV9001", ok)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add("rules: {WV1002: off}\nignore: [a]\nfail-on: error\ndeployed: {x: 1.2.3}\n")
	f.Fuzz(func(t *testing.T, s string) {
		_, _ = Parse("c.yaml", []byte(s))
	})
}
