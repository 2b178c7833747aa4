package inventory

import (
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/wvlint/wvlint/internal/catalog"
	"github.com/wvlint/wvlint/internal/shscript"
	"github.com/wvlint/wvlint/internal/terraform"
	"github.com/wvlint/wvlint/internal/tiltfile"
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
		if s.Doc == "" || s.Reads == nil || s.Extract == nil || len(s.Examples) == 0 {
			t.Errorf("source %q needs Doc, Reads, Extract and Examples", s.Name)
		}
		for _, ex := range s.Examples {
			if !s.Reads(ex) {
				t.Errorf("source %q: Reads(%q) is false for its own example", s.Name, ex)
			}
		}
	}
}

func TestReadsAndNeighbours(t *testing.T) {
	srcs := Sources()
	for p, want := range map[string]bool{
		"a/values.yaml": true, "a/x.YML": true, "Dockerfile": true, "build/app.dockerfile": true, "main.go": true,
		"README.md": false, ".env": false, "a/Kustomization": true,
	} {
		if got := srcs.Reads(p); got != want {
			t.Errorf("Reads(%q) = %v, want %v", p, got, want)
		}
	}
	got := srcs.Neighbours("app/values-prod.yaml", []string{".env", "Chart.yaml", "README.md", "compose.override.yml", "docker-compose.yaml",
		"helmfile.yaml", "kustomization.yaml", "values.yaml", "values-prod.yaml", "Chart.lock"})
	want := []string{"Chart.yaml", "compose.override.yml", "docker-compose.yaml", "helmfile.yaml", "kustomization.yaml"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Neighbours = %v, want %v", got, want)
	}
}

// TestUpwardAndAcross: above a values file given alone, the files that may
// name it (scripts, YAML files: helmfiles and Argo CD Applications,
// Terraform modules); above a module file, the
// modules that may call it, and across the repository its callers.
func TestUpwardAndAcross(t *testing.T) {
	srcs := Sources()
	names := []string{"deploy.sh", "Makefile", "helmfile.yaml", "main.tf", "terraform.tfvars", "compose.yaml", "values.yaml", "README.md"}
	// Every YAML file above: an Argo CD Application may have any name.
	if got, want := srcs.Upward("charts/weaviate/values-prod.yaml", ".", names), []string{"Makefile", "compose.yaml", "deploy.sh", "helmfile.yaml", "main.tf", "terraform.tfvars", "values.yaml"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Upward(values file) = %v, want %v", got, want)
	}
	if got, want := srcs.Upward("modules/weaviate/variables.tf", ".", names), []string{"main.tf", "terraform.tfvars"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Upward(module file) = %v, want %v", got, want)
	}
	if got := srcs.Upward("stack/compose.yaml", ".", nil); len(got) != 0 {
		t.Errorf("Upward with no files = %v", got)
	}
	if got := srcs.Upward("deploy/run.sh", ".", names); len(got) != 0 {
		t.Errorf("Upward(script) = %v, want none", got)
	}
	m := srcs.Across("modules/weaviate/variables.tf", []string{"main.tf", "variables.tf"})
	if m == nil || !m("envs/prod/main.tf") || m("envs/prod/values.yaml") {
		t.Error("Across(module file) does not match the .tf files alone")
	}
	// A values file beside a module's .tf files is read through the
	// module's callers too; one without is not.
	if m := srcs.Across("modules/weaviate/values.yaml", []string{"main.tf", "values.yaml"}); m == nil || !m("envs/prod/main.tf") {
		t.Error("Across(values file beside a module) does not match the .tf files")
	}
	if srcs.Across("charts/weaviate/values-prod.yaml", []string{"Chart.yaml", "values.yaml"}) != nil {
		t.Error("Across(values file) matches files: only a module's callers are looked for across the tree")
	}
}

