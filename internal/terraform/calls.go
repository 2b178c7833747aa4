package terraform

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/wvlint/wvlint/internal/pos"
	"github.com/wvlint/wvlint/internal/srcval"
)

// Call is a module block whose source is a local path ("./modules/x",
// "../weaviate"): the only calls wvlint follows. Registry and git sources
// are never fetched.
type Call struct {
	Name   string   // the block's label: module.<Name>
	Source string   // the source as written
	Dir    string   // the called module's directory: Source joined to the caller's
	At     pos.Span // the block's label
	// Caller is the module instance the block is written in.
	Caller *Module
	args   map[string]attr
}

// caller is what a called module instance resolves its variables against.
type caller struct {
	call  Call
	scope *scope // the caller's, for the arguments
}

// Calls lists the module's module blocks with a local source, in file
// order. Blocks with another source (a registry address, a git URL) or a
// source that is not a literal string are left out.
func (m *Module) Calls() []Call {
	var out []Call
	for _, f := range m.files {
		for _, b := range f.body.Blocks {
			if b.Type != "module" || len(b.Labels) != 1 {
				continue
			}
			sa, ok := b.Body.Attributes["source"]
			if !ok {
				continue
			}
			src, ok := literalString(sa.Expr)
			if !ok || !localSource(src) {
				continue
			}
			c := Call{Name: b.Labels[0], Source: src, Dir: filepath.Join(m.Dir, filepath.FromSlash(src)),
				At: f.span(b.LabelRanges[0]), Caller: m, args: map[string]attr{}}
			for name, a := range b.Body.Attributes {
				switch name {
				case "source", "version", "count", "for_each", "providers", "depends_on":
					continue
				}
				c.args[name] = attr{a, f}
			}
			out = append(out, c)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].At.File != out[j].At.File {
			return out[i].At.File < out[j].At.File
		}
		return out[i].At.Line < out[j].At.Line
	})
	return out
}

// localSource reports whether a module source is a local path, which
// Terraform recognises by its "./" or "../" prefix.
func localSource(s string) bool {
	return strings.HasPrefix(s, "./") || strings.HasPrefix(s, "../") || s == "." || s == ".."
}

func literalString(e hclsyntax.Expression) (string, bool) {
	t, ok := e.(*hclsyntax.TemplateExpr)
	if !ok || !t.IsStringLiteral() {
		return "", false
	}
	v, diags := t.Value(nil)
	if diags.HasErrors() || !v.IsKnown() || v.IsNull() {
		return "", false
	}
	return v.AsString(), true
}

// Sets reports whether the call sets a variable of the called module.
func (c Call) Sets(name string) bool { _, ok := c.args[name]; return ok }

// Address is the call's address in its root module: "module.weaviate",
// "module.stack.module.weaviate".
func (c Call) Address() string { return c.Caller.Prefix + "module." + c.Name }

// Where is "file:line" of the module block.
func (c Call) Where() string { return fmt.Sprintf("%s:%d", filepath.ToSlash(c.At.File), c.At.Line) }

// Instance is callee as this call instantiates it: its variables are the
// call's arguments, evaluated in the caller's scope (itself an instance
// when the caller is called in turn), or their defaults when the call
// leaves them unset. The callee's own terraform.tfvars does not apply:
// Terraform reads tfvars only in the root module.
func (c Call) Instance(callee *Module) *Module {
	inst := *callee
	inst.caller = &caller{call: c, scope: c.Caller.scope()}
	inst.Prefix = c.Address() + "."
	inst.Root = c.Caller.RootDir()
	return &inst
}

// Callers lists the calls that lead to this instance, outermost first;
// nil for a root module.
func (m *Module) Callers() []Call {
	if m.caller == nil {
		return nil
	}
	return append(m.caller.call.Caller.Callers(), m.caller.call)
}

// RootDir is the directory of the root module this instance is part of:
// the module's own for a root module.
func (m *Module) RootDir() string {
	if m.Root != "" {
		return m.Root
	}
	return m.Dir
}

// Mentions reports whether one of the module's .tf files holds text
// that match reports.
func (m *Module) Mentions(match func([]byte) bool) bool {
	for _, f := range m.files {
		if match(f.src) {
			return true
		}
	}
	return false
}

// tfvar is a variable's value in terraform.tfvars or *.auto.tfvars, which
// only a root module reads.
func (m *Module) tfvar(name string) (attr, bool) {
	if m.caller != nil {
		return attr{}, false
	}
	a, ok := m.tfvars[name]
	return a, ok
}

// The references a value of a called module crosses into its call: the
// call's argument, or the variable's default where the call leaves it
// unset. CallVariables reads them back.
const (
	argVia     = "the argument %s of %s"
	defaultVia = "the default of var.%s, as %s leaves it unset,"
)

// CallVariables lists, for each module call the values were read through
// (by address), the variables they took from it, in order: "weaviate_version"
// for an argument the call sets, "weaviate_version unset" where the
// variable's default applies.
func CallVariables(vs ...Value) map[string][]string {
	out := map[string][]string{}
	add := func(addr, v string) {
		for _, have := range out[addr] {
			if have == v {
				return
			}
		}
		out[addr] = append(out[addr], v)
	}
	for _, v := range vs {
		hops := append([]srcval.Hop(nil), v.Hops...)
		for _, s := range v.Segments {
			hops = append(hops, s.Hops...)
		}
		for _, h := range hops {
			var name, addr string
			if n, _ := fmt.Sscanf(h.Via, "the argument %s of %s", &name, &addr); n == 2 && fmt.Sprintf(argVia, name, addr) == h.Via {
				add(addr, name)
				continue
			}
			if rest, ok := strings.CutPrefix(h.Via, "the default of var."); ok {
				if name, addr, ok := strings.Cut(strings.TrimSuffix(rest, " leaves it unset,"), ", as "); ok {
					add(addr, name+" unset")
				}
			}
		}
	}
	return out
}
