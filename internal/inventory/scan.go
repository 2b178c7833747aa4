package inventory

import (
	"bytes"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/wvlint/wvlint/internal/catalog"
	"github.com/wvlint/wvlint/internal/dotenv"
	"github.com/wvlint/wvlint/internal/yamlx"
)

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

// TooLargeError is returned by an FS for a file over the size limit.
type TooLargeError struct {
	Size, Limit int64
	Mentions    bool // the file mentions weaviate
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("file is %d bytes, over the %d-byte limit; not scanned (raise --max-file-size to scan it)", e.Size, e.Limit)
}

// Options tune a scan.
type Options struct {
	Catalog *catalog.Catalog // for Helm chart defaults; the embedded one when nil
	Workers int              // parallel readers; GOMAXPROCS when 0
}

type scanner struct {
	fs  FS
	cat *catalog.Catalog

	mu       sync.Mutex
	res      Result
	services []composeService
	refs     []valuesRef
	goDirs   map[string]map[string][]byte // dir -> Go files that mention weaviate

	cacheMu sync.Mutex
	yamls   map[string]*cachedYAML
	envs    map[string]dotenv.Env
}

type cachedYAML struct {
	once sync.Once
	f    *yamlx.File
	err  error
}

// Scan reads files (candidates from discover) and returns every Weaviate
// deployment they define, sorted by position. It never stops at a bad file.
func Scan(fsys FS, files []string, opt Options) *Result {
	ch := make(chan string, 256)
	go func() {
		for _, f := range files {
			ch <- f
		}
		close(ch)
	}()
	return ScanChan(fsys, ch, opt)
}

// ScanChan is Scan over files sent on a channel (by a walk still running).
func ScanChan(fsys FS, files <-chan string, opt Options) *Result {
	s := &scanner{fs: fsys, cat: opt.Catalog, yamls: map[string]*cachedYAML{}, envs: map[string]dotenv.Env{}}
	if s.cat == nil {
		s.cat = catalog.Embedded()
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf []byte
			for f := range files {
				buf = s.file(f, buf)
			}
		}()
	}
	wg.Wait()
	s.assembleCompose()
	s.assembleHelm()
	s.assembleGo()
	s.res.sort()
	if s.res.Deployments == nil {
		s.res.Deployments = []Deployment{}
	}
	if s.res.Errors == nil {
		s.res.Errors = []FileError{}
	}
	return &s.res
}

func (s *scanner) errorf(file string, line int, format string, args ...any) {
	s.mu.Lock()
	s.res.Errors = append(s.res.Errors, FileError{File: file, Line: line, Message: fmt.Sprintf(format, args...)})
	s.mu.Unlock()
}

func (s *scanner) add(d Deployment) {
	if d.Backups == nil {
		d.Backups = []string{}
	}
	if d.Related == nil {
		d.Related = []Related{}
	}
	s.mu.Lock()
	s.res.Deployments = append(s.res.Deployments, d)
	s.mu.Unlock()
}

var weaviateWord = []byte("eaviate")

// mentionsWeaviate is the byte pre-filter run before any parsing.
func mentionsWeaviate(b []byte) bool {
	for {
		i := bytes.Index(b, weaviateWord)
		if i < 0 {
			return false
		}
		if i > 0 && (b[i-1] == 'w' || b[i-1] == 'W') {
			return true
		}
		b = b[i+len(weaviateWord):]
	}
}

// MentionsWeaviate reports whether data contains "weaviate" in any case of
// its first letter; FS implementations use it on oversized files.
func MentionsWeaviate(b []byte) bool { return mentionsWeaviate(b) }

func isDockerfile(base string) bool {
	l := strings.ToLower(base)
	return l == "dockerfile" || l == "containerfile" || strings.HasPrefix(l, "dockerfile.") || strings.HasSuffix(l, ".dockerfile")
}

func isComposeName(base string) bool {
	l := strings.ToLower(base)
	return strings.HasPrefix(l, "compose") || strings.HasPrefix(l, "docker-compose")
}

func isWorkflow(p string) bool {
	p = filepath.ToSlash(p)
	return strings.HasPrefix(p, ".github/workflows/") || strings.Contains(p, "/.github/workflows/")
}

// file scans one file and returns the read buffer for reuse; whatever
// outlives the call is copied out of it.
func (s *scanner) file(name string, buf []byte) []byte {
	var data []byte
	var err error
	if br, ok := s.fs.(BufReader); ok {
		data, err = br.ReadFileBuf(name, buf)
		if data != nil {
			buf = data
		}
	} else {
		data, err = s.fs.ReadFile(name)
	}
	s.scanData(name, data, err)
	return buf
}

