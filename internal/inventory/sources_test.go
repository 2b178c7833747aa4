package inventory

import (
	"reflect"
	"regexp"
	"testing"
)

// TestSources validates the registry as rules_test validates the rules.
func TestSources(t *testing.T) {
	name := regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)
	seen := map[string]bool{}
	for _, s := range Sources() {
		if !name.MatchString(s.Name) {
			t.Errorf("source name %q is not kebab-case", s.Name)
		}
		if seen[s.Name] {
			t.Errorf("source %q registered twice", s.Name)
		}
		seen[s.Name] = true
		if s.Doc == "" || s.Reads == nil || s.Extract == nil {
			t.Errorf("source %q needs Doc, Reads and Extract", s.Name)
		}
	}
}

func TestReadsAndNeighbours(t *testing.T) {
	for p, want := range map[string]bool{
		"a/values.yaml": true, "a/x.YML": true, "Dockerfile": true, "build/app.dockerfile": true, "main.go": true,
		"README.md": false, ".env": false, "a/Kustomization": true,
	} {
		if got := Reads(p); got != want {
			t.Errorf("Reads(%q) = %v, want %v", p, got, want)
		}
	}
	got := Neighbours("app/values-prod.yaml", []string{".env", "Chart.yaml", "README.md", "compose.override.yml", "docker-compose.yaml",
		"helmfile.yaml", "kustomization.yaml", "values.yaml", "values-prod.yaml", "Chart.lock"})
	want := []string{"Chart.yaml", "compose.override.yml", "docker-compose.yaml", "helmfile.yaml", "kustomization.yaml"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Neighbours = %v, want %v", got, want)
	}
}
