package main

import (
	"os"
	"regexp"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/wvlint/wvlint/internal/inventory"
)

// Every pre-commit hook sees every kind of file wvlint reads: a commit
// that changes only a Terraform default or a deploy script's pin must not
// skip the hook.
func TestHooksSeeEverySource(t *testing.T) {
	data, err := os.ReadFile("../../.pre-commit-hooks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var hooks []struct {
		ID    string `yaml:"id"`
		Files string `yaml:"files"`
	}
	if err := yaml.Unmarshal(data, &hooks); err != nil {
		t.Fatal(err)
	}
	// Each shape of file a source reads (its Examples, which its Reads
	// holds of), and the .env files compose and scripts take their values
	// from.
	var names []string
	for _, s := range inventory.Sources() {
		if len(s.Examples) == 0 {
			t.Errorf("source %s has no Examples", s.Name)
		}
		names = append(names, s.Examples...)
	}
	names = append(names, ".env", "compose/.env", "versions.env", "deploy/.env.prod")
	if len(hooks) == 0 {
		t.Fatal("no hooks")
	}
	for _, h := range hooks {
		re, err := regexp.Compile(h.Files)
		if err != nil {
			t.Fatalf("hook %s: files: %v", h.ID, err)
		}
		for _, n := range names {
			if !re.MatchString(n) {
				t.Errorf("hook %s does not see %s (files: %s)", h.ID, n, h.Files)
			}
		}
		for _, n := range []string{"README.md", "main.py", "docs/values.txt"} {
			if re.MatchString(n) {
				t.Errorf("hook %s runs for %s, which wvlint does not read", h.ID, n)
			}
		}
	}
}
