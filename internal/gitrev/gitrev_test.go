package gitrev

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/wvlint/wvlint/internal/gittest"
)

func repo(t *testing.T) string { return gittest.Init(t) }

func git(t *testing.T, dir string, args ...string) string { return gittest.Git(t, dir, args...) }

func write(t *testing.T, dir, name, body string) { gittest.Write(t, dir, name, body) }

const compose = "services:\n  weaviate:\n    image: cr.weaviate.io/semitechnologies/weaviate:1.27.27\n    environment:\n      CLUSTER_HOSTNAME: node1\n      ENABLE_MODULES: backup-s3\n"

func sorted(cs []Change) []Change {
	sort.Slice(cs, func(i, j int) bool { return cs[i].Path < cs[j].Path })
	return cs
}

// TestChanges: renames, copies, deletions, modifications, untracked files
// and paths with a space, against the work tree and the index.
func TestChanges(t *testing.T) {
	dir := repo(t)
	write(t, dir, "deploy/compose.yml", compose)
	write(t, dir, "old name/values.yaml", "image:\n  tag: 1.26.18\n"+strings.Repeat("# padding so the rename is detected\n", 5))
	write(t, dir, "gone.yaml", "x: 1\n")
	write(t, dir, "edit.yaml", "x: 1\n")
	write(t, dir, "new\nline.yaml", "x: newline\n")
	write(t, dir, "edit.yaml\r", "x: carriage return\n")
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", "base")
	base := strings.TrimSpace(git(t, dir, "rev-parse", "HEAD"))

	if err := os.Mkdir(filepath.Join(dir, "new name"), 0o755); err != nil {
		t.Fatal(err)
	}
	git(t, dir, "mv", "old name/values.yaml", "new name/values.yaml")
	write(t, dir, "copy/compose.yml", compose) // a copy: reported as added
	git(t, dir, "add", "copy/compose.yml")
	git(t, dir, "rm", "-q", "gone.yaml")
	write(t, dir, "edit.yaml", "x: 2\n")
	git(t, dir, "add", "edit.yaml")
	write(t, dir, "edit.yaml", "x: 3\n") // work tree differs from the index too
	write(t, dir, "untracked dir/a file.yaml", "y: 1\n")
	write(t, dir, ".gitignore", "ignored.yaml\n")
	write(t, dir, "ignored.yaml", "z: 1\n")

	r, ok := Open(filepath.Join(dir, "deploy"))
	if !ok {
		t.Fatal("Open: not a repository")
	}
	if r.Prefix != "deploy/" {
		t.Errorf("Prefix = %q", r.Prefix)
	}
	commit, err := r.Resolve("HEAD")
	if err != nil || commit != base {
		t.Fatalf("Resolve(HEAD) = %s, %v; want %s", commit, err, base)
	}

	work, err := r.Changes(commit, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantWork := []Change{
		{Status: Added, Path: ".gitignore"},
		{Status: Added, Path: "copy/compose.yml"},
		{Status: Modified, Path: "edit.yaml", OldPath: "edit.yaml"},
		{Status: Deleted, Path: "gone.yaml", OldPath: "gone.yaml"},
		{Status: Renamed, Path: "new name/values.yaml", OldPath: "old name/values.yaml"},
		{Status: Added, Path: "untracked dir/a file.yaml"},
	}
	if got := sorted(work); !equal(got, wantWork) {
		t.Errorf("work tree changes:\n got %+v\nwant %+v", got, wantWork)
	}

	staged, err := r.Changes(commit, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantStaged := []Change{wantWork[1], wantWork[2], wantWork[3], wantWork[4]} // no untracked files
	if got := sorted(staged); !equal(got, wantStaged) {
		t.Errorf("index changes:\n got %+v\nwant %+v", got, wantStaged)
	}

	// The base's blobs, by their old names, through one batch process.
	b, err := r.NewBatch()
	if err != nil {
		t.Fatal(err)
	}
	data, err := b.Read(commit, "old name/values.yaml")
	if err != nil || !strings.HasPrefix(string(data), "image:\n  tag: 1.26.18\n") {
		t.Errorf("Read(old name) = %q, %v", data, err)
	}
	if data, err := b.Read(commit, "edit.yaml"); err != nil || string(data) != "x: 1\n" {
		t.Errorf("Read(edit.yaml) = %q, %v", data, err)
	}
	// A name with a newline cannot be asked for a line at a time, but it
	// is read all the same, from the commit and from the index.
	if data, err := b.Read(commit, "new\nline.yaml"); err != nil || string(data) != "x: newline\n" {
		t.Errorf("Read(new\\nline.yaml) = %q, %v", data, err)
	}
	if data, err := b.Read("", "new\nline.yaml"); err != nil || string(data) != "x: newline\n" {
		t.Errorf("Read(:new\\nline.yaml) = %q, %v", data, err)
	}
	// A carriage return ending a name would be dropped by cat-file's line
	// reading: "edit.yaml\r" is not "edit.yaml".
	if data, err := b.Read(commit, "edit.yaml\r"); err != nil || string(data) != "x: carriage return\n" {
		t.Errorf("Read(edit.yaml\\r) = %q, %v", data, err)
	}
	for _, missing := range []string{"new name/values.yaml", "deploy", "no\nsuch"} {
		if _, err := b.Read(commit, missing); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Read(%q): err = %v, want fs.ErrNotExist", missing, err)
		}
	}

	// Reads asked for together are answered in order, a missing one
	// among them too, whatever order they are waited for in; the index's
	// blob of a path is read as ":path".
	asked := []*Pending{b.Start(commit, "edit.yaml"), b.Start(commit, "deploy"), b.Start("", "new name/values.yaml"), b.Start(commit, "old name/values.yaml")}
	if data, err := asked[3].Wait(); err != nil || !strings.HasPrefix(string(data), "image:\n  tag: 1.26.18\n") {
		t.Errorf("Start(old name) = %q, %v", data, err)
	}
	if data, err := asked[2].Wait(); err != nil || !strings.HasPrefix(string(data), "image:\n") {
		t.Errorf("Start(:new name) = %q, %v", data, err)
	}
	if _, err := asked[1].Wait(); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Start(deploy): err = %v, want fs.ErrNotExist", err)
	}
	if data, err := asked[0].Wait(); err != nil || string(data) != "x: 1\n" {
		t.Errorf("Start(edit.yaml) = %q, %v", data, err)
	}
	pending := b.Start(commit, "edit.yaml")
	if err := b.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if data, err := pending.Wait(); err != nil || string(data) != "x: 1\n" {
		t.Errorf("a read asked for before Close = %q, %v", data, err)
	}
	if _, err := b.Read(commit, "edit.yaml"); err == nil {
		t.Error("a read after Close did not fail")
	}
}

