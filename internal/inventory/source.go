package inventory

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wvlint/wvlint/internal/catalog"
	"github.com/wvlint/wvlint/internal/readbuf"
	"github.com/wvlint/wvlint/internal/yamlx"
)

// A Source reads one kind of deployment file, as a rule reads deployments:
// a declarative value listed once in Sources. Files flow one way through
// it: Reads picks the files by name, Extract reads each file on its own
// (in parallel, returning what it found), and Assemble runs once after
// every file, in one goroutine, over what Extract kept.
type Source struct {
	// Name identifies the source in the registry (kebab-case); its
	// deployments carry their Kind.
	Name string
	// Doc is one line for the README's "What it reads".
	Doc string
	// Reads reports whether the source reads a file, by its path alone.
	Reads func(path string) bool
	// Relevant is the content pre-filter run on the raw bytes before any
	// parsing; nil means "mentions weaviate". A file no source finds
	// relevant is dropped unread. A large file is first tested in pieces
	// (relevantGate: Raw is a piece, starting and ending at any byte) and
	// read whole only when Relevant holds of one, so it must hold of some
	// piece of every file it holds of: a test of the path, a search for a
	// text shorter than relevantOverlap.
	Relevant func(in *Input) bool
	// Document, for sources of YAML files, reports whether the source
	// reads one document of the file. Each document goes to the first
	// source in the registry that reads it.
	Document func(path string, doc *yaml.Node) bool
	// WholeFile, for sources of YAML files, reports whether the source
	// needs every document of a file, not only those that mention
	// weaviate (nil: only those).
	WholeFile func(in *Input) bool
	// Reread, for sources of YAML files, says that assembly loads the
	// source's files again through Load (kustomize follows every
	// kustomization from the overlays; a Helm release layers its values
	// files): the scan's parse of a whole file is then kept in the Loader
	// instead of being parsed a second time.
	Reread bool
	// Neighbours lists, among the names of the files beside a file named
	// on the command line, those the scan also needs to give it meaning
	// (a pre-commit hook passes only the files that changed).
	Neighbours func(named string, siblings []string) []string
	// Referrers lists, among the names of the files of a directory above a
	// file given alone (up to the repository root), those that may name it
	// from there: a deploy script at the root that installs the
	// chart with -f charts/weaviate/values-prod.yaml, a root helmfile. The
	// full scan reads them anyway; a pre-commit hook that passes only the
	// changed file must read them too to give the same answer.
	Referrers func(given string, names []string) []string
	// Across, for a file given alone and the names of the files beside
	// it, matches the other files of its repository the source needs with
	// it, wherever they are (the modules that call a Terraform module);
	// nil for none.
	Across func(given string, siblings []string) func(path string) bool
	// Extract reads one file. It runs in parallel with other files.
	Extract func(in *Input) Found
	// Assemble runs after every file has been extracted, once, with what
	// Extract kept, sorted by file. Nil when files stand alone.
	Assemble func(a *Assembly, kept []Kept) Found
	// Examples are paths of each shape of file the source reads (Reads
	// holds of each): the tests hold the pre-commit hooks' files: pattern
	// to them, so that the hooks cannot skip a new source's files.
	Examples []string
	// Finish runs last, after every source's Assemble and the Helm
	// releases, with what Extract kept and every deployment found, which
	// it may annotate in place (kustomize marks the base pins its
	// overlays retarget). Nil for most sources.
	Finish func(a *Assembly, kept []Kept, deps []Deployment)
}

// Input is one file given to a source's Extract.
type Input struct {
	Path string
	// Raw is the file's contents, borrowed from the reader's buffer:
	// copy what outlives the call (Bytes does, once per file).
	Raw readbuf.Borrowed
	// YAML is the parsed file, for sources with a Document function; Docs
	// are the documents this source reads (Lists of objects flattened).
	YAML *yamlx.File
	Docs []*yaml.Node
	// Load reads the files around this one, cached for the whole scan.
	Load  *Loader
	id    *idContext
	owned []byte
	// mentions caches Mentions: a dozen sources ask it of each file.
	mentions, mentionsKnown bool
}

// Mentions reports whether the file mentions weaviate, or the text of a
// mirror the configuration names, scanning it once however many sources
// ask.
func (in *Input) Mentions() bool {
	if !in.mentionsKnown {
		in.mentions, in.mentionsKnown = in.Raw.Test(in.id.mentions), true
	}
	return in.mentions
}

// Bytes returns the file's contents in storage the caller may keep.
func (in *Input) Bytes() []byte {
	if in.owned == nil {
		in.owned = in.Raw.Copy()
	}
	return in.owned
}

// Found is what one file (or one Assemble) yields.
type Found struct {
	Deployments []Deployment
	// Releases are deployments of the weaviate Helm chart, layered once
	// every source has run (helm.go): this is how a source says "this file
	// is the weaviate chart's values".
	Releases []Release
	Errors   []FileError
	Notices  []FileError
	// NearMisses are files that almost define a deployment (wvlint -v).
	NearMisses []NearMiss
	// Keep is what the source's Assemble needs from this file.
	Keep any
}

