package terraform

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/wvlint/wvlint/internal/pos"
	"github.com/wvlint/wvlint/internal/srcval"
)

// maxDepth bounds how many references are followed (local.a = local.b = ...).
const maxDepth = 16

// scope is what names in an expression refer to, besides the module's
// var, local and path: the variables of a templatefile call.
type scope struct {
	m     *Module
	roots map[string]exprIn // templatefile variables, evaluated in the caller's module
	depth int
}

func (m *Module) scope() *scope { return &scope{m: m} }

func (sc *scope) deeper() *scope { c := *sc; c.depth++; return &c }

// exprIn is an expression and the file it is written in.
type exprIn struct {
	e hclsyntax.Expression
	f *file
}

// eval reads an expression written in f.
func (sc *scope) eval(e hclsyntax.Expression, f *file) Value {
	sp := f.span(e.Range())
	if sc.depth > maxDepth {
		return unknown(sp, "references nest too deep (a cycle?)")
	}
	switch e := e.(type) {
	case *hclsyntax.LiteralValueExpr:
		return literalValue(e.Val, sp)
	case *hclsyntax.TemplateExpr:
		var parts []Value
		for _, p := range e.Parts {
			if lit, ok := p.(*hclsyntax.LiteralValueExpr); ok && lit.Val.Type() == cty.String && lit.Val.IsKnown() && !lit.Val.IsNull() {
				text := lit.Val.AsString()
				v := known(text, f.span(lit.SrcRange))
				if string(f.lines.Bytes(lit.SrcRange.Start.Byte, lit.SrcRange.End.Byte)) != text && len(v.Segments) > 0 {
					v.Segments[0].From = pos.Span{} // escapes or heredoc indentation: no column for each character
				}
				parts = append(parts, v)
				continue
			}
			parts = append(parts, sc.eval(p, f))
		}
		if len(parts) == 0 {
			return known("", sp)
		}
		v := concat(sp, parts)
		if v.Known {
			v.Span = sp
		}
		return v
	case *hclsyntax.TemplateWrapExpr:
		return sc.eval(e.Wrapped, f)
	case *hclsyntax.ParenthesesExpr:
		return sc.eval(e.Expression, f)
	case *hclsyntax.ScopeTraversalExpr:
		return sc.traversal(e.Traversal, sp)
	case *hclsyntax.FunctionCallExpr:
		return unknown(sp, fmt.Sprintf("%s(...) is computed when Terraform runs", e.Name))
	case *hclsyntax.ConditionalExpr:
		return unknown(sp, "a conditional expression picks the value when Terraform runs")
	case *hclsyntax.ObjectConsExpr, *hclsyntax.TupleConsExpr:
		return unknown(sp, "not a string")
	}
	return unknown(sp, "the expression is computed when Terraform runs")
}

func literalValue(v cty.Value, sp pos.Span) Value {
	if v.IsNull() || !v.IsKnown() {
		return unknown(sp, "the value is null")
	}
	switch v.Type() {
	case cty.String:
		return known(v.AsString(), sp)
	case cty.Number:
		return known(v.AsBigFloat().Text('f', -1), sp)
	case cty.Bool:
		if v.True() {
			return known("true", sp)
		}
		return known("false", sp)
	}
	return unknown(sp, "not a string")
}