// TestDeploysWeaviate1: a chart version tells a copy of the weaviate
// chart only from its Weaviate 1.x era on (chart 12.0.0, the first whose
// appVersion is 1.0.0, in the catalog's chart table).
func TestDeploysWeaviate1(t *testing.T) {
	cat := catalog.Embedded()
	for v, want := range map[string]bool{"0.1.0": false, "10.3.1": false, "11.0.0": false, "12.0.0": true, "17.3.3": true} {
		ch, ok := cat.Chart(v)
		if !ok {
			t.Fatalf("chart %s is not in the catalog", v)
		}
		if got := deploysWeaviate1(ch); got != want {
			t.Errorf("deploysWeaviate1(%s, app %s) = %v, want %v", v, ch.AppVersion, got, want)
		}
	}
}

// TestNamePredicatesFoldCase: the file-name tests every file of the walk
// meets fold case without lower-casing the name, and answer as the
// lower-casing versions did, for names of every shape and case.
func TestNamePredicatesFoldCase(t *testing.T) {
	lower := strings.ToLower
	refDockerfile := func(base string) bool {
		l := lower(base)
		return l == "dockerfile" || l == "containerfile" || strings.HasPrefix(l, "dockerfile.") || strings.HasSuffix(l, ".dockerfile")
	}
	refYAML := func(p string) bool { e := lower(filepath.Ext(p)); return e == ".yaml" || e == ".yml" }
	refTilt := func(b string) bool {
		return b == "Tiltfile" || strings.HasPrefix(b, "Tiltfile.") || strings.HasSuffix(lower(b), ".tiltfile")
	}
	refDialect := func(b string) string {
		l := lower(b)
		switch {
		case b == "Makefile" || b == "makefile" || b == "GNUmakefile" || strings.HasSuffix(l, ".mk"):
			return "make"
		case l == "justfile" || l == ".justfile" || strings.HasSuffix(l, ".just"):
			return "just"
		case strings.HasSuffix(l, ".sh") || strings.HasSuffix(l, ".bash"):
			return "shell"
		}
		return ""
	}
	refTF := func(b string) bool {
		l := lower(b)
		return strings.HasSuffix(l, ".tf") || l == "terraform.tfvars" || strings.HasSuffix(l, ".auto.tfvars")
	}
	stems := []string{"", "a", "x.", "Dockerfile", "dockerfile", "DOCKERFILE", "Containerfile", "dockerfilex", "Dockerfile.prod",
		"dockerfile.", "api.Dockerfile", "api.dockerfile", ".dockerfile", "ockerfile", "values.YAML", "values.yml", "values.Yml",
		"x.yamlx", ".yaml", "Tiltfile", "Tiltfile.dev", "dev.TiltFile", "tiltfile", ".tiltfile", "Makefile", "GNUmakefile",
		"rules.MK", "Justfile", ".justfile", "x.JUST", "deploy.SH", "run.bash", "sh", "main.TF", "terraform.TFVARS",
		"prod.auto.tfvars", "x.tfvars", "tf", "README.md", "main.go", "\u212Aubernetes.yaml", "caf\u00e9.sh", "\xff.yml"}
	for _, s := range stems {
		for _, p := range []string{s, "deploy/" + s} {
			b := filepath.Base(p)
			if got, want := isDockerfile(b), refDockerfile(b); got != want {
				t.Errorf("isDockerfile(%q) = %v, want %v", b, got, want)
			}
			if got, want := yamlFile(p), refYAML(p); got != want {
				t.Errorf("yamlFile(%q) = %v, want %v", p, got, want)
			}
			if got, want := tiltfile.Is(p), refTilt(b); got != want {
				t.Errorf("tiltfile.Is(%q) = %v, want %v", p, got, want)
			}
			if got, want := shscript.Dialect(p), refDialect(b); got != want {
				t.Errorf("shscript.Dialect(%q) = %q, want %q", p, got, want)
			}
			if got, want := terraform.IsModuleFile(p), refTF(b); got != want {
				t.Errorf("terraform.IsModuleFile(%q) = %v, want %v", p, got, want)
			}
		}
	}
}
