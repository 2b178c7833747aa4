package discover

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wvlint/wvlint/internal/gittest"
	"github.com/wvlint/wvlint/internal/readbuf"
)

func write(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		gittest.Write(t, root, name, body)
	}
}

// want is the predicate of a scan that reads YAML, Go and Dockerfiles and
// wants the Chart.yaml beside a named file.
var want = Want{
	Reads: func(p string) bool {
		l := strings.ToLower(filepath.Base(p))
		switch filepath.Ext(l) {
		case ".yaml", ".yml", ".go":
			return true
		}
		return l == "dockerfile" || strings.HasSuffix(l, ".dockerfile")
	},
	Neighbours: func(_ string, siblings []string) []string {
		var out []string
		for _, n := range siblings {
			if n == "Chart.yaml" {
				out = append(out, n)
			}
		}
		return out
	},
}

// walk collects what Stream sends, sorted.
func walk(roots []string) ([]string, []Problem) { return walkWant(roots, want) }

// walkWant is walk with another predicate.
func walkWant(roots []string, want Want) ([]string, []Problem) {
	ch := make(chan string)
	var probs []Problem
	done := make(chan struct{})
	go func() { probs = Stream(roots, want, ch); close(done) }()
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
		t.Fatal("symlink:", err)
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
	fsys.Sniff = func(b []byte) bool { return bytes.Contains(bytes.ToLower(b), []byte("weaviate")) }
	fsys.SniffWidth = 8
	for name, mentions := range map[string]bool{"w.yaml": true, "n.yaml": false} {
		var tl *readbuf.TooLargeError
		_, err := fsys.ReadFile(filepath.Join(root, name))
		if !errors.As(err, &tl) || tl.Mentions != mentions || tl.Limit != 4 {
			t.Errorf("%s: err = %v, want TooLargeError with Mentions=%v", name, err, mentions)
		}
	}
}

// In a git work tree the listing comes from git: the same files as the walk
// gives (git's ignore rules at every level), tracked files deleted since
// are skipped, links out of the tree are notices, and a root git ignores as
// a whole is still read because the user named it.
func TestStreamGit(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "repo")
	git := gitIn(t, root)
	write(t, root, map[string]string{
		".gitignore":                 "build/\n*.generated.yaml\n!keep.generated.yaml\n/ignored-root/\n",
		"compose.yaml":               "",
		"deploy/values.yml":          "",
		"deploy/Dockerfile":          "",
		"deploy/README.md":           "",
		"deploy/x.generated.yaml":    "",
		"deploy/keep.generated.yaml": "",
		"deploy/.gitignore":          "local.yaml\n",
		"deploy/local.yaml":          "",
		"other/local.yaml":           "",
		"other/untracked.yaml":       "",
		"build/out.yaml":             "",
		"vendor/a.yaml":              "",
		"node_modules/b.yaml":        "",
		"gone.yaml":                  "",
		"with space/ü.yaml":          "",
		"ignored-root/c.yaml":        "",
	})
	write(t, base, map[string]string{"outside.yaml": ""})
	if err := os.Symlink(filepath.Join(base, "outside.yaml"), filepath.Join(root, "link.yaml")); err != nil {
		t.Fatal(err)
	}
	git("init", "-q")
	git("add", ".gitignore", "compose.yaml", "deploy", "gone.yaml", "link.yaml", "with space", "vendor")
	git("commit", "-q", "-m", "x")
	if err := os.Remove(filepath.Join(root, "gone.yaml")); err != nil {
		t.Fatal(err)
	}
	eachMode(t, func(t *testing.T) {
		rel, probs := readAll(t, root)
		want := []string{"compose.yaml", "deploy/Dockerfile", "deploy/keep.generated.yaml", "deploy/values.yml", "other/local.yaml", "other/untracked.yaml", "with space/ü.yaml"}
		if !reflect.DeepEqual(rel, want) {
			t.Errorf("read = %q\nwant %q", rel, want)
		}
		if len(probs) != 1 || probs[0].Path != filepath.Join(root, "link.yaml") || !probs[0].Notice {
			t.Errorf("problems = %+v, want one notice for link.yaml", probs)
		}
	})
	files, _ := walk([]string{filepath.Join(root, "ignored-root")})
	if len(files) != 1 || filepath.Base(files[0]) != "c.yaml" {
		t.Errorf("a root git ignores: %q, want c.yaml", files)
	}
}

