package inventory

import (
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/wvlint/wvlint/internal/catalog"
	"github.com/wvlint/wvlint/internal/pos"
	"github.com/wvlint/wvlint/internal/readbuf"
	"github.com/wvlint/wvlint/internal/yamlx"
)

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

// Options tune a scan.
type Options struct {
	Catalog *catalog.Catalog // for Helm chart defaults; the embedded one when nil
	Workers int              // parallel readers; GOMAXPROCS when 0
	// Identity is what the configuration says is Weaviate (mirrors, values
	// files); nil for nothing.
	Identity *Identity
}

// maxKeptBuf is the largest read buffer a worker keeps for its next file.
const maxKeptBuf = 1 << 20

// fileFound is one source's result for one file.
type fileFound struct {
	source int
	path   string
	found  Found
	// lines is the file's line index when it was parsed as YAML and the
	// source found something in it: what the report needs of the file
	// (suppressions, fingerprints, excerpts) without reading it again.
	lines *pos.Lines
}

// ScanChan is Scan over files sent on a channel (by a walk still running).
// Workers extract files and send back what they found; one goroutine
// collects it, and the assemble steps run after the last file.
func ScanChan(fsys FS, files <-chan string, opt Options) *Result {
	cat := opt.Catalog
	if cat == nil {
		cat = catalog.Embedded()
	}
	srcs := Sources()
	load := newLoader(fsys)
	id := &idContext{id: opt.Identity, cat: cat}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	results := make(chan fileFound, 64)
	rd := fsys
	if gr, ok := fsys.(GatedReader); ok {
		rd = gatedFS{FS: fsys, r: gr, gate: relevantGate(srcs, load, id)}
	}
	var wg sync.WaitGroup
	var crash crashed
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf []byte
			for f := range files {
				buf = extractGuarded(rd, load, id, srcs, f, buf, results, &crash)
				if cap(buf) > maxKeptBuf {
					// A few files are megabytes: do not hold one per worker for
					// the rest of the scan (extractFile gave it to the sources).
					buf = nil
				}
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()

	var all Found
	kept := make([][]Kept, len(srcs))
	lines := map[string]*pos.Lines{}
	for r := range results {
		all.merge(r.found)
		if r.lines != nil {
			lines[r.path] = r.lines
		}
		if r.found.Keep != nil {
			kept[r.source] = append(kept[r.source], Kept{Path: r.path, Value: r.found.Keep})
		}
	}
	crash.repanic()
	a := &Assembly{Load: load, Catalog: cat, id: id}
	for i, s := range srcs {
		if s.Assemble == nil {
			continue
		}
		sort.SliceStable(kept[i], func(x, y int) bool { return kept[i][x].Path < kept[i][y].Path })
		all.merge(s.Assemble(a, kept[i]))
	}
	all.merge(assembleReleases(a, all.Releases))
	for i, s := range srcs {
		if s.Finish != nil {
			sort.SliceStable(kept[i], func(x, y int) bool { return kept[i][x].Path < kept[i][y].Path })
			s.Finish(a, kept[i], all.Deployments)
		}
	}
	all.Errors = append(all.Errors, load.errors()...)

	res := &Result{Deployments: all.Deployments, Errors: all.Errors, Notices: all.Notices, NearMisses: nearMisses(all)}
	res.Lines = deploymentLines(res.Deployments, lines, load)
	for i := range res.Deployments {
		d := &res.Deployments[i]
		if d.Backups == nil {
			d.Backups = []string{}
		}
		if d.Related == nil {
			d.Related = []Related{}
		}
	}
	res.sort()
	if res.Deployments == nil {
		res.Deployments = []Deployment{}
	}
	if res.Errors == nil {
		res.Errors = []FileError{}
	}
	return res
}

// deploymentLines are the line indexes the scan holds of the files
// deployments are read from: the files extracted (lines) and those the
// Loader parsed for them. Only these are kept past the scan.
func deploymentLines(deps []Deployment, lines map[string]*pos.Lines, load *Loader) map[string]*pos.Lines {
	out := map[string]*pos.Lines{}
	add := func(file string) {
		if _, ok := out[file]; ok {
			return
		}
		if l := lines[file]; l != nil {
			out[file] = l
		} else if l := load.heldLines(file); l != nil {
			out[file] = l
		}
	}
	for _, d := range deps {
		add(d.File)
		for _, in := range d.Inputs {
			add(in)
		}
	}
	return out
}

// nearMisses are the near misses no deployment reads after all.
func nearMisses(all Found) []NearMiss {
	used := map[string]bool{}
	for _, r := range all.Releases {
		for _, l := range r.Layers {
			used[l.Path] = true
		}
	}
	for _, d := range all.Deployments {
		for _, in := range d.Inputs {
			used[in] = true
		}
	}
	var out []NearMiss
	for _, nm := range all.NearMisses {
		if nm.place || !used[nm.File] {
			out = append(out, nm)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].File != out[j].File {
			return out[i].File < out[j].File
		}
		return out[i].Line < out[j].Line
	})
	return out
}

