package relpath

import (
	"os"
	"path/filepath"
	"testing"
)

func TestRel(t *testing.T) {
	root, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(root, "deploy", "sub dir"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(root, "deploy"), filepath.Join(root, "link")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("link", filepath.Join(root, "link2")); err != nil { // a link to a link, relative
		t.Fatal(err)
	}
	outside := t.TempDir()
	t.Chdir(filepath.Join(root, "deploy"))
	// Names with the working directory given, and left to ask.
	named, asking := NewNames(root, filepath.Join(root, "deploy")), NewNames(root, "")
	for _, tt := range []struct {
		file, want string
		inside     bool
	}{
		{"compose.yaml", "deploy/compose.yaml", true},
		{"sub dir/values.yaml", "deploy/sub dir/values.yaml", true},
		{filepath.Join(root, "link", "compose.yaml"), "deploy/compose.yaml", true},
		{filepath.Join(root, "link", "sub dir", "values.yaml"), "deploy/sub dir/values.yaml", true},
		{filepath.Join(root, "link2", "sub dir", "values.yaml"), "deploy/sub dir/values.yaml", true},
		{"../x.yaml", "x.yaml", true},
		{filepath.Join(root, "gone", "deleted.yaml"), "gone/deleted.yaml", true},
		{filepath.Join(outside, "a.yaml"), filepath.ToSlash(filepath.Join(outside, "a.yaml")), false},
		{"../../elsewhere.yaml", "../../elsewhere.yaml", false},
	} {
		got, inside := Rel(root, tt.file)
		if got != tt.want || inside != tt.inside {
			t.Errorf("Rel(%q) = %q, %v; want %q, %v", tt.file, got, inside, tt.want, tt.inside)
		}
		// Names answers as Rel does, asked twice (the second answer
		// is the one it kept).
		for range 2 {
			for _, names := range []*Names{named, asking} {
				if got := names.Display(tt.file); got != tt.want {
					t.Errorf("Names{cwd %q}.Display(%q) = %q; want %q", names.cwd, tt.file, got, tt.want)
				}
			}
		}
	}
	if got := NewNames("", "").Display("a/b.yaml"); got != "a/b.yaml" {
		t.Errorf("Names.Display without root = %q", got)
	}
}