// The walk outside git ignores what git itself ignores: the same tree
// listed by the walk and, once it is a repository, by git agree, with
// patterns that override each other across levels.
func TestWalkIgnoresAsGitDoes(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "tree")
	write(t, root, map[string]string{
		".gitignore":                "*.local.yaml\n/top-only.yaml\nout/\n**/gen/*.yaml\n# a comment\n\ntmp*\n!tmp-keep.yaml\n",
		"a.local.yaml":              "",
		"top-only.yaml":             "",
		"sub/top-only.yaml":         "",
		"sub/.gitignore":            "!keep.local.yaml\n*.yml\n",
		"sub/keep.local.yaml":       "",
		"sub/drop.local.yaml":       "",
		"sub/x.yml":                 "",
		"sub/deeper/y.yml":          "",
		"sub/deeper/gen/z.yaml":     "",
		"gen/w.yaml":                "",
		"out/o.yaml":                "",
		"deep/out/o.yaml":           "",
		"tmp1.yaml":                 "",
		"tmp-keep.yaml":             "",
		"ok/compose.yaml":           "",
		"linked/.gitignore.target":  "compose.yaml\n",
		"linked/compose.yaml":       "",
		"outside-ignore/.gitignore": "*.yaml\n",
	})
	// A .gitignore that is a symbolic link is not read (git does not
	// follow one either).
	if err := os.Symlink(filepath.Join(root, "linked", ".gitignore.target"), filepath.Join(root, "linked", ".gitignore")); err != nil {
		t.Fatal(err)
	}
	list := func() []string {
		files, probs := walk([]string{root})
		if len(probs) != 0 {
			t.Fatalf("problems: %v", probs)
		}
		var rel []string
		for _, f := range files {
			r, _ := filepath.Rel(root, f)
			rel = append(rel, filepath.ToSlash(r))
		}
		return rel
	}
	walked := list()
	gittest.Git(t, root, "init", "-q")
	byGit := list()
	if !reflect.DeepEqual(walked, byGit) {
		t.Errorf("walk lists %q\ngit lists  %q", walked, byGit)
	}
	if !slices.Contains(walked, "sub/keep.local.yaml") || slices.Contains(walked, "sub/drop.local.yaml") || !slices.Contains(walked, "linked/compose.yaml") {
		t.Errorf("walk lists %q", walked)
	}
}

// TestAbove: the upward look climbs from a file's directory to the top
// given, never above the current directory for a relative path, and not at
// all for a directory given.
func TestAbove(t *testing.T) {
	top := t.TempDir()
	abs := filepath.Join(top, "charts", "weaviate", "values-prod.yaml")
	for _, tt := range []struct {
		given, top string
		want       []string
	}{
		{"charts/weaviate/values-prod.yaml", "", []string{"charts", "."}},
		{"values.yaml", "", nil},
		{"../x/values.yaml", "", nil},
		{abs, top, []string{filepath.Join(top, "charts"), top}},
		{abs, filepath.Join(top, "charts"), []string{filepath.Join(top, "charts")}},
		{abs, "", nil},
	} {
		if got := Above(tt.given, tt.top); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Above(%q, %q) = %q, want %q", tt.given, tt.top, got, tt.want)
		}
	}
}

