package inventory

import (
	"fmt"
	"path"
	"path/filepath"
	"strings"
	"sync"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/wvlint/wvlint/internal/catalog"
	"github.com/wvlint/wvlint/internal/imageref"
	"github.com/wvlint/wvlint/internal/version"
)

// Identity is what the user's configuration says is Weaviate beyond what
// wvlint recognises by itself: mirrors of the server image and files that
// are the weaviate chart's values.
type Identity struct {
	Config string // the configuration file, for evidence (".wvlint.yaml")
	Dir    string // the globs are relative to it (Values) ; absolute
	// Mirrors are image repository globs ("registry.example.cn/team/weaviate",
	// "*.dkr.ecr.*.amazonaws.com/weaviate"), matched with and without the
	// registry.
	Mirrors []Glob
	// Values are path globs of files that are weaviate chart values.
	Values []Glob
}

// Glob is a pattern and the line of the configuration that writes it.
type Glob struct {
	Pattern string
	Line    int
	File    string // where it is written when not the configuration
}

// idContext decides whether an image is a Weaviate server image.
type idContext struct {
	id  *Identity
	cat *catalog.Catalog
	// lits are the mirrors' literal texts (globLiteral), worked out once:
	// mentions asks for them of every file.
	litsOnce sync.Once
	lits     []string
}

// image says whether a parsed reference is a Weaviate server image and,
// for a mirror, why it is taken for one ("" for the server's own path).
func (c *idContext) image(ref imageref.Ref) (ok bool, mirror string) {
	if ref.IsWeaviate() {
		return true, ""
	}
	if g, ok := c.mirrorGlob(ref.Name); ok {
		file := g.File
		if file == "" {
			file = c.id.Config
		}
		return true, fmt.Sprintf("a mirror named in %s:%d", file, g.Line)
	}
	if path.Base(ref.Path) == "weaviate" && ref.Tag != "" && c.knownRelease(ref.Tag) {
		return true, fmt.Sprintf("taken for a mirror: its last path element is weaviate and %s is a Weaviate release", ref.Tag)
	}
	return false, ""
}

// withMirror is c with one more mirror, named at file:line (a kustomize
// images: entry that retargets the server image).
func (c *idContext) withMirror(name, file string, line int) *idContext {
	id := Identity{}
	if c.id != nil {
		id = *c.id
	}
	id.Mirrors = append(append([]Glob(nil), id.Mirrors...), Glob{Pattern: name, Line: line, File: file})
	return &idContext{id: &id, cat: c.cat}
}

// mirrorGlob matches a repository name against the configured mirrors.
func (c *idContext) mirrorGlob(name string) (Glob, bool) {
	if c == nil || c.id == nil {
		return Glob{}, false
	}
	name = strings.ToLower(name)
	short := strings.TrimPrefix(name, "docker.io/")
	for _, g := range c.id.Mirrors {
		p := strings.ToLower(g.Pattern)
		if ok, _ := doublestar.Match(p, name); ok {
			return g, true
		}
		if ok, _ := doublestar.Match(p, short); ok {
			return g, true
		}
	}
	return Glob{}, false
}

// mentions is the content pre-filter for what may name a Weaviate image:
// the word weaviate, or the text of a configured mirror (the longest run
// of its glob without a wildcard, in any case), which may well not say
// weaviate (registry.corp/search/vdb).
func (c *idContext) mentions(b []byte) bool {
	if mentionsWeaviate(b) {
		return true
	}
	if !c.hasMirrors() {
		return false
	}
	c.litsOnce.Do(func() {
		for _, g := range c.id.Mirrors {
			c.lits = append(c.lits, globLiteral(g.Pattern))
		}
	})
	for _, lit := range c.lits {
		if lit == "" || containsFold(b, lit) {
			return true
		}
	}
	return false
}

// globLiteral is the longest run of a glob without wildcards, lower-cased
// and cut to what a gated read's piece holds whole (relevantOverlap):
// text the glob matches holds it.
func globLiteral(pattern string) string {
	var best, run []byte
	escaped := false
	for i := 0; i <= len(pattern); i++ {
		if i < len(pattern) && (escaped || !strings.ContainsRune("*?[]{}\\", rune(pattern[i]))) {
			run = append(run, pattern[i])
			escaped = false
			continue
		}
		if len(run) > len(best) {
			best = append(best[:0], run...)
		}
		run = run[:0]
		escaped = i < len(pattern) && pattern[i] == '\\'
		if i < len(pattern) && !escaped {
			// A class stands for one character, braces for one of their
			// alternatives: neither is literal text. Skip to the end.
			end := map[byte]byte{'[': ']', '{': '}'}[pattern[i]]
			if j := strings.IndexByte(pattern[i:], end); end != 0 && j > 0 {
				i += j
			}
		}
	}
	return strings.ToLower(string(best[:min(len(best), relevantOverlap)]))
}

// mirrorText reports whether unparsed image text (with variables still in
// it) names a configured mirror before its tag.
func (c *idContext) mirrorText(s string) bool {
	if i := strings.IndexAny(s, "@$"); i >= 0 {
		s = s[:i]
	}
	if c := strings.LastIndexByte(s, ':'); c > strings.LastIndexByte(s, '/') {
		s = s[:c]
	}
	_, ok := c.mirrorGlob(s)
	return ok
}

func (c *idContext) knownRelease(tag string) bool {
	if c == nil || c.cat == nil {
		return false
	}
	t := version.Parse(tag)
	if t.Version == nil {
		return false
	}
	return c.cat.Has(t.Version)
}

// valuesGlob reports whether the configuration names a file as weaviate
// chart values.
func (c *idContext) valuesGlob(file string) (Glob, bool) {
	if c == nil || c.id == nil || len(c.id.Values) == 0 {
		return Glob{}, false
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return Glob{}, false
	}
	rel, err := filepath.Rel(c.id.Dir, abs)
	if err != nil {
		return Glob{}, false
	}
	rel = filepath.ToSlash(rel)
	for _, g := range c.id.Values {
		if ok, _ := doublestar.Match(g.Pattern, rel); ok {
			return g, true
		}
	}
	return Glob{}, false
}

// documentFilter is the pre-filter for the documents of a YAML stream.
// A Kubernetes object is parsed when mentionsServer holds of it; any
// other document (Helm values, which a near miss reports on) when it
// mentions weaviate at all. A configured mirror may be named without the
// word: then every document that mentions weaviate or a mirror's text is
// parsed, as any source might need it.
func (c *idContext) documentFilter() func([]byte) bool {
	if c.hasMirrors() {
		return c.mentions
	}
	return func(doc []byte) bool {
		if looksK8sObject(doc) {
			return mentionsServer(doc)
		}
		return mentionsWeaviate(doc)
	}
}

// hasMirrors reports whether the configuration names mirrors of the
// server image.
func (c *idContext) hasMirrors() bool { return c != nil && c.id != nil && len(c.id.Mirrors) > 0 }