// traversal resolves var.x, local.x, path.module, a templatefile variable
// and docker_image.x.name, walking into object defaults for further steps
// (var.weaviate.tag).
func (sc *scope) traversal(t hcl.Traversal, use pos.Span) Value {
	root := t.RootName()
	ref := traversalString(t)
	steps := t[1:]
	name := ""
	if len(steps) > 0 {
		if a, ok := steps[0].(hcl.TraverseAttr); ok {
			name = a.Name
		}
	}
	m := sc.m
	switch {
	case sc.roots != nil && sc.roots[root].e != nil:
		a := sc.roots[root]
		return sc.follow(ref, use, a.e, a.f, steps)
	case root == "var" && name != "":
		if c := m.caller; c != nil {
			if a, ok := c.call.args[name]; ok {
				// The caller's argument, read where the caller writes it.
				up := *c.scope
				up.depth = sc.depth
				arg := fmt.Sprintf(argVia, name, c.call.Address())
				return through(up.follow(arg, a.f.span(a.a.NameRange), a.a.Expr, a.f, steps[1:]), ref, use)
			}
		}
		if a, ok := m.tfvar(name); ok {
			return sc.follow(ref, use, a.a.Expr, a.f, steps[1:])
		}
		b, ok := m.vars[name]
		if !ok {
			return unknown(use, fmt.Sprintf("%s is not declared in this module", "var."+name))
		}
		f := m.varsIn[name]
		if d, ok := b.Body.Attributes["default"]; ok {
			v := sc.follow(ref, use, d.Expr, f, steps[1:])
			if c := m.caller; c != nil {
				// Say where the default is chosen: the call that leaves it unset.
				v = through(v, fmt.Sprintf(defaultVia, name, c.call.Address()), c.call.At)
			}
			return v
		}
		why := fmt.Sprintf("var.%s has no default and no value in terraform.tfvars: the caller sets it", name)
		if c := m.caller; c != nil {
			why = fmt.Sprintf("var.%s has no default and %s at %s does not set it", name, c.call.Address(), c.call.Where())
		}
		v := unknown(f.span(b.TypeRange), why)
		v.Hops = []srcval.Hop{{Via: "var." + name, Ref: use}}
		return v
	case root == "local" && name != "":
		a, ok := m.locals[name]
		if !ok {
			return unknown(use, fmt.Sprintf("local.%s is not defined in this module", name))
		}
		return sc.follow(ref, use, a.a.Expr, a.f, steps[1:])
	case root == "path" && name == "module" && len(steps) == 1:
		return Value{Known: true, Text: m.Dir, Span: use}
	case root == "path" && (name == "root" || name == "cwd") && len(steps) == 1:
		return Value{Known: true, Text: m.RootDir(), Span: use}
	case root == "docker_image" && len(steps) == 2:
		r := m.res["docker_image."+name]
		if a, ok := steps[1].(hcl.TraverseAttr); ok && r != nil && (a.Name == "name" || a.Name == "image_id" || a.Name == "repo_digest") {
			if n, ok := r.block.Body.Attributes["name"]; ok {
				return sc.follow("docker_image."+name, use, n.Expr, r.f, nil)
			}
		}
	}
	return unknown(use, fmt.Sprintf("%s is known only when Terraform runs", ref))
}

// follow evaluates the expression a reference points at, then walks steps
// into object and tuple constructors.
func (sc *scope) follow(ref string, use pos.Span, e hclsyntax.Expression, f *file, steps hcl.Traversal) Value {
	for _, st := range steps {
		var key string
		switch st := st.(type) {
		case hcl.TraverseAttr:
			key = st.Name
		case hcl.TraverseIndex:
			if st.Key.Type() == cty.String {
				key = st.Key.AsString()
			} else if st.Key.Type() == cty.Number {
				if tup, ok := e.(*hclsyntax.TupleConsExpr); ok {
					i, _ := st.Key.AsBigFloat().Int64()
					if i < 0 || int(i) >= len(tup.Exprs) {
						return unknown(use, fmt.Sprintf("%s: index %d is out of range", ref, i))
					}
					e = tup.Exprs[i]
					continue
				}
			}
		}
		obj, ok := e.(*hclsyntax.ObjectConsExpr)
		if !ok || key == "" {
			return through(unknown(f.span(e.Range()), "not an object wvlint can walk"), ref, use)
		}
		next := objectItem(obj, key)
		if next == nil {
			return through(unknown(f.span(e.Range()), fmt.Sprintf("no key %q", key)), ref, use)
		}
		e = next
	}
	return through(sc.deeper().eval(e, f), ref, use)
}

// objectItem finds the value of key in an object constructor.
func objectItem(obj *hclsyntax.ObjectConsExpr, key string) hclsyntax.Expression {
	for _, it := range obj.Items {
		if k, ok := objectKey(it.KeyExpr); ok && k == key {
			return it.ValueExpr
		}
	}
	return nil
}

// objectKey reads a literal object key: a bare name or a quoted string.
func objectKey(e hclsyntax.Expression) (string, bool) {
	if k, ok := e.(*hclsyntax.ObjectConsKeyExpr); ok {
		if !k.ForceNonLiteral {
			if name := hcl.ExprAsKeyword(k.Wrapped); name != "" {
				return name, true
			}
		}
		e = k.Wrapped
	}
	switch e := e.(type) {
	case *hclsyntax.TemplateExpr:
		if e.IsStringLiteral() {
			v, diags := e.Value(nil)
			if !diags.HasErrors() && v.Type() == cty.String {
				return v.AsString(), true
			}
		}
	case *hclsyntax.LiteralValueExpr:
		if e.Val.Type() == cty.String {
			return e.Val.AsString(), true
		}
	}
	return "", false
}

func traversalString(t hcl.Traversal) string {
	var b strings.Builder
	for i, st := range t {
		switch st := st.(type) {
		case hcl.TraverseRoot:
			b.WriteString(st.Name)
		case hcl.TraverseAttr:
			b.WriteString("." + st.Name)
		case hcl.TraverseIndex:
			if st.Key.Type() == cty.String {
				fmt.Fprintf(&b, "[%q]", st.Key.AsString())
			} else if st.Key.Type() == cty.Number {
				b.WriteString("[" + st.Key.AsBigFloat().Text('f', -1) + "]")
			} else {
				b.WriteString("[?]")
			}
		default:
			if i > 0 {
				b.WriteString("[*]")
			}
		}
	}
	return b.String()
}
