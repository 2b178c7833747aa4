package weaviateapi

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// TestOnlyLiveCommandsTouchTheNetwork: wvlint touches the network only when
// a command asks (preflight and --live through this package, `releases
// update` through catalogupdate). The proof is the import graph of every
// non-test Go file of the module: only the files below may import the
// network packages or the packages that use them, so a lint, a fix or an
// inventory cannot open a connection.
func TestOnlyLiveCommandsTouchTheNetwork(t *testing.T) {
	allowed := map[string][]string{
		// The network itself.
		"net":      {"internal/weaviateapi/client.go", "internal/catalogupdate/update.go", "internal/weaviatetest/weaviatetest.go"},
		"net/http": {"internal/weaviateapi/client.go", "internal/catalogupdate/update.go", "internal/weaviatetest/weaviatetest.go", "internal/preflight/flags.go"},
		// The packages that use it, and who may call them.
		"github.com/wvlint/wvlint/internal/weaviateapi":   {"internal/preflight/preflight.go", "internal/preflight/flags.go", "internal/cli/lint.go"},
		"github.com/wvlint/wvlint/internal/preflight":     {"internal/cli/preflight.go", "internal/cli/lint.go"},
		"github.com/wvlint/wvlint/internal/catalogupdate": {"internal/cli/plan.go"},
		"github.com/wvlint/wvlint/internal/weaviatetest":  {}, // tests only
	}
	root := moduleRoot(t)
	var got []string
	files := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (name == "testdata" || strings.HasPrefix(name, ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		files++
		rel := filepath.ToSlash(strings.TrimPrefix(path, root+string(filepath.Separator)))
		for _, im := range f.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			key := p
			if strings.HasPrefix(p, "net/http/") || p == "net/rpc" || p == "net/smtp" || p == "net/mail" {
				key = "net/http" // httptrace, httputil, cookiejar...: the same door
			}
			if ok, listed := allowed[key]; listed && !slices.Contains(ok, rel) {
				got = append(got, rel+" imports "+p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 100 {
		t.Fatalf("read only %d Go files under %s", files, root)
	}
	sort.Strings(got)
	for _, g := range got {
		t.Errorf("%s: only the preflight, --live and `releases update` may reach the network", g)
	}
}

func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test")
		}
		dir = parent
	}
}
