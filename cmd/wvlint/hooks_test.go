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
	// One name for each shape a source reads, and the .env files compose
	// and scripts take their values from.
	names := []string{
		"docker-compose.yml", "deploy/compose.yaml", "charts/weaviate/values-prod.yaml", "Chart.yaml",
		"k8s/overlays/prod/kustomization.yaml", "Kustomization", ".github/workflows/ci.yml", ".github/actions/wv/action.yml",
		"Dockerfile", "build/Dockerfile.prod", "app.dockerfile", "Containerfile",
		"internal/store/weaviate_test.go", "infra/main.tf", "infra/terraform.tfvars", "infra/prod.auto.tfvars",
		"deploy.sh", "scripts/run.bash", "Makefile", "GNUmakefile", "mk/versions.mk", "justfile", ".justfile", "tasks.just",
		"Tiltfile", "dev/Tiltfile.ci", "services/db.tiltfile",
	}
	for _, n := range names {
		if !inventory.Reads(n) {
			t.Errorf("no source reads %s: update this list", n)
		}
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
