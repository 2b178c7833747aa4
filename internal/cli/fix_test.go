package cli

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestFixGolden runs `wvlint --fix` over testdata/fix/<case>/before (with
// the arguments in <case>/args) and requires the tree to become exactly
// <case>/after, byte for byte, and the lines of <case>/stderr (regular
// expressions) on stderr. A second run changes nothing, and the output of
// `--diff` on the same input, applied with the real `patch -p1`, gives the
// same tree.
func TestFixGolden(t *testing.T) {
	if _, err := exec.LookPath("patch"); err != nil {
		t.Fatal("the patch program is needed for this test (apt-get install patch)")
	}
	root, err := filepath.Abs("../../testdata/fix")
	if err != nil {
		t.Fatal(err)
	}
	cases, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("WVLINT_RELEASES", "")
	t.Setenv("XDG_CACHE_HOME", t.TempDir()) // the embedded catalog, not a refreshed one
	for _, c := range cases {
		dir := filepath.Join(root, c.Name())
		t.Run(c.Name(), func(t *testing.T) {
			argsText, err := os.ReadFile(filepath.Join(dir, "args"))
			if err != nil {
				t.Fatal(err)
			}
			args := strings.Fields(string(argsText))
			want := readTree(t, filepath.Join(dir, "after"))

			work := t.TempDir()
			copyTree(t, filepath.Join(dir, "before"), work)
			t.Chdir(work)
			var stdout, stderr bytes.Buffer
			Run(append([]string{"--fix"}, args...), nil, &stdout, &stderr)
			compareTree(t, "after --fix", readTree(t, work), want)
			if wantErr, err := os.ReadFile(filepath.Join(dir, "stderr")); err == nil {
				for _, re := range strings.Split(strings.TrimSpace(string(wantErr)), "\n") {
					if !regexp.MustCompile("(?m)" + re).MatchString(stderr.String()) {
						t.Errorf("stderr lacks %q:\n%s", re, stderr.String())
					}
				}
			}
			stderr.Reset()
			Run(append([]string{"--fix"}, args...), nil, &stdout, &stderr)
			compareTree(t, "after a second --fix", readTree(t, work), want)
			if strings.Contains(stderr.String(), ": fixed: ") {
				t.Errorf("the second run fixed something:\n%s", stderr.String())
			}

			work2 := t.TempDir()
			copyTree(t, filepath.Join(dir, "before"), work2)
			t.Chdir(work2)
			stdout.Reset()
			Run(append([]string{"--diff"}, args...), nil, &stdout, &stderr)
			compareTree(t, "--diff changed files", readTree(t, work2), readTree(t, filepath.Join(dir, "before")))
			if stdout.Len() > 0 {
				cmd := exec.Command("patch", "-p1", "--batch", "--silent", "--no-backup-if-mismatch")
				cmd.Stdin = bytes.NewReader(stdout.Bytes())
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("patch -p1: %v\n%s\n%s", err, out, stdout.String())
				}
			}
			compareTree(t, "--diff applied with patch -p1", readTree(t, work2), want)
		})
	}
}

func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	for name, content := range readTree(t, from) {
		p := filepath.Join(to, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func compareTree(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	for name, w := range want {
		if g, ok := got[name]; !ok {
			t.Errorf("%s: %s is missing", what, name)
		} else if g != w {
			t.Errorf("%s: %s is\n%q\nwant\n%q", what, name, g, w)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("%s: unexpected file %s", what, name)
		}
	}
}
