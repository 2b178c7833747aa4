package discover

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"github.com/wvlint/wvlint/internal/inventory"
)

func write(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// walk collects what Stream sends, sorted.
func walk(roots []string) ([]string, []Problem) {
	ch := make(chan string)
	var probs []Problem
	done := make(chan struct{})
	go func() { probs = Stream(roots, ch); close(done) }()
	var files []string
	for f := range ch {
		files = append(files, f)
	}
	<-done
	sort.Strings(files)
	return files, probs
}

func TestStream(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{
		".gitignore":                 "build/\n*.generated.yaml\n!keep.generated.yaml\n",
		"compose.yaml":               "",
		"deploy/values.yml":          "",
		"deploy/Dockerfile":          "",
		"deploy/app.Dockerfile":      "",
		"deploy/README.md":           "",
		"deploy/x.generated.yaml":    "",
		"deploy/keep.generated.yaml": "",
		"deploy/.gitignore":          "local.yaml\n",
		"deploy/local.yaml":          "",
		"other/local.yaml":           "",
		"build/out.yaml":             "",
		"vendor/a.yaml":              "",
		"node_modules/b.yaml":        "",
		".git/config.yaml":           "",
	})
	files, probs := walk([]string{root})
	var rel []string
	for _, f := range files {
		r, _ := filepath.Rel(root, f)
		rel = append(rel, filepath.ToSlash(r))
	}
	want := []string{"compose.yaml", "deploy/Dockerfile", "deploy/app.Dockerfile", "deploy/keep.generated.yaml", "deploy/values.yml", "other/local.yaml"}
	if !reflect.DeepEqual(rel, want) {
		t.Errorf("Stream = %v\nwant %v", rel, want)
	}
	if len(probs) != 0 {
		t.Errorf("problems: %v", probs)
	}
}

func TestOSFSRefusesEscapes(t *testing.T) {
	base := t.TempDir()
	write(t, base, map[string]string{"tree/a.yaml": "a", "secret.yaml": "s"})
	tree := filepath.Join(base, "tree")
	if err := os.Symlink(filepath.Join(base, "secret.yaml"), filepath.Join(tree, "link.yaml")); err != nil {
		t.Skip("no symlinks here:", err)
	}
	fsys := NewOSFS([]string{tree}, nil, 1<<20)
	if _, err := fsys.ReadFile(filepath.Join(tree, "a.yaml")); err != nil {
		t.Errorf("inside: %v", err)
	}
	for _, p := range []string{filepath.Join(tree, "link.yaml"), filepath.Join(tree, "..", "secret.yaml")} {
		if _, err := fsys.ReadFile(p); !errors.Is(err, ErrOutside) {
			t.Errorf("ReadFile(%s) err = %v, want ErrOutside", p, err)
		}
	}
}

func TestOSFSSizeLimit(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{"w.yaml": "image: semitechnologies/Weaviate:1.0.0", "n.yaml": "nothing to see here at all"})
	fsys := NewOSFS([]string{root}, nil, 4)
	for name, mentions := range map[string]bool{"w.yaml": true, "n.yaml": false} {
		var tl *inventory.TooLargeError
		_, err := fsys.ReadFile(filepath.Join(root, name))
		if !errors.As(err, &tl) || tl.Mentions != mentions || tl.Limit != 4 {
			t.Errorf("%s: err = %v, want TooLargeError with Mentions=%v", name, err, mentions)
		}
	}
}