// TestUpwardAndAcross: a file given alone is sent with the files above it
// that Upward picks (regular files only: a symbolic link is not followed),
// and with the files of the tree Across matches; those, and only those,
// are reported as read for the file given. A directory given is the tree:
// nothing above it is read.
func TestUpwardAndAcross(t *testing.T) {
	top := t.TempDir()
	write(t, top, map[string]string{
		"deploy.sh":                        "",
		"helmfile.yaml":                    "",
		"README.md":                        "",
		"charts/deploy.sh":                 "",
		"charts/weaviate/values-prod.yaml": "",
		"charts/weaviate/Chart.yaml":       "",
		"envs/prod/main.tf":                "",
		"modules/weaviate/variables.tf":    "",
		"vendor/x/main.tf":                 "",
	})
	if err := os.Symlink(filepath.Join(top, "README.md"), filepath.Join(top, "charts", "linked.sh")); err != nil {
		t.Fatal(err)
	}
	w := want
	w.Top = top
	w.Reads = func(p string) bool { return true }
	var upwardDirs []string
	w.Upward = func(_, dir string, names []string) []string {
		upwardDirs = append(upwardDirs, dir)
		var out []string
		for _, n := range names {
			if strings.HasSuffix(n, ".sh") || n == "helmfile.yaml" {
				out = append(out, n)
			}
		}
		return out
	}
	w.Across = func(given string, _ []string) func(string) bool {
		if !strings.HasSuffix(given, ".tf") {
			return nil
		}
		return func(p string) bool { return strings.HasSuffix(p, ".tf") }
	}
	var referrers []string
	w.Referrers = func(fs []string) { referrers = fs }
	var rel func([]string) []string
	run := func(roots ...string) []string {
		files, _ := walkWant(roots, w)
		return rel(files)
	}
	rel = func(fs []string) []string {
		var out []string
		for _, f := range fs {
			r, _ := filepath.Rel(top, f)
			out = append(out, filepath.ToSlash(r))
		}
		return out
	}

	got := run(filepath.Join(top, "charts", "weaviate", "values-prod.yaml"))
	if want := []string{"charts/deploy.sh", "charts/weaviate/Chart.yaml", "charts/weaviate/values-prod.yaml", "deploy.sh", "helmfile.yaml"}; !reflect.DeepEqual(got, want) {
		t.Errorf("values file alone: %v, want %v", got, want)
	}
	if want := []string{"charts/deploy.sh", "deploy.sh", "helmfile.yaml"}; !reflect.DeepEqual(rel(referrers), want) {
		t.Errorf("referrers = %v, want %v", rel(referrers), want)
	}
	if want := []string{filepath.Join(top, "charts"), top}; !reflect.DeepEqual(upwardDirs, want) {
		t.Errorf("upward looked in %v, want %v", upwardDirs, want)
	}

	// A module file alone: its callers anywhere in the tree (not vendor/).
	got = run(filepath.Join(top, "modules", "weaviate", "variables.tf"))
	if want := []string{"deploy.sh", "envs/prod/main.tf", "helmfile.yaml", "modules/weaviate/variables.tf"}; !reflect.DeepEqual(got, want) {
		t.Errorf("module file alone: %v, want %v", got, want)
	}

	// Given as well, a referrer is not one.
	run(filepath.Join(top, "charts", "weaviate", "values-prod.yaml"), filepath.Join(top, "deploy.sh"))
	if want := []string{"charts/deploy.sh", "helmfile.yaml"}; !reflect.DeepEqual(rel(referrers), want) {
		t.Errorf("referrers with deploy.sh given = %v, want %v", rel(referrers), want)
	}

	// A directory given reads nothing above it.
	upwardDirs = nil
	got = run(filepath.Join(top, "charts", "weaviate"))
	if want := []string{"charts/weaviate/Chart.yaml", "charts/weaviate/values-prod.yaml"}; !reflect.DeepEqual(got, want) || len(upwardDirs) != 0 {
		t.Errorf("directory given: %v (looked above in %v), want %v", got, upwardDirs, want)
	}
}

