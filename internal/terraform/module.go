package terraform

import (
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/wvlint/wvlint/internal/pos"
)

// FS is where a module's files are read (the work tree or a git revision).
type FS interface {
	ReadFile(name string) ([]byte, error)
	ReadDir(name string) ([]string, error) // names of the regular files in a directory
}

// Problem is a file or expression wvlint could not read.
type Problem struct {
	File    string
	Line    int // 0 for the whole file
	Message string
}

// attr is an attribute with the file it is written in.
type attr struct {
	a *hclsyntax.Attribute
	f *file
}

type file struct {
	name  string
	src   []byte
	lines *pos.Lines
	body  *hclsyntax.Body
}

// Module is the .tf files of one directory (a Terraform module), with what
// its expressions can be resolved against.
type Module struct {
	Dir      string
	Problems []Problem

	fs     FS
	files  []*file
	vars   map[string]*hclsyntax.Block // variable blocks
	varsIn map[string]*file
	tfvars map[string]attr // terraform.tfvars, *.auto.tfvars
	locals map[string]attr
	res    map[string]*resource // "type.name"
	order  []*resource
	extra  map[string]*file // other files read (templates), by name

	// Prefix is the module's address in its root module ("module.weaviate."),
	// "" for a root module; Root is that root module's directory ("" for
	// a root module). Both are set by Call.Instance.
	Prefix string
	Root   string
	caller *caller
}

type resource struct {
	typ, name string
	block     *hclsyntax.Block
	f         *file
}

// IsModuleFile reports whether a file name is read as part of a module.
func IsModuleFile(name string) bool {
	b := path.Base(filepath.ToSlash(name))
	// Case-insensitive without a lower-cased copy: every file of the walk
	// is asked.
	suffix := func(s string) bool { return len(b) >= len(s) && strings.EqualFold(b[len(b)-len(s):], s) }
	return suffix(".tf") || strings.EqualFold(b, "terraform.tfvars") || suffix(".auto.tfvars")
}

// Load parses the .tf (and auto-loaded .tfvars) files of dir. Files that
// do not parse are reported in Problems and skipped.
func Load(fsys FS, dir string) *Module {
	m := &Module{Dir: dir, fs: fsys, vars: map[string]*hclsyntax.Block{}, varsIn: map[string]*file{},
		tfvars: map[string]attr{}, locals: map[string]attr{}, res: map[string]*resource{}, extra: map[string]*file{}}
	names, err := fsys.ReadDir(dir)
	if err != nil {
		m.Problems = append(m.Problems, Problem{File: dir, Message: fmt.Sprintf("cannot list the module: %v", err)})
		return m
	}
	sort.Strings(names)
	var tfvars []*file
	for _, n := range names {
		if !IsModuleFile(n) {
			continue
		}
		f := m.parse(filepath.Join(dir, n))
		if f == nil {
			continue
		}
		if strings.HasSuffix(strings.ToLower(n), ".tfvars") {
			tfvars = append(tfvars, f)
			continue
		}
		m.files = append(m.files, f)
	}
	for _, f := range m.files {
		for _, b := range f.body.Blocks {
			switch {
			case b.Type == "variable" && len(b.Labels) == 1:
				m.vars[b.Labels[0]], m.varsIn[b.Labels[0]] = b, f
			case b.Type == "locals":
				for name, a := range b.Body.Attributes {
					m.locals[name] = attr{a, f}
				}
			case b.Type == "resource" && len(b.Labels) == 2:
				r := &resource{typ: b.Labels[0], name: b.Labels[1], block: b, f: f}
				m.res[r.typ+"."+r.name] = r
				m.order = append(m.order, r)
			}
		}
	}
	// terraform.tfvars first, then *.auto.tfvars in lexical order: a later
	// file wins, as in Terraform.
	sort.SliceStable(tfvars, func(i, j int) bool {
		return path.Base(tfvars[i].name) == "terraform.tfvars" && path.Base(tfvars[j].name) != "terraform.tfvars"
	})
	for _, f := range tfvars {
		for name, a := range f.body.Attributes {
			m.tfvars[name] = attr{a, f}
		}
	}
	return m
}

func (m *Module) parse(name string) *file {
	src, err := m.fs.ReadFile(name)
	if err != nil {
		m.Problems = append(m.Problems, Problem{File: name, Message: fmt.Sprintf("cannot read: %v", err)})
		return nil
	}
	hf, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
	if diags.HasErrors() {
		var d *hcl.Diagnostic
		errors.As(diags.Errs()[0], &d)
		line := 0
		if d != nil && d.Subject != nil {
			line = d.Subject.Start.Line
		}
		m.Problems = append(m.Problems, Problem{File: name, Line: line, Message: "invalid HCL: " + d.Summary + detail(d)})
		return nil
	}
	return &file{name: name, src: src, lines: pos.NewLines(src), body: hf.Body.(*hclsyntax.Body)}
}

func detail(d *hcl.Diagnostic) string {
	if d.Detail == "" {
		return ""
	}
	return ": " + d.Detail
}

// span turns an HCL range into a span on its first line, in code points.
func (f *file) span(r hcl.Range) pos.Span {
	line, col := f.lines.Pos(r.Start.Byte)
	sp := pos.Span{File: f.name, Line: line, Col: col}
	if r.End.Line == r.Start.Line {
		_, end := f.lines.Pos(r.End.Byte)
		sp.EndCol = end
	} else {
		sp.EndCol = pos.RuneLen(f.lines.Line(line)) + 1
	}
	return sp
}

// Resources lists the module's resources of the given types, in file order.
func (m *Module) resources(types ...string) []*resource {
	var out []*resource
	for _, r := range m.order {
		for _, t := range types {
			if r.typ == t {
				out = append(out, r)
			}
		}
	}
	return out
}

// Files lists the files the module was read from (its .tf and .tfvars
// files and the templates templatefile() rendered, and for an instance the
// files of the modules that call it), sorted.
func (m *Module) Files() []string {
	var out []string
	for _, f := range m.files {
		out = append(out, f.name)
	}
	for _, a := range m.tfvars {
		out = append(out, a.f.name)
	}
	for n := range m.extra {
		out = append(out, n)
	}
	if m.caller != nil {
		out = append(out, m.caller.call.Caller.Files()...)
	}
	sort.Strings(out)
	return slices.Compact(out)
}
