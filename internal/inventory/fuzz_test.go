package inventory

import (
	"io/fs"
	"path"
	"sort"
	"strings"
	"testing"
)

// memFS is an in-memory FS for tests.
type memFS map[string]string

func (m memFS) ReadFile(name string) ([]byte, error) {
	if s, ok := m[name]; ok {
		return []byte(s), nil
	}
	return nil, fs.ErrNotExist
}

func (m memFS) ReadDir(dir string) ([]string, error) {
	var out []string
	for n := range m {
		if path.Dir(n) == dir {
			out = append(out, path.Base(n))
		}
	}
	sort.Strings(out)
	return out, nil
}

// FuzzScan feeds arbitrary text to every parser the scanner has: compose
// with .env interpolation, Helm values with a Chart.yaml, Dockerfiles,
// workflows and Go. It must never panic, and every deployment it reports
// must have a position.
func FuzzScan(f *testing.F) {
	f.Add("services:\n  w:\n    image: semitechnologies/weaviate:${V:-1.27.5}\n", "V=1.28.1\n", "FROM semitechnologies/weaviate:${T}\nARG T=1\n")
	f.Add("image:\n  repo: semitechnologies/weaviate\n  tag: &t 1.2.3\nx: *t\n<<: {a: b}\n", "V", "FROM --platform=x weaviate \\\n AS b\nENV A=1 B\n")
	f.Add("jobs:\n  j:\n    services:\n      w:\n        image: semitechnologies/weaviate:${{ matrix.v }}\n    strategy: {matrix: {v: [1, 2]}}\n", "", "package p\nconst x = \"semitechnologies/weaviate:1.0.0\"\n")
	f.Fuzz(func(t *testing.T, yamlText, env, docker string) {
		files := memFS{
			"d/compose.yaml":           yamlText,
			"d/.env":                   env,
			"d/Chart.yaml":             "name: x\ndependencies: [{name: weaviate, version: 17.8.3}]\n",
			"d/values.yaml":            yamlText,
			"d/Dockerfile":             docker,
			".github/workflows/ci.yml": yamlText,
			"k/kustomization.yaml":     "resources: [../d]\n" + yamlText,
			"g/x.go":                   docker,
		}
		res := Scan(files, []string{"d/compose.yaml", "d/Chart.yaml", "d/values.yaml", "d/Dockerfile", ".github/workflows/ci.yml", "k/kustomization.yaml", "g/x.go"}, Options{Workers: 1})
		for _, d := range res.Deployments {
			if d.File == "" || d.Line < 1 || d.Column < 1 {
				t.Fatalf("deployment without a position: %+v", d)
			}
		}
	})
}

func TestScanMemFS(t *testing.T) {
	files := memFS{
		"app/compose.yaml": "services:\n  w:\n    image: cr.weaviate.io/semitechnologies/weaviate:${V}\n",
		"app/.env":         "V=1.28.3\n",
	}
	res := Scan(files, []string{"app/compose.yaml"}, Options{})
	if len(res.Deployments) != 1 {
		t.Fatalf("deployments: %+v", res.Deployments)
	}
	d := res.Deployments[0]
	if d.File != "app/.env" || d.Line != 1 || d.Column != 3 || d.EndColumn != 9 || d.Version != "1.28.3" {
		t.Errorf("got %s:%d:%d-%d %s", d.File, d.Line, d.Column, d.EndColumn, d.Version)
	}
	if len(d.Related) != 1 || d.Related[0].File != "app/compose.yaml" || d.Related[0].Line != 3 || d.Related[0].Column != 53 {
		t.Errorf("related: %+v", d.Related)
	}
}

func TestMentionsWeaviate(t *testing.T) {
	for s, want := range map[string]bool{
		"weaviate": true, "Weaviate": true, "x weaviate y": true, "semitechnologies/weaviate:1.27.1": true,
		"WEAVIATE": false, "weaviat": false, "eaviate": false, "qeaviate": false, "": false, "viate": false,
		"wea viate": false, "weavia te": false, "v": false, "ends with weaviate": true, "weaviate starts": true,
	} {
		if got := mentionsWeaviate([]byte(s)); got != want {
			t.Errorf("mentionsWeaviate(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestMentionsServer(t *testing.T) {
	for s, want := range map[string]bool{
		"image: cr.weaviate.io/semitechnologies/transformers-inference:sentence-transformers":    false,
		"image: cr.weaviate.io/semitechnologies/contextionary:en0.16.0\nlabels: {app: weaviate}": true,
		"image: cr.weaviate.io/semitechnologies/weaviate:1.28.16":                                true,
		"image: registry.internal/mirror/semitechnologies/weaviate:1.28.16":                      true,
		"a: cr.weaviate.io/semitechnologies/x\nb: cr.weaviate.io/semitechnologies/y":             false,
		"a: cr.weaviate.io/semitechnologies/x\nb: cr.weaviate.io/semitechnologies/Weaviate":      true,
		"url: https://weaviate.github.io/weaviate-helm":                                          true,
		"cr.weaviate.io":                    true, // the host alone, not an image of the organisation
		"cr.weaviate.io/other/module":       true,
		"xcr.weaviate.io/semitechnologies/": false,
		"no mention":                        false,
	} {
		if got := mentionsServer([]byte(s)); got != want {
			t.Errorf("mentionsServer(%q) = %v, want %v", s, got, want)
		}
	}
}

func FuzzMentionsWeaviate(f *testing.F) {
	f.Add("a weaviate b")
	f.Add("cr.weaviate.io/semitechnologies/weaviate")
	f.Add("cr.weaviate.io/semitechnologies/contextionary")
	f.Fuzz(func(t *testing.T, s string) {
		want := strings.Contains(s, "weaviate") || strings.Contains(s, "Weaviate")
		if got := mentionsWeaviate([]byte(s)); got != want {
			t.Fatalf("mentionsWeaviate(%q) = %v, want %v", s, got, want)
		}
		// mentionsServer drops only the registry host of other images of
		// the organisation: without one it is mentionsWeaviate.
		server := mentionsServer([]byte(s))
		if server && !want {
			t.Fatalf("mentionsServer(%q) without a mention", s)
		}
		hostless := strings.ReplaceAll(strings.ReplaceAll(s, "cr.weaviate.io/semitechnologies/", "\x00"), "cr.Weaviate.io/semitechnologies/", "\x00")
		if plain := strings.Contains(hostless, "weaviate") || strings.Contains(hostless, "Weaviate"); plain && !server {
			t.Fatalf("mentionsServer(%q) = false, but it names weaviate outside a module image host", s)
		}
	})
}
