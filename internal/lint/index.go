package lint

import (
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/wvlint/wvlint/internal/discover"
	"github.com/wvlint/wvlint/internal/gitrev"
	"github.com/wvlint/wvlint/internal/relpath"
)

// indexFS is the tree as the index holds it, for --staged: a file whose
// work tree differs from the index is read from the index (`git cat-file
// --batch` on its ":path" blob), an untracked file is absent, and every
// other file is read from the work tree, where it is the same.
type indexFS struct {
	work      *discover.OSFS
	batch     *gitrev.Batch
	top       string
	dirty     map[string]bool
	untracked map[string]bool
}

func newIndexFS(repo *gitrev.Repo, work *discover.OSFS) (*indexFS, error) {
	dirty, untracked, err := repo.Unstaged()
	if err != nil {
		return nil, fmt.Errorf("reading the index: %w", err)
	}
	batch, err := repo.NewBatch()
	if err != nil {
		return nil, err
	}
	top, err := filepath.EvalSymlinks(repo.Top)
	if err != nil {
		top = repo.Top
	}
	x := &indexFS{work: work, batch: batch, top: top, dirty: map[string]bool{}, untracked: map[string]bool{}}
	for _, p := range dirty {
		x.dirty[p] = true
	}
	for _, p := range untracked {
		x.untracked[p] = true
	}
	return x, nil
}

// Absent reports whether the index lacks name (an untracked file).
func (x *indexFS) Absent(name string) bool {
	rp := x.repoPath(name)
	return rp != "" && x.untracked[rp]
}

// Close ends the cat-file process.
func (x *indexFS) Close() error { return x.batch.Close() }

// repoPath is name's path in the repository, "" outside it.
func (x *indexFS) repoPath(name string) string {
	abs, err := filepath.Abs(name)
	if err != nil {
		return ""
	}
	if dir, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		abs = filepath.Join(dir, filepath.Base(abs))
	}
	rel, ok := relpath.Rel(x.top, abs)
	if !ok {
		return ""
	}
	return rel
}

// staged says where name's content is: the index (true) or the work tree
// (false); err is set for a file the index does not have.
func (x *indexFS) staged(name string) (string, bool, error) {
	rp := x.repoPath(name)
	switch {
	case rp == "":
		return "", false, nil
	case x.untracked[rp]:
		return rp, false, fmt.Errorf("%s: not in the index: %w", name, fs.ErrNotExist)
	case x.dirty[rp]:
		return rp, true, nil
	}
	return rp, false, nil
}

func (x *indexFS) ReadFile(name string) ([]byte, error) {
	rp, fromIndex, err := x.staged(name)
	if err != nil {
		return nil, err
	}
	if fromIndex {
		return x.batch.ReadIndex(rp)
	}
	return x.work.ReadFile(name)
}

// ReadFileBuf keeps the work tree's buffered read for the files the index
// and the work tree agree on.
func (x *indexFS) ReadFileBuf(name string, buf []byte) ([]byte, error) {
	rp, fromIndex, err := x.staged(name)
	if err != nil {
		return nil, err
	}
	if fromIndex {
		return x.batch.ReadIndex(rp)
	}
	return x.work.ReadFileBuf(name, buf)
}

// ReadDir lists a directory as the index has it: without untracked files.
func (x *indexFS) ReadDir(name string) ([]string, error) {
	names, err := x.work.ReadDir(name)
	if err != nil {
		return nil, err
	}
	out := names[:0]
	for _, n := range names {
		if rp := x.repoPath(filepath.Join(name, n)); rp == "" || !x.untracked[rp] {
			out = append(out, n)
		}
	}
	return out, nil
}
