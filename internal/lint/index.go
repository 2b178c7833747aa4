package lint

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sync"

	"github.com/wvlint/wvlint/internal/discover"
	"github.com/wvlint/wvlint/internal/gitrev"
	"github.com/wvlint/wvlint/internal/relpath"
)

// indexFS is the tree as the index holds it, for --staged: every file is
// read from the index (`git cat-file --batch` on its ":path" blob, through
// the one cat-file process the base comparison uses too), a file the index
// does not have (untracked) is absent, and only directory listings come
// from the work tree.
type indexFS struct {
	work  *discover.OSFS
	batch *gitrev.Batch
	top   string
	dir   string // where relative names are from (Options.Dir); "" for filepath.Abs
	max   int64
	mu    sync.Mutex
	read  map[string][]byte // blobs read by Absent, until ReadFile takes them
	asked started           // reads prefetch started, until a read takes them
	kept  kept
}

// started holds the reads a prefetch started, until a read takes them.
type started struct {
	mu sync.Mutex
	m  map[string]*gitrev.Pending
}

func (s *started) put(name string, p *gitrev.Pending) {
	s.mu.Lock()
	if s.m == nil {
		s.m = map[string]*gitrev.Pending{}
	}
	s.m[name] = p
	s.mu.Unlock()
}

func (s *started) has(name string) bool {
	s.mu.Lock()
	_, ok := s.m[name]
	s.mu.Unlock()
	return ok
}

// take removes and returns the read started for name.
func (s *started) take(name string) (*gitrev.Pending, bool) {
	s.mu.Lock()
	p, ok := s.m[name]
	delete(s.m, name)
	s.mu.Unlock()
	return p, ok
}

// kept holds the blobs a run read from git, up to keepMax bytes in all:
// the base scan, the backup comments and the report read the same files
// again, and each read from git is a round trip to cat-file. Callers get
// copies: none can change what another reads.
type kept struct {
	mu    sync.Mutex
	blobs map[string][]byte
	size  int
}

const keepMax = 4 << 20

// prefetchMax is how many reads a prefetch asks for at most.
const prefetchMax = 256

func (k *kept) get(name string) ([]byte, bool) {
	k.mu.Lock()
	b, ok := k.blobs[name]
	k.mu.Unlock()
	if !ok {
		return nil, false
	}
	return append(make([]byte, 0, len(b)), b...), true
}

func (k *kept) put(name string, b []byte) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if _, ok := k.blobs[name]; ok || k.size+len(b) > keepMax {
		return
	}
	if k.blobs == nil {
		k.blobs = map[string][]byte{}
	}
	k.blobs[name] = append(make([]byte, 0, len(b)), b...)
	k.size += len(b)
}

func newIndexFS(repo *gitrev.Repo, work *discover.OSFS, dir string, maxSize int64) (*indexFS, error) {
	batch, err := repo.NewBatch()
	if err != nil {
		return nil, fmt.Errorf("reading the index: %w", err)
	}
	top, err := filepath.EvalSymlinks(repo.Top)
	if err != nil {
		top = repo.Top
	}
	// dir given: filepath.Abs would ask for the working directory (two
	// stats) on every call.
	return &indexFS{work: work, batch: batch, top: top, dir: dir, max: maxSize, read: map[string][]byte{}}, nil
}

// Close ends the cat-file process.
func (x *indexFS) Close() error { return x.batch.Close() }

// repoPath is name's path in the repository, "" outside it. relpath.Rel
// resolves the symbolic links of its directory.
func (x *indexFS) repoPath(name string) string {
	abs := name
	switch {
	case filepath.IsAbs(name):
	case x.dir != "":
		abs = filepath.Join(x.dir, name)
	default:
		var err error
		if abs, err = filepath.Abs(name); err != nil {
			return ""
		}
	}
	rel, ok := relpath.Rel(x.top, abs)
	if !ok {
		return ""
	}
	return rel
}

// blob reads name's staged content, from the blob Absent kept when it
// asked first, or one read before.
func (x *indexFS) blob(name string) ([]byte, error) {
	x.mu.Lock()
	data, ok := x.read[name]
	delete(x.read, name)
	x.mu.Unlock()
	if ok {
		return data, nil
	}
	if data, ok := x.kept.get(name); ok {
		return data, nil
	}
	p, ok := x.asked.take(name)
	if !ok {
		rp := x.repoPath(name)
		if rp == "" {
			return x.work.ReadFile(name) // outside the repository: no index to read
		}
		p = x.batch.Start("", rp)
	}
	data, err := p.Wait()
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: not in the index: %w", name, fs.ErrNotExist)
	}
	if err == nil && x.max > 0 && int64(len(data)) > x.max {
		return x.work.ReadFile(name) // the work tree's size check and its message
	}
	if err == nil {
		x.kept.put(name, data)
	}
	return data, err
}

// prefetch asks for the staged content of the named files (in the
// repository) at once, before the scan reads them one by one: their
// answers come while the scan waits for the first. The first
// prefetchMax only: the answers are held until read.
func (x *indexFS) prefetch(names []string) {
	for _, name := range names[:min(len(names), prefetchMax)] {
		if rp := x.repoPath(name); rp != "" && !x.asked.has(name) {
			x.asked.put(name, x.batch.Start("", rp))
		}
	}
}

// Absent reports whether the index lacks name (an untracked file): the
// walk leaves it out. The blob read to know is kept for ReadFile.
func (x *indexFS) Absent(name string) bool {
	data, err := x.blob(name)
	if errors.Is(err, fs.ErrNotExist) {
		return true
	}
	if err == nil {
		x.mu.Lock()
		x.read[name] = data
		x.mu.Unlock()
	}
	return false
}

func (x *indexFS) ReadFile(name string) ([]byte, error) { return x.blob(name) }

// ReadDir lists a directory of the work tree; a file the index lacks is
// then absent when read.
func (x *indexFS) ReadDir(name string) ([]string, error) { return x.work.ReadDir(name) }
