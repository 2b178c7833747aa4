package inventory

import (
	"path/filepath"
	"sort"
	"sync"

	"github.com/wvlint/wvlint/internal/dotenv"
	"github.com/wvlint/wvlint/internal/yamlx"
)

// Loader reads the files a source needs around the file it extracts
// (values files, .env files, kustomize resources, the rest of a Go
// package), each once for the whole scan.
type Loader struct {
	fs FS

	mu    sync.Mutex
	yamls map[string]*cachedYAML
	envs  map[string]*cachedEnv
}

type cachedYAML struct {
	once sync.Once
	f    *yamlx.File
	err  error
}

type cachedEnv struct {
	once sync.Once
	env  dotenv.Env
	errs []*dotenv.Error
}

func newLoader(fsys FS) *Loader {
	return &Loader{fs: fsys, yamls: map[string]*cachedYAML{}, envs: map[string]*cachedEnv{}}
}

// ReadFile reads a file through the scan's file system.
func (l *Loader) ReadFile(name string) ([]byte, error) { return l.fs.ReadFile(name) }

// ReadDir lists the regular files of a directory.
func (l *Loader) ReadDir(name string) ([]string, error) { return l.fs.ReadDir(name) }

// YAML loads and parses a file once.
func (l *Loader) YAML(name string) (*yamlx.File, error) {
	l.mu.Lock()
	c := l.yamls[name]
	if c == nil {
		c = &cachedYAML{}
		l.yamls[name] = c
	}
	l.mu.Unlock()
	c.once.Do(func() {
		data, err := l.fs.ReadFile(name)
		if err != nil {
			c.err = err
			return
		}
		c.f, c.err = yamlx.Parse(name, data)
	})
	return c.f, c.err
}

// DotEnv loads the .env file of a directory once; a missing file is an
// empty environment. Its syntax errors are reported once, by the scan.
func (l *Loader) DotEnv(dir string) dotenv.Env {
	name := filepath.Join(dir, ".env")
	l.mu.Lock()
	c := l.envs[name]
	if c == nil {
		c = &cachedEnv{}
		l.envs[name] = c
	}
	l.mu.Unlock()
	c.once.Do(func() {
		data, err := l.fs.ReadFile(name)
		if err == nil {
			c.env, c.errs = dotenv.Parse(name, data)
		} else {
			c.env = dotenv.Env{}
		}
	})
	return c.env
}

// errors are the syntax errors of the .env files loaded.
func (l *Loader) errors() []FileError {
	names := make([]string, 0, len(l.envs))
	for n := range l.envs {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []FileError
	for _, n := range names {
		for _, e := range l.envs[n].errs {
			out = append(out, FileError{File: n, Line: e.Line, Message: e.Msg})
		}
	}
	return out
}
