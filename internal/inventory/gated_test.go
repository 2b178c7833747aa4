package inventory

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/wvlint/wvlint/internal/catalog"
	"github.com/wvlint/wvlint/internal/discover"
	"github.com/wvlint/wvlint/internal/gittest"
	"github.com/wvlint/wvlint/internal/readbuf"
)

// recordingFS is the work tree's file system recording which files its
// gated reads did not hold whole.
type recordingFS struct {
	*discover.OSFS
	mu        sync.Mutex
	notWanted []string
}

func (r *recordingFS) ReadFileGated(name string, buf []byte, gate readbuf.Gate) ([]byte, error) {
	data, err := r.OSFS.ReadFileGated(name, buf, gate)
	if errors.Is(err, readbuf.ErrNotWanted) {
		r.mu.Lock()
		r.notWanted = append(r.notWanted, name)
		r.mu.Unlock()
	}
	return data, err
}

// wholeFS reads every file whole: it has no ReadFileGated.
type wholeFS struct{ o *discover.OSFS }

func (w wholeFS) ReadFile(name string) ([]byte, error)  { return w.o.ReadFile(name) }
func (w wholeFS) ReadDir(name string) ([]string, error) { return w.o.ReadDir(name) }
func (w wholeFS) ReadFileBuf(name string, buf []byte) ([]byte, error) {
	return w.o.ReadFileBuf(name, buf)
}

// padding is a YAML or HCL comment of about n bytes, without the word.
func padding(n int) string {
	line := "# generated: the quick brown fox jumps over the lazy dog 0123456789\n"
	return strings.Repeat(line, n/len(line)+1)
}

// Large files are held whole only when a source that reads them finds a
// piece relevant: a rendered manifest whose Weaviate document lies past the
// first megabyte, a kustomization and a Terraform caller that never say
// weaviate (every kustomization is relevant; so is a module call) are read;
// a CRD bundle is not. The scan finds what reading every file whole finds.
func TestScanGatesLargeFiles(t *testing.T) {
	root := t.TempDir()
	big := padding(1 << 20)
	files := map[string]string{
		"rendered/all.yaml": big + "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: b\n---\n" +
			"apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: vdb\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n        - name: db\n          image: semitechnologies/weaviate:1.25.4\n",
		"crds/bundle.yaml":                      big + "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\n",
		"kust/base/kustomization.yaml":          "resources:\n  - statefulset.yaml\n",
		"kust/base/statefulset.yaml":            "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: vdb\nspec:\n  template:\n    spec:\n      containers:\n        - name: db\n          image: semitechnologies/weaviate:1.24.1\n",
		"kust/overlays/prod/kustomization.yaml": big + "resources:\n  - ../../base\nnamespace: prod\n",
		"tf/modules/db/main.tf":                 "resource \"helm_release\" \"weaviate\" {\n  name       = \"weaviate\"\n  chart      = \"weaviate\"\n  repository = \"https://weaviate.github.io/weaviate-helm\"\n  version    = \"17.4.0\"\n  set {\n    name  = \"image.tag\"\n    value = var.tag\n  }\n}\n",
		"tf/modules/db/variables.tf":            "variable \"tag\" {\n  default = \"1.27.0\"\n}\n",
		"tf/envs/prod/main.tf":                  big + "module \"db\" {\n  source = \"../../modules/db\"\n  tag    = \"1.28.3\"\n}\n",
		// The testcontainers-go import and the word lie a megabyte apart:
		// no piece holds both.
		"gotest/db_test.go": "package gotest\n\nimport tc \"github.com/testcontainers/testcontainers-go\"\n\n" +
			strings.ReplaceAll(big, "# ", "// ") +
			"var req = tc.ContainerRequest{Image: img}\n\nconst img = \"semitechnologies/\" + \"weaviate:1.26.3\"\n",
	}
	var walked []string
	for name, body := range files {
		gittest.Write(t, root, name, body)
		walked = append(walked, filepath.Join(root, filepath.FromSlash(name)))
	}
	slices.Sort(walked)
	scan := func(fsys FS) *Result { return Scan(fsys, walked, Options{}) }

	gated := &recordingFS{OSFS: discover.NewOSFS([]string{root}, walked, 64<<20)}
	got := scan(gated)
	want := scan(wholeFS{discover.NewOSFS([]string{root}, walked, 64<<20)})
	if !reflect.DeepEqual(got, want) {
		t.Errorf("gated reads found\n%+v\nreading every file whole finds\n%+v", got, want)
	}
	if w := []string{filepath.Join(root, "crds/bundle.yaml")}; !reflect.DeepEqual(gated.notWanted, w) {
		t.Errorf("not held whole: %v, want %v", gated.notWanted, w)
	}
	var where []string
	for _, d := range got.Deployments {
		rel, _ := filepath.Rel(root, d.File)
		where = append(where, rel+" "+d.ID)
	}
	for _, w := range []string{"rendered/all.yaml k8s:StatefulSet/vdb#db", "tf/envs/prod/main.tf terraform:", "gotest/db_test.go go:"} {
		if !slices.ContainsFunc(where, func(s string) bool { return strings.HasPrefix(s, w) }) {
			t.Errorf("no deployment %s... among %q", w, where)
		}
	}
}

// Every source's Relevant holds of some piece of every file it holds of,
// as the gated reads of large files need (Source.Relevant): the fixtures
// of the rules and of the testscripts, cut into pieces of a few lines
// overlapping as the reader's do. A pre-filter that wants two texts (an
// import and a word) fails here when they lie apart.
func TestRelevantHoldsOfAPiece(t *testing.T) {
	root := filepath.Join("..", "..")
	srcs := Sources()
	id := &idContext{cat: catalog.Embedded()}
	load := newLoader(discover.NewOSFS([]string{root}, nil, 1<<20)) // a compose file's .env, beside it
	gate := relevantGate(srcs, load, id)
	const piece = 2 * relevantOverlap
	checked := 0
	check := func(name string, data []byte) {
		in := &Input{Path: name, Raw: readbuf.Borrow(data), Load: load, id: id}
		if !slices.ContainsFunc(srcs, func(s *Source) bool { return s.Reads(name) && s.relevant(in) }) || len(data) <= piece {
			return
		}
		checked++
		for start := 0; ; start += piece - relevantOverlap {
			end := min(start+piece, len(data))
			if gate.Holds(name, data[start:end]) {
				return
			}
			if end == len(data) {
				break
			}
		}
		t.Errorf("%s: a source finds it relevant, but no piece of %d bytes", name, piece)
	}
	err := filepath.WalkDir(filepath.Join(root, "rules", "testdata"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		data, err := os.ReadFile(p)
		check(p, data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	scripts, err := filepath.Glob(filepath.Join(root, "testdata", "script", "*.txtar"))
	if err != nil || len(scripts) == 0 {
		t.Fatalf("no testscripts: %v", err)
	}
	for _, s := range scripts {
		a, err := txtar.ParseFile(s)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range a.Files {
			check(filepath.Join(s, strings.TrimSuffix(f.Name, ".txt")), f.Data)
		}
	}
	if checked < 100 {
		t.Errorf("only %d relevant fixtures of more than a piece", checked)
	}
}
