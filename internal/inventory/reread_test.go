package inventory

import (
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
)

// countFS counts the reads of each file.
type countFS struct {
	memFS
	mu    sync.Mutex
	reads map[string]int
}

func (c *countFS) ReadFile(name string) ([]byte, error) {
	c.mu.Lock()
	c.reads[name]++
	c.mu.Unlock()
	return c.memFS.ReadFile(name)
}

// TestScanParsesRereadFilesOnce: the kustomizations that retarget reads
// again after the scan, and the values files a release layers, are read
// and parsed once, by the scan (Source.Reread), not a second time by the
// Loader.
func TestScanParsesRereadFilesOnce(t *testing.T) {
	fsys := &countFS{reads: map[string]int{}, memFS: memFS{
		"base/kustomization.yaml": "resources:\n- weaviate.yaml\n",
		"base/weaviate.yaml":      "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: weaviate\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n      - name: weaviate\n        image: cr.weaviate.io/semitechnologies/weaviate:1.28.3\n",
		"prod/kustomization.yaml": "resources:\n- ../base\nimages:\n- name: cr.weaviate.io/semitechnologies/weaviate\n  newTag: 1.28.4\n",
		"chart/Chart.yaml":        "apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n- name: weaviate\n  version: 17.3.3\n  repository: https://weaviate.github.io/weaviate-helm\n",
		"chart/values.yaml":       "weaviate:\n  image:\n    tag: 1.28.3\n",
	}}
	files := []string{"base/kustomization.yaml", "base/weaviate.yaml", "prod/kustomization.yaml", "chart/Chart.yaml", "chart/values.yaml"}
	res := Scan(fsys, files, Options{Workers: 1})
	if len(res.Deployments) == 0 {
		t.Fatal("no deployments: the fixture does not exercise the reread")
	}
	retargeted := false
	for _, d := range res.Deployments {
		retargeted = retargeted || len(d.RetargetedBy) > 0
	}
	if !retargeted {
		t.Errorf("the base pin is not retargeted: retarget did not read the kustomizations")
	}
	for _, f := range []string{"base/kustomization.yaml", "prod/kustomization.yaml", "chart/values.yaml"} {
		if n := fsys.reads[f]; n != 1 {
			t.Errorf("%s read %d times, want once", f, n)
		}
	}
}

// TestScanHandsOverLines: the scan hands the report the line indexes of
// the files deployments are read from that it parsed (the manifest, the
// values file the Loader parsed for the chart), with their text as in
// the file, so that suppressions and fingerprints need not read them
// again; files that gave no deployment are not held.
func TestScanHandsOverLines(t *testing.T) {
	fsys := memFS{
		"k8s/weaviate.yaml": "# wvlint:ignore WV1002 pinned on purpose\r\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: weaviate\nspec:\n  template:\n    spec:\n      containers:\n      - name: weaviate\n        image: cr.weaviate.io/semitechnologies/weaviate:1.28.3\n",
		"k8s/client.yaml":   "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  WEAVIATE_URL: http://weaviate:8080\n",
		"chart/Chart.yaml":  "apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n- name: weaviate\n  version: 17.3.3\n  repository: https://weaviate.github.io/weaviate-helm\n",
		"chart/values.yaml": "weaviate:\n  image:\n    tag: 1.28.3\n",
	}
	res := Scan(fsys, []string{"k8s/weaviate.yaml", "k8s/client.yaml", "chart/Chart.yaml", "chart/values.yaml"}, Options{Workers: 2})
	for _, f := range []string{"k8s/weaviate.yaml", "chart/values.yaml"} {
		l := res.Lines[f]
		if l == nil {
			t.Errorf("%s: no line index handed over (have %v)", f, slices.Collect(maps.Keys(res.Lines)))
			continue
		}
		want := strings.Split(strings.ReplaceAll(fsys[f], "\r\n", "\n"), "\n")
		if l.Count() != len(want) {
			t.Errorf("%s: %d lines, want %d", f, l.Count(), len(want))
		}
		for n, text := range want {
			if got := l.Line(n + 1); got != text {
				t.Errorf("%s:%d = %q, want %q", f, n+1, got, text)
			}
		}
	}
	if l := res.Lines["k8s/client.yaml"]; l != nil {
		t.Errorf("k8s/client.yaml gave no deployment but its lines are held")
	}
}

// TestYAMLIfParsesWanted: a kustomize patch whose text cannot set an
// image is read once and not parsed; one that can is parsed from that
// read, and YAML's callers share the parse.
func TestYAMLIfParsesWanted(t *testing.T) {
	fsys := &countFS{reads: map[string]int{}, memFS: memFS{
		"o/patch-replicas.yaml": "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: weaviate\nspec:\n  replicas: 3\n",
		"o/patch-image.yaml":    "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: weaviate\nspec:\n  template:\n    spec:\n      containers:\n      - {name: weaviate, image: cr.weaviate.io/semitechnologies/weaviate:1.28.4}\n",
		"o/patch-escaped.yaml":  "kind: StatefulSet\nspec:\n  template:\n    spec:\n      containers:\n      - name: weaviate\n        \"\\x69mage\": cr.weaviate.io/semitechnologies/weaviate:1.28.4\n",
	}}
	load := newLoader(fsys)
	if f, err := load.YAMLIf("o/patch-replicas.yaml", maySetImage); f != nil || err != nil {
		t.Errorf("patch-replicas.yaml: %v, %v; want it not parsed", f, err)
	}
	if load.heldLines("o/patch-replicas.yaml") != nil {
		t.Errorf("patch-replicas.yaml is held as parsed")
	}
	for _, p := range []string{"o/patch-image.yaml", "o/patch-escaped.yaml"} {
		f, err := load.YAMLIf(p, maySetImage)
		if err != nil || f == nil || len(f.Docs) != 1 {
			t.Fatalf("%s: %v, %v; want it parsed", p, f, err)
		}
		if g, _ := load.YAML(p); g != f {
			t.Errorf("%s: YAML parsed it again", p)
		}
		if len(readPatch(load, p)) != 1 {
			t.Errorf("%s: readPatch found no image", p)
		}
	}
	for p, n := range fsys.reads {
		if n != 1 {
			t.Errorf("%s read %d times, want once", p, n)
		}
	}
}