func (f *Found) errorf(file string, line int, format string, args ...any) {
	f.Errors = append(f.Errors, FileError{File: file, Line: line, Message: fmt.Sprintf(format, args...)})
}

// notice records a reference the scan found but could not check (line 0:
// the whole file); lint reports it as WV9004.
func (f *Found) notice(file string, line int, msg string) {
	f.Notices = append(f.Notices, FileError{File: file, Line: line, Message: msg})
}

func (f *Found) merge(g Found) {
	f.Deployments = append(f.Deployments, g.Deployments...)
	f.Releases = append(f.Releases, g.Releases...)
	f.Errors = append(f.Errors, g.Errors...)
	f.Notices = append(f.Notices, g.Notices...)
	f.NearMisses = append(f.NearMisses, g.NearMisses...)
}

// Kept is what Extract kept from one file.
type Kept struct {
	Path  string
	Value any
}

// Assembly is what an Assemble step sees besides its kept values.
type Assembly struct {
	Load    *Loader
	Catalog *catalog.Catalog
	id      *idContext
}

// A Registry is sources asked as one, as the walk asks them (discover's
// Want): Sources is the one the scan reads with.
type Registry []*Source

// Reads reports whether any of the sources reads a file by its name.
func (r Registry) Reads(path string) bool {
	for _, s := range r {
		if s.Reads(path) {
			return true
		}
	}
	return false
}

// Neighbours lists the files beside a named file that the sources need
// with it, given the names of the regular files in its directory.
func (r Registry) Neighbours(named string, siblings []string) []string {
	return r.collect(func(s *Source) []string {
		if s.Neighbours == nil {
			return nil
		}
		return s.Neighbours(named, siblings)
	})
}

// collect is the sorted union of what each source lists.
func (r Registry) collect(list func(*Source) []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range r {
		for _, n := range list(s) {
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	sort.Strings(out)
	return out
}

// Upward lists the files of a directory above a file given that the
// sources need with it (Source.Referrers), given the names of its regular
// files.
func (r Registry) Upward(given, _ string, names []string) []string {
	return r.collect(func(s *Source) []string {
		if s.Referrers == nil {
			return nil
		}
		return s.Referrers(given, names)
	})
}

// Across matches the files of the repository that the sources need with
// a file given alone (Source.Across); nil for none.
func (r Registry) Across(given string, siblings []string) func(string) bool {
	var ms []func(string) bool
	for _, s := range r {
		if s.Across != nil {
			if m := s.Across(given, siblings); m != nil {
				ms = append(ms, m)
			}
		}
	}
	if len(ms) == 0 {
		return nil
	}
	return func(p string) bool {
		for _, m := range ms {
			if m(p) {
				return true
			}
		}
		return false
	}
}

// givesValues reports whether a file given may be a Helm values file.
func givesValues(given string) bool { return yamlFile(strings.ToLower(given)) }

// siblingsWhere is a Neighbours function: the YAML files beside a named
// file whose lower-case name match says it needs.
func siblingsWhere(match func(lower string) bool) func(string, []string) []string {
	return func(_ string, siblings []string) []string {
		var out []string
		for _, n := range siblings {
			if l := strings.ToLower(n); yamlFile(l) && match(l) {
				out = append(out, n)
			}
		}
		return out
	}
}

// isObject reports whether a YAML document is a Kubernetes object of a
// kind from an API group ("argoproj.io/").
func isObject(doc *yaml.Node, kind, apiPrefix string) bool {
	k, _ := yamlx.Str(yamlx.Get(doc, "kind"))
	api, _ := yamlx.Str(yamlx.Get(doc, "apiVersion"))
	return k == kind && strings.HasPrefix(api, apiPrefix)
}

// yamlFile is the Reads of every YAML source.
func yamlFile(p string) bool {
	// Every file of the walk is asked, by seven sources: no lower-cased
	// copy of its name.
	e := filepath.Ext(p)
	return strings.EqualFold(e, ".yaml") || strings.EqualFold(e, ".yml")
}

// documents lists the mapping documents of a file, with the items of
// Kubernetes Lists (kind: List, ConfigMapList...) in place of the List.
func documents(docs []*yaml.Node) []*yaml.Node {
	var out []*yaml.Node
	var visit func(n *yaml.Node, depth int)
	visit = func(n *yaml.Node, depth int) {
		if !yamlx.IsMap(n) {
			return
		}
		if depth < 4 && isK8sObject(n) {
			if kind, _ := yamlx.Str(yamlx.Get(n, "kind")); strings.HasSuffix(kind, "List") {
				for _, it := range yamlx.Items(yamlx.Get(n, "items")) {
					visit(it, depth+1)
				}
				return
			}
		}
		out = append(out, n)
	}
	for _, d := range docs {
		visit(d, 0)
	}
	return out
}

func isK8sObject(doc *yaml.Node) bool {
	return yamlx.Get(doc, "apiVersion") != nil && yamlx.Get(doc, "kind") != nil
}
