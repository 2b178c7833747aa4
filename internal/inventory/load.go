package inventory

import (
	"errors"
	"path/filepath"
	"sort"
	"sync"

	"github.com/wvlint/wvlint/internal/dotenv"
	"github.com/wvlint/wvlint/internal/pos"
	"github.com/wvlint/wvlint/internal/readbuf"
	"github.com/wvlint/wvlint/internal/yamlx"
)

// Loader reads the files a source needs around the file it extracts
// (values files, .env files, kustomize resources, the rest of a Go
// package), each once for the whole scan. What it returns is shared by
// the scan's workers and never modified.
type Loader struct {
	fs    FS
	yamls onceCache[parsedYAML]
	// wanted holds YAMLIf's answers: the file parsed, or nil when its
	// text showed it was not wanted.
	wanted onceCache[parsedYAML]
	envs   onceCache[parsedEnv]
	// besideCompose holds composeNamedBeside's answer for each compose file.
	besideCompose onceCache[bool]
}

type parsedYAML struct {
	f   *yamlx.File
	err error
}

type parsedEnv struct {
	env  dotenv.Env
	errs []*dotenv.Error
}

// onceCache loads each key once, however many goroutines ask for it at the
// same time; every caller gets the one value.
type onceCache[V any] struct {
	mu sync.Mutex
	m  map[string]*onceEntry[V]
}

type onceEntry[V any] struct {
	once sync.Once
	v    V
}

// get returns the value of key, calling load for it on the first request.
func (c *onceCache[V]) get(key string, load func() V) V {
	c.mu.Lock()
	if c.m == nil {
		c.m = map[string]*onceEntry[V]{}
	}
	e := c.m[key]
	if e == nil {
		e = &onceEntry[V]{}
		c.m[key] = e
	}
	c.mu.Unlock()
	e.once.Do(func() { e.v = load() })
	return e.v
}

// loaded returns key's value when it was loaded, without loading it; call
// it after the loads are done.
func (c *onceCache[V]) loaded(key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.m[key]; e != nil {
		return e.v, true
	}
	var zero V
	return zero, false
}

// sorted returns the keys loaded, in order, with their values; call it
// after the loads are done.
func (c *onceCache[V]) sorted() ([]string, []V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	keys := make([]string, 0, len(c.m))
	for k := range c.m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	vals := make([]V, len(keys))
	for i, k := range keys {
		vals[i] = c.m[k].v
	}
	return keys, vals
}

func newLoader(fsys FS) *Loader { return &Loader{fs: fsys} }

// ReadFile reads a file through the scan's file system.
func (l *Loader) ReadFile(name string) ([]byte, error) { return l.fs.ReadFile(name) }

// ReadDir lists the regular files of a directory.
func (l *Loader) ReadDir(name string) ([]string, error) { return l.fs.ReadDir(name) }

// YAML loads and parses a file once.
func (l *Loader) YAML(name string) (*yamlx.File, error) {
	p := l.yamls.get(name, func() parsedYAML {
		data, err := l.fs.ReadFile(name)
		if err != nil {
			return parsedYAML{err: err}
		}
		f, err := yamlx.Parse(name, data)
		return parsedYAML{f, err}
	})
	return p.f, p.err
}

// YAMLIf is YAML for a file that matters only when its text passes want
// (a byte pre-filter): a file that does not is read, not parsed, and YAMLIf
// returns nil, nil. A file that does is parsed from that one read and
// shared with YAML's callers.
func (l *Loader) YAMLIf(name string, want func([]byte) bool) (*yamlx.File, error) {
	p := l.wanted.get(name, func() parsedYAML {
		data, err := l.fs.ReadFile(name)
		if err != nil {
			return parsedYAML{err: err}
		}
		if !want(data) {
			return parsedYAML{}
		}
		return l.yamls.get(name, func() parsedYAML {
			f, err := yamlx.Parse(name, data)
			return parsedYAML{f, err}
		})
	})
	return p.f, p.err
}

// seed keeps a parse of the whole file that the scan made, for the
// loads that follow; a file already loaded keeps its first parse.
func (l *Loader) seed(name string, f *yamlx.File) {
	l.yamls.get(name, func() parsedYAML { return parsedYAML{f: f} })
}

// heldLines is the line index of a YAML file loaded whole, nil for one
// not loaded (or not parsed); it loads nothing. Call it after the loads
// are done.
func (l *Loader) heldLines(name string) *pos.Lines {
	if p, ok := l.yamls.loaded(name); ok && p.f != nil {
		return p.f.Lines()
	}
	return nil
}

// DotEnv loads the .env file of a directory once; a missing file is an
// empty environment. Its syntax errors are reported once, by the scan.
func (l *Loader) DotEnv(dir string) dotenv.Env {
	name := filepath.Join(dir, ".env")
	return l.envs.get(name, func() parsedEnv {
		data, err := l.fs.ReadFile(name)
		if err != nil {
			return parsedEnv{env: dotenv.Env{}}
		}
		env, errs := dotenv.Parse(name, data)
		return parsedEnv{env, errs}
	}).env
}

// errors are the syntax errors of the .env files loaded.
func (l *Loader) errors() []FileError {
	names, envs := l.envs.sorted()
	var out []FileError
	for i, n := range names {
		for _, e := range envs[i].errs {
			out = append(out, FileError{File: n, Line: e.Line, Message: e.Msg})
		}
	}
	return out
}

// FS is where the scanner reads files: the work tree, or a git revision.
// Names use the scanner's paths (as the user gave them).
type FS interface {
	ReadFile(name string) ([]byte, error)
	ReadDir(name string) ([]string, error) // names of the regular files in a directory
}

// BufReader is an FS that can read into a caller's buffer, which the
// scanner reuses across files: most files are read, checked for "weaviate"
// and dropped.
type BufReader interface {
	ReadFileBuf(name string, buf []byte) ([]byte, error)
}

// GatedReader is a BufReader that holds a large file whole only when a
// gate holds of a piece of it (readbuf.Gate), else readbuf.ErrNotWanted.
type GatedReader interface {
	ReadFileGated(name string, buf []byte, gate readbuf.Gate) ([]byte, error)
}

// unwrapPath drops the "open <path>:" prefix of an *fs.PathError: the
// message already names the file.
func unwrapPath(err error) error {
	var pe interface{ Unwrap() error }
	if errors.As(err, &pe) {
		if u := pe.Unwrap(); u != nil {
			return u
		}
	}
	return err
}
