// Package relpath turns the paths wvlint reports (as the user gave them)
// into paths relative to the repository root, with forward slashes: for
// SARIF URIs, GitHub annotations, fingerprints and git lookups. It is the
// one place that does so.
package relpath

import (
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/wvlint/wvlint/internal/gitrev"
)

// dirs caches each directory's symlink-free form: a run asks about many
// files in few directories.
var dirs sync.Map // string -> string

func realDir(dir string) string {
	if r, ok := dirs.Load(dir); ok {
		return r.(string)
	}
	// The parent's form is cached too: a directory costs one lstat, not
	// one per component of its path (findings lie in a thousand
	// directories of a monorepo, side by side).
	r := dir
	if parent := filepath.Dir(dir); parent != dir && filepath.IsAbs(dir) {
		r = filepath.Join(realDir(parent), filepath.Base(dir))
		fi, err := os.Lstat(r)
		if err != nil {
			return dir // not there (a file deleted since the base): keep it
		}
		if fi.Mode()&os.ModeSymlink == 0 {
			dirs.Store(dir, r)
			return r
		}
	}
	r, err := filepath.EvalSymlinks(r)
	if err != nil {
		return dir
	}
	dirs.Store(dir, r)
	return r
}

// Rel is file's path relative to root (a directory without symlinks, such
// as gitrev's top after filepath.EvalSymlinks), slash-separated. A
// relative file is taken from the current directory. Symlinks in the
// file's directory are resolved first, as git and GitHub name files by
// their real path. inside is false, and rel the file with forward slashes,
// when the file is not under root.
func Rel(root, file string) (rel string, inside bool) { return relFrom(root, file, "") }

// relFrom is Rel with the working directory known ("": asked for).
func relFrom(root, file, cwd string) (rel string, inside bool) {
	var abs string
	var err error
	if cwd != "" && !filepath.IsAbs(file) {
		abs = filepath.Join(cwd, file)
	} else {
		abs, err = filepath.Abs(file)
	}
	if err != nil || root == "" {
		return filepath.ToSlash(file), false
	}
	abs = filepath.Join(realDir(filepath.Dir(abs)), filepath.Base(abs))
	r, err := filepath.Rel(root, abs)
	if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return filepath.ToSlash(file), false
	}
	return filepath.ToSlash(r), true
}

// Names is what a report shows for its many files (Rel without the
// flag): relative names are joined to the working directory the caller
// knows (os.Getwd, which filepath.Abs asks, stats two directories each
// time), and each file's
// answer is kept. It is not safe for concurrent use.
type Names struct {
	root, cwd string
	seen      map[string]string
}

// NewNames is Names for paths relative to root, relative names being
// from dir (the CLI's working directory; "": each file asks, as Rel does).
func NewNames(root, dir string) *Names {
	return &Names{root: root, cwd: dir, seen: map[string]string{}}
}

// Display is file's path relative to root, as Rel gives it.
func (n *Names) Display(file string) string {
	if r, ok := n.seen[file]; ok {
		return r
	}
	r, _ := relFrom(n.root, file, n.cwd)
	n.seen[file] = r
	return r
}

// Root is the directory paths are made relative to for a run in dir: the
// git work tree when there is one, else dir itself; symlinks resolved.
func Root(dir string) string {
	if r, err := filepath.EvalSymlinks(dir); err == nil {
		dir = r
	}
	if repo, ok := gitrev.Open(dir); ok {
		return top(repo)
	}
	return dir
}

// RepoRoot is Root for a run whose repository is already open (nil: not
// known), without asking git again.
func RepoRoot(dir string, repo *gitrev.Repo) string {
	if repo == nil {
		return Root(dir)
	}
	return top(repo)
}

func top(repo *gitrev.Repo) string {
	if r, err := filepath.EvalSymlinks(repo.Top); err == nil {
		return r
	}
	return repo.Top
}