func (s *scanner) scanData(name string, data []byte, err error) {
	var tl *TooLargeError
	switch {
	case errors.As(err, &tl):
		if tl.Mentions {
			s.errorf(name, 0, "%v", err)
		}
		return
	case err != nil:
		s.errorf(name, 0, "cannot read: %v", unwrapPath(err))
		return
	}
	base := filepath.Base(name)
	if bytes.IndexByte(data[:min(len(data), 8000)], 0) >= 0 {
		if mentionsWeaviate(data) || isComposeName(base) {
			s.errorf(name, 0, "binary file; not scanned")
		}
		return
	}
	if strings.HasSuffix(base, ".go") {
		if mentionsWeaviate(data) {
			s.goFile(name, data)
		}
		return
	}
	if isDockerfile(base) {
		if mentionsWeaviate(data) {
			s.dockerfile(name, data)
		}
		return
	}
	isChart := base == "Chart.yaml" || base == "Chart.yml"
	if !mentionsWeaviate(data) && !isComposeName(base) {
		return
	}
	// Only the documents that mention weaviate are parsed (all of them in
	// a compose file or a Chart.yaml, which matter without the word): a
	// rendered manifest of megabytes costs what its Weaviate documents cost.
	keep := mentionsWeaviate
	if isChart || isComposeName(base) {
		keep = func([]byte) bool { return true }
	}
	f, perr := yamlx.ParseSelected(name, bytes.Clone(data), keep)
	if perr != nil {
		if templated(name, data) {
			return
		}
		var ye *yamlx.Error
		errors.As(perr, &ye)
		s.errorf(name, ye.Line, "invalid YAML: %s", ye.Msg)
	}
	for i, doc := range f.Docs {
		s.document(f, doc, i, isChart)
	}
}

// templated reports whether a file holds Go templates rather than YAML:
// Helm's templates/ directories and helmfile's .gotmpl files.
func templated(name string, data []byte) bool {
	p := filepath.ToSlash(name)
	if strings.Contains("/"+p, "/templates/") || strings.HasSuffix(p, ".gotmpl") {
		return true
	}
	return bytes.Contains(data, []byte("{{")) && strings.HasPrefix(path.Base(p), "helmfile")
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

// document dispatches one YAML document on its shape.
func (s *scanner) document(f *yamlx.File, doc *yaml.Node, idx int, isChart bool) {
	if !yamlx.IsMap(doc) {
		return
	}
	base := filepath.Base(f.Path)
	switch {
	case isChart:
		s.chartYAML(f, doc)
	case base == "kustomization.yaml" || base == "kustomization.yml" || base == "Kustomization":
		s.kustomization(f, doc)
	case isWorkflow(f.Path) && yamlx.Get(doc, "jobs") != nil:
		s.workflow(f, doc)
	case yamlx.Get(doc, "apiVersion") != nil && yamlx.Get(doc, "kind") != nil:
		s.k8sObject(f, doc, idx)
	case yamlx.IsMap(yamlx.Get(doc, "services")):
		s.composeFile(f, doc)
	case len(yamlx.Items(yamlx.Get(doc, "releases"))) > 0:
		s.helmfile(f, doc)
	case yamlx.IsMap(yamlx.Get(doc, "image")):
		s.selfValues(f, doc)
	}
}

// yaml loads and parses a neighbour file once (values files, Chart.yaml).
func (s *scanner) yaml(name string) (*yamlx.File, error) {
	s.cacheMu.Lock()
	c := s.yamls[name]
	if c == nil {
		c = &cachedYAML{}
		s.yamls[name] = c
	}
	s.cacheMu.Unlock()
	c.once.Do(func() {
		data, err := s.fs.ReadFile(name)
		if err != nil {
			c.err = err
			return
		}
		c.f, c.err = yamlx.Parse(name, data)
	})
	return c.f, c.err
}

// dotenv loads the .env file of a directory, once; a missing file is an
// empty environment.
func (s *scanner) dotenv(dir string) dotenv.Env {
	name := filepath.Join(dir, ".env")
	s.cacheMu.Lock()
	env, ok := s.envs[name]
	s.cacheMu.Unlock()
	if ok {
		return env
	}
	data, err := s.fs.ReadFile(name)
	var errs []*dotenv.Error
	if err == nil {
		env, errs = dotenv.Parse(name, data)
	} else {
		env = dotenv.Env{}
	}
	s.cacheMu.Lock()
	_, again := s.envs[name]
	if !again {
		s.envs[name] = env
	}
	s.cacheMu.Unlock()
	if !again {
		for _, e := range errs {
			s.errorf(name, e.Line, "%s", e.Msg)
		}
	}
	return env
}
