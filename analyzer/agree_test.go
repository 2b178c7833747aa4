package analyzer_test

import (
	"bytes"
	"go/format"
	"os"
	"path/filepath"
	"testing"

	"github.com/wvlint/wvlint/internal/cli"
)

// TestFixesAgree runs `wvlint --fix` over the analyzer's test package and
// requires each file to become its .golden file, which is what the
// analyzer's suggested fixes write (analysistest formats the result, so
// wvlint's byte-exact output is formatted before comparing).
func TestFixesAgree(t *testing.T) {
	src, err := filepath.Abs(filepath.Join("testdata", "src", "pins"))
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(src, "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files: %v", err)
	}
	t.Setenv("WVLINT_RELEASES", "")
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	work := t.TempDir()
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(work, filepath.Base(f)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(work)
	var stdout, stderr bytes.Buffer
	cli.Run([]string{"--fix", "--no-git", "."}, nil, &stdout, &stderr)
	for _, f := range files {
		want, err := os.ReadFile(f + ".golden")
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(work, filepath.Base(f)))
		if err != nil {
			t.Fatal(err)
		}
		formatted, err := format.Source(got)
		if err != nil {
			t.Fatalf("%s after wvlint --fix does not parse: %v", f, err)
		}
		if !bytes.Equal(formatted, want) {
			t.Errorf("%s: wvlint --fix wrote\n%s\nthe analyzer's fixes write\n%s\nstderr:\n%s", filepath.Base(f), formatted, want, stderr.String())
		}
	}
}
