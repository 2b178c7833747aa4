package lint

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestEngineReadsNoEnvironment: the engine and what it runs take the
// environment and the working directory as values (compare.Target,
// Options.Dir), which the CLI fills: none of their files asks the process.
// internal/discover is not among them: it hands git the caller's
// environment without GIT_DIR (gitEnv), which is not a decision of the run.
func TestEngineReadsNoEnvironment(t *testing.T) {
	banned := map[string]bool{"Getenv": true, "LookupEnv": true, "Environ": true, "Getwd": true, "Chdir": true}
	dirs := []string{".", "../inventory", "../../rules", "../format", "../plan", "../facts", "../directive", "../baseline", "../relpath", "../compare"}
	files := 0
	for _, dir := range dirs {
		names, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range names {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			files++
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, name, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				sel, ok := n.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				if x, ok := sel.X.(*ast.Ident); ok && x.Name == "os" && banned[sel.Sel.Name] {
					t.Errorf("%s: os.%s: the engine takes this as a value from the CLI", fset.Position(sel.Pos()), sel.Sel.Name)
				}
				return true
			})
		}
	}
	if files < 50 {
		t.Fatalf("read %d files: the package paths moved", files)
	}
}