// readAll streams root and reads every candidate as the scanner does
// (marked walked, through OSFS.ReadFileBuf): the paths read, relative to
// root and sorted, and the problems of the walk and of the reads.
func readAll(t *testing.T, root string) ([]string, []Problem) {
	t.Helper()
	files, probs := walk([]string{root})
	fsys := NewOSFS([]string{root}, files, 1<<20)
	var rel []string
	for _, f := range files {
		_, err := fsys.ReadFileBuf(f, nil)
		var sk *readbuf.SkippedError
		switch {
		case errors.As(err, &sk):
			if sk.Notice != "" {
				probs = append(probs, Problem{Path: f, Message: sk.Notice, Notice: true})
			}
			continue
		case err != nil:
			t.Errorf("reading %s: %v", f, err)
			continue
		}
		r, _ := filepath.Rel(root, f)
		rel = append(rel, filepath.ToSlash(r))
	}
	return rel, probs
}

// eachMode runs f with reads beneath the root by openat2, where the kernel
// has it, and with the fallback of an lstat per listed file.
func eachMode(t *testing.T, f func(t *testing.T)) {
	if beneathOK() {
		t.Run("openat2", f)
	} else {
		t.Log("openat2 is not available here: only the fallback runs")
	}
	beneath.ok, beneath.was = false, beneath.ok
	defer func() { beneath.ok = beneath.was }()
	t.Run("lstat", f)
}

// A work tree can hold something else than the index says: a tracked file
// replaced by a link out of the tree, a tracked directory replaced by one,
// a FIFO, a directory, a deletion. None of it is followed or read, nothing
// hangs, and the links out of the tree are notices.
func TestStreamGitWorkTreeChanged(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "repo")
	git := gitIn(t, root)
	outside := filepath.Join(base, "outside")
	write(t, root, map[string]string{
		"ok.yaml":           "",
		"file-link.yaml":    "",
		"dir/secret.yaml":   "",
		"inner/a.yaml":      "",
		"inner-link/a.yaml": "",
		"fifo.yaml":         "",
		"now-dir.yaml":      "",
		"gone.yaml":         "",
	})
	write(t, outside, map[string]string{"secret.yaml": "outside", "dir/secret.yaml": "outside"})
	git("init", "-q")
	git("add", ".")
	git("commit", "-q", "-m", "x")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []string{"file-link.yaml", "dir", "inner-link", "fifo.yaml", "now-dir.yaml", "gone.yaml"} {
		must(os.RemoveAll(filepath.Join(root, p)))
	}
	must(os.Symlink(filepath.Join(outside, "secret.yaml"), filepath.Join(root, "file-link.yaml")))
	must(os.Symlink(filepath.Join(outside, "dir"), filepath.Join(root, "dir")))
	must(os.Symlink("inner", filepath.Join(root, "inner-link"))) // inside the tree: read once, at its target
	must(syscall.Mkfifo(filepath.Join(root, "fifo.yaml"), 0o644))
	must(os.Mkdir(filepath.Join(root, "now-dir.yaml"), 0o755))

	eachMode(t, func(t *testing.T) {
		done := make(chan struct{})
		var rel []string
		var probs []Problem
		go func() { defer close(done); rel, probs = readAll(t, root) }()
		select {
		case <-done:
		case <-time.After(time.Minute):
			t.Fatal("still reading after a minute: the FIFO was opened blocking")
		}
		if want := []string{"inner/a.yaml", "ok.yaml"}; !reflect.DeepEqual(rel, want) {
			t.Errorf("read = %q\nwant %q", rel, want)
		}
		var notices []string
		for _, p := range probs {
			r, _ := filepath.Rel(root, p.Path)
			if !p.Notice {
				t.Errorf("problem %+v, want notices only", p)
			}
			notices = append(notices, filepath.ToSlash(r))
		}
		sort.Strings(notices)
		if want := []string{"dir/secret.yaml", "file-link.yaml"}; !reflect.DeepEqual(notices, want) {
			t.Errorf("notices for %q, want %q", notices, want)
		}
	})
}

// gitIn runs git commands in root (gittest.Git), failing the test when
// one fails.
func gitIn(t *testing.T, root string) func(args ...string) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatal("git is needed for this test")
	}
	return func(args ...string) {
		t.Helper()
		gittest.Git(t, root, args...)
	}
}