// extractFile reads one file into buf and gives it to the sources that
// read it; it returns the buffer for reuse.
// crashed records the first panic of a worker, so that it is raised again
// on the caller's goroutine (where the CLI turns it into exit 3) instead of
// killing the process from a worker with a stack trace.
type crashed struct {
	mu  sync.Mutex
	msg string
}

func (c *crashed) record(file string, v any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.msg == "" {
		c.msg = fmt.Sprintf("reading %s: %v", file, v)
	}
}

func (c *crashed) repanic() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.msg != "" {
		panic(c.msg)
	}
}

// extractGuarded is extractFile with its panic recorded; the worker goes
// on with the next file.
func extractGuarded(fsys FS, load *Loader, id *idContext, srcs []*Source, name string, buf []byte, out chan<- fileFound, crash *crashed) (next []byte) {
	defer func() {
		if v := recover(); v != nil {
			crash.record(name, v)
			next = nil
		}
	}()
	return extractFile(fsys, load, id, srcs, name, buf, out)
}

func extractFile(fsys FS, load *Loader, id *idContext, srcs []*Source, name string, buf []byte, out chan<- fileFound) []byte {
	var idx []int
	for i, s := range srcs {
		if s.Reads(name) {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		return buf
	}
	var data []byte
	var err error
	if br, ok := fsys.(BufReader); ok {
		data, err = br.ReadFileBuf(name, buf)
		if data != nil {
			buf = data
		}
	} else {
		data, err = fsys.ReadFile(name)
	}
	var tl *readbuf.TooLargeError
	var sk *readbuf.SkippedError
	switch {
	case errors.Is(err, readbuf.ErrNotWanted): // a large file no source reads
		return buf
	case errors.As(err, &sk):
		if sk.Notice != "" {
			out <- fileFound{path: name, found: Found{Notices: []FileError{{File: name, Message: sk.Notice}}}}
		}
		return buf
	case errors.As(err, &tl):
		if tl.Mentions {
			out <- fileFound{path: name, found: Found{Errors: []FileError{{File: name, Message: err.Error()}}}}
		}
		return buf
	case err != nil:
		out <- fileFound{path: name, found: Found{Errors: []FileError{{File: name, Message: "cannot read: " + unwrapPath(err).Error()}}}}
		return buf
	}
	raw := readbuf.Borrow(data)
	in := &Input{Path: name, Raw: raw, Load: load, id: id}
	if cap(data) > maxKeptBuf {
		// The worker drops a buffer this large after the file (ScanChan):
		// the contents are the sources' to keep as they are, no copy.
		in.owned = data
	}
	relevant := idx[:0:0]
	for _, i := range idx {
		s := srcs[i]
		if s.relevant(in) {
			relevant = append(relevant, i)
		}
	}
	if len(relevant) == 0 {
		return buf
	}
	if raw.Binary() {
		out <- fileFound{path: name, found: Found{Errors: []FileError{{File: name, Message: "binary file; not scanned"}}}}
		return buf
	}
	var docs map[int][]*yaml.Node
	for _, i := range relevant {
		if srcs[i].Document == nil {
			continue
		}
		if docs == nil {
			docs = map[int][]*yaml.Node{}
			// Only the documents that mention weaviate are parsed, unless
			// a source reads whole files (compose, Chart.yaml, which matter
			// without the word): a rendered manifest of megabytes costs
			// what its Weaviate documents cost.
			keep := in.id.documentFilter()
			for _, j := range relevant {
				if srcs[j].WholeFile != nil && srcs[j].WholeFile(in) {
					keep = func([]byte) bool { return true }
				}
			}
			f, perr := yamlx.ParseSelected(name, in.Bytes(), keep)
			if perr == nil && !f.Partial {
				for _, j := range relevant {
					if srcs[j].Reread {
						in.Load.seed(name, f)
						break
					}
				}
			}
			if perr != nil {
				if templated(name, raw) {
					return buf
				}
				var ye *yamlx.Error
				errors.As(perr, &ye)
				out <- fileFound{path: name, found: Found{Errors: []FileError{{File: name, Line: ye.Line, Message: "invalid YAML: " + ye.Msg}}}}
			}
			in.YAML = f
			for _, doc := range documents(f.Docs) {
				for _, j := range relevant {
					if d := srcs[j].Document; d != nil && d(name, doc) {
						docs[j] = append(docs[j], doc)
						break
					}
				}
			}
		}
	}
	for _, i := range relevant {
		s := srcs[i]
		one := *in
		if s.Document != nil {
			if len(docs[i]) == 0 {
				continue
			}
			one.Docs = docs[i]
		}
		ff := fileFound{source: i, path: name, found: s.Extract(&one)}
		if in.YAML != nil && (ff.found.Keep != nil || len(ff.found.Deployments)+len(ff.found.Releases) > 0) {
			ff.lines = in.YAML.Lines()
		}
		out <- ff
		in.owned = one.owned
	}
	return buf
}

// templated reports whether a file holds Go templates rather than YAML:
// Helm's templates/ directories and helmfile's .gotmpl files.
func templated(name string, data readbuf.Borrowed) bool {
	p := filepath.ToSlash(name)
	if strings.Contains("/"+p, "/templates/") || strings.HasSuffix(p, ".gotmpl") {
		return true
	}
	return data.Index([]byte("{{")) >= 0 && strings.HasPrefix(path.Base(p), "helmfile")
}

// gatedFS is the workers' view of a GatedReader: a large file is held
// whole only when a source that reads it finds a piece of it relevant
// (most large files are CRD bundles, API specs, dashboards: never
// Weaviate's).
type gatedFS struct {
	FS
	r    GatedReader
	gate readbuf.Gate
}

func (g gatedFS) ReadFileBuf(name string, buf []byte) ([]byte, error) {
	return g.r.ReadFileGated(name, buf, g.gate)
}

// relevantGate holds of a piece of a file when a source that reads the
// file finds the piece relevant: as Relevant holds of some piece of every
// file it holds of (Source.Relevant), a large file no piece of which is
// relevant to any source is one no source would read.
func relevantGate(srcs []*Source, load *Loader, id *idContext) readbuf.Gate {
	return readbuf.Gate{Overlap: relevantOverlap, Holds: func(name string, piece []byte) bool {
		in := &Input{Path: name, Raw: readbuf.Borrow(piece), Load: load, id: id}
		for _, s := range srcs {
			if s.Reads(name) && s.relevant(in) {
				return true
			}
		}
		return false
	}}
}

// relevant runs the source's content pre-filter.
func (s *Source) relevant(in *Input) bool {
	if s.Relevant == nil {
		return in.Mentions()
	}
	return s.Relevant(in)
}