// TestTrailersAndMergeBase: every Weaviate-Backup trailer since the base,
// in every commit; the merge base of two branches; refs that look like
// options refused.
func TestTrailersAndMergeBase(t *testing.T) {
	dir := repo(t)
	write(t, dir, "a.yaml", "a: 1\n")
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", "base")
	git(t, dir, "checkout", "-q", "-b", "feature")
	write(t, dir, "a.yaml", "a: 2\n")
	git(t, dir, "commit", "-q", "-am", "one\n\nWeaviate-Backup: s3/first\nWeaviate-Backup: s3/second")
	write(t, dir, "a.yaml", "a: 3\n")
	git(t, dir, "commit", "-q", "-am", "two\n\nWeaviate-Backup: gcs/third")
	r, ok := Open(dir)
	if !ok {
		t.Fatal("not a repository")
	}
	got, err := r.Trailers("main", "HEAD", "Weaviate-Backup")
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(got)
	if strings.Join(got, " ") != "gcs/third s3/first s3/second" {
		t.Errorf("Trailers = %q", got)
	}
	mb, err := r.MergeBase("main", "HEAD")
	if want, _ := r.Resolve("main"); err != nil || mb != want {
		t.Errorf("MergeBase = %s, %v; want %s", mb, err, want)
	}
	for _, bad := range []string{"--output=/tmp/x", "", "no-such-branch"} {
		if _, err := r.Resolve(bad); err == nil {
			t.Errorf("Resolve(%q) succeeded", bad)
		}
	}
	if _, err := r.MergeBase("--all", "HEAD"); err == nil {
		t.Error("MergeBase accepted an option as a revision")
	}
	if _, ok := Open(t.TempDir()); ok {
		t.Error("Open found a repository in an empty directory")
	}
}

func equal(a, b []Change) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
