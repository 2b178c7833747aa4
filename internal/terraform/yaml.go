package terraform

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"go.yaml.in/yaml/v3"

	"github.com/wvlint/wvlint/internal/pos"
)

// expr follows var and local references to the expression they stand for,
// so that values = [local.weaviate_values] reads the heredoc or
// yamlencode() it names.
func (sc *scope) expr(e hclsyntax.Expression, f *file) (hclsyntax.Expression, *file) {
	for range maxDepth {
		st, ok := e.(*hclsyntax.ScopeTraversalExpr)
		if !ok || len(st.Traversal) != 2 {
			return e, f
		}
		a, ok := st.Traversal[1].(hcl.TraverseAttr)
		if !ok {
			return e, f
		}
		switch st.Traversal.RootName() {
		case "local":
			l, ok := sc.m.locals[a.Name]
			if !ok {
				return e, f
			}
			e, f = l.a.Expr, l.f
		case "var":
			if c := sc.m.caller; c != nil && c.call.Sets(a.Name) {
				return e, f // the caller's argument: eval follows it into the caller's scope
			}
			if t, ok := sc.m.tfvar(a.Name); ok {
				e, f = t.a.Expr, t.f
				continue
			}
			b, ok := sc.m.vars[a.Name]
			if !ok {
				return e, f
			}
			d, ok := b.Body.Attributes["default"]
			if !ok {
				return e, f
			}
			e, f = d.Expr, sc.m.varsIn[a.Name]
		default:
			return e, f
		}
	}
	return e, f
}

// yamlTemplate reads values written as a heredoc: YAML whose scalars may
// hold ${...} interpolations.
func (m *Module) yamlTemplate(sc *scope, t *hclsyntax.TemplateExpr, f *file) Layer {
	r := t.Range()
	raw := f.lines.Bytes(r.Start.Byte, r.End.Byte)
	if !bytes.HasPrefix(raw, []byte("<<")) {
		v := sc.eval(t, f)
		if !v.Known {
			return Layer{Unread: &Value{Span: v.Span, Why: orWhy(v)}}
		}
		return Layer{Unread: &Value{Span: v.Span, Why: "values in a quoted string are not read; write them as a heredoc or with yamlencode()"}}
	}
	nl := bytes.IndexByte(raw, '\n')
	last := bytes.LastIndexByte(bytes.TrimRight(raw, " \t\r\n"), '\n')
	if nl < 0 || last < nl {
		return Layer{}
	}
	return m.yamlBody(sc, t, f, r.Start.Byte+nl+1, r.Start.Byte+last+1)
}

// templatefile reads templatefile("values.yaml.tpl", { tag = var.x }).
func (m *Module) templatefile(sc *scope, call *hclsyntax.FunctionCallExpr, f *file) Layer {
	sp := f.span(call.Range())
	p := sc.eval(call.Args[0], f)
	if !p.Known {
		return Layer{Unread: &Value{Span: p.Span, Why: "the template file name cannot be read: " + p.Why}}
	}
	name := m.modulePath(p.Text)
	tf, ok := m.extra[name]
	if !ok {
		src, err := m.fs.ReadFile(name)
		if err != nil {
			return Layer{FileAt: sp, Unread: &Value{Span: sp, Why: fmt.Sprintf("cannot read template %s: %v", name, err)}}
		}
		tf = &file{name: name, src: src, lines: pos.NewLines(src)}
		m.extra[name] = tf
	}
	tmpl, diags := hclsyntax.ParseTemplate(tf.src, name, hcl.InitialPos)
	if diags.HasErrors() {
		var d *hcl.Diagnostic
		errors.As(diags.Errs()[0], &d)
		line := 0
		if d != nil && d.Subject != nil {
			line = d.Subject.Start.Line
		}
		return Layer{FileAt: sp, Unread: &Value{Span: pos.Span{File: name, Line: line, Col: 1}, Why: "invalid template: " + d.Summary}}
	}
	vars := map[string]exprIn{}
	obj, _ := call.Args[1].(*hclsyntax.ObjectConsExpr)
	if obj == nil {
		e, ef := sc.expr(call.Args[1], f)
		obj, _ = e.(*hclsyntax.ObjectConsExpr)
		f = ef
	}
	if obj != nil {
		for _, it := range obj.Items {
			if k, ok := objectKey(it.KeyExpr); ok {
				vars[k] = exprIn{it.ValueExpr, f}
			}
		}
	}
	inner := &scope{m: m, roots: vars, depth: sc.depth}
	t, ok := tmpl.(*hclsyntax.TemplateExpr)
	if !ok {
		return Layer{FileAt: sp, Unread: &Value{Span: tf.span(tmpl.Range()), Why: "the template is a single expression computed when Terraform runs"}}
	}
	l := m.yamlBody(inner, t, tf, 0, len(tf.src))
	l.FileAt, l.Template = sp, name
	return l
}

// interpolation is a ${...} in a template: the bytes it covers and its
// expression.
type interpolation struct {
	from, to int // file bytes, "${" to "}" inclusive
	e        hclsyntax.Expression
}

// yamlBody parses file bytes [from, to) of template t as YAML values.
func (m *Module) yamlBody(sc *scope, t *hclsyntax.TemplateExpr, f *file, from, to int) Layer {
	var interps []interpolation
	for _, p := range t.Parts {
		if _, lit := p.(*hclsyntax.LiteralValueExpr); lit {
			continue
		}
		switch p.(type) {
		case *hclsyntax.ConditionalExpr, *hclsyntax.ForExpr, *hclsyntax.TemplateJoinExpr:
			return Layer{Unread: &Value{Span: f.span(p.Range()), Why: "a template directive (%{...}) decides the values when Terraform runs"}}
		}
		r := p.Range()
		open := bytes.LastIndex(f.src[:r.Start.Byte], []byte("${"))
		cl := bytes.IndexByte(f.src[r.End.Byte:], '}')
		if open < 0 || cl < 0 {
			return Layer{Unread: &Value{Span: f.span(r), Why: "an interpolation wvlint cannot place"}}
		}
		interps = append(interps, interpolation{from: open, to: r.End.Byte + cl + 1, e: p})
	}
	// Mask interpolations rune for rune, so that YAML sees plain text at
	// the same lines and columns.
	body := []byte(string(f.src[from:to]))
	for _, ip := range interps {
		if ip.from < from || ip.to > to {
			continue
		}
		seg := f.src[ip.from:ip.to]
		n := utf8.RuneCount(seg)
		mask := bytes.Repeat([]byte("x"), n)
		if !bytes.Contains(seg, []byte("\n")) {
			body = append(body[:ip.from-from], append(mask, f.src[ip.to:to]...)...)
			// Later interpolations keep their offsets only if lengths match.
			if len(mask) != len(seg) {
				return Layer{Unread: &Value{Span: f.span(ip.e.Range()), Why: "an interpolation with non-ASCII text"}}
			}
		}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(body, &doc); err != nil {
		line, _ := f.lines.Pos(from)
		return Layer{Unread: &Value{Span: pos.Span{File: f.name, Line: line, Col: 1}, Why: "the values are not YAML wvlint can read: " + strings.TrimPrefix(err.Error(), "yaml: ")}}
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return Layer{}
	}
	firstLine, _ := f.lines.Pos(from)
	var l Layer
	var walk func(n *yaml.Node, prefix string)
	walk = func(n *yaml.Node, prefix string) {
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			key := join(prefix, k.Value)
			switch v.Kind {
			case yaml.MappingNode:
				walk(v, key)
			case yaml.ScalarNode:
				if v.Tag == "!!null" {
					continue
				}
				l.Values = append(l.Values, KV{Key: key, Value: m.scalar(sc, f, firstLine, v, interps)})
			}
		}
	}
	walk(doc.Content[0], "")
	return l
}

// scalar builds the value of a YAML scalar of a template body, with the
// position of each character in the file and its interpolations evaluated.
func (m *Module) scalar(sc *scope, f *file, firstLine int, n *yaml.Node, interps []interpolation) Value {
	line := firstLine + n.Line - 1
	col := n.Column
	switch n.Style {
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		col++
	case yaml.LiteralStyle, yaml.FoldedStyle:
		return Value{Known: true, Text: n.Value, Span: pos.Span{File: f.name, Line: line, Col: col}}
	}
	start := lineColByte(f, line, col)
	length := utf8.RuneCountInString(n.Value)
	end := lineColByte(f, line, col+length)
	sp := pos.Span{File: f.name, Line: line, Col: col, EndCol: col + length}
	var parts []Value
	at := start
	for _, ip := range interps {
		if ip.from < start || ip.from >= end {
			continue
		}
		if ip.from > at {
			parts = append(parts, known(string(f.src[at:ip.from]), f.byteSpan(at, ip.from)))
		}
		parts = append(parts, sc.eval(ip.e, f))
		at = ip.to
	}
	if len(parts) == 0 {
		v := known(n.Value, sp)
		if string(f.src[start:max(start, end)]) != n.Value && len(v.Segments) > 0 {
			v.Segments[0].From = pos.Span{}
		}
		return v
	}
	if at < end {
		parts = append(parts, known(string(f.src[at:end]), f.byteSpan(at, end)))
	}
	v := concat(sp, parts)
	if v.Known {
		v.Span = sp
	}
	return v
}

// lineColByte is the byte offset of 1-based code-point column col of line.
func lineColByte(f *file, line, col int) int {
	start, _ := f.lineStart(line)
	text := f.lines.Line(line)
	off := 0
	for i := 1; i < col && off < len(text); i++ {
		_, size := utf8.DecodeRuneInString(text[off:])
		off += size
	}
	return start + off
}

// lineStart finds the byte offset where a 1-based line starts.
func (f *file) lineStart(line int) (int, bool) {
	if line == 1 {
		if bytes.HasPrefix(f.src, []byte("\ufeff")) {
			return 3, true
		}
		return 0, true
	}
	n := 1
	for i, b := range f.src {
		if b == '\n' {
			n++
			if n == line {
				return i + 1, true
			}
		}
	}
	return len(f.src), false
}

func (f *file) byteSpan(from, to int) pos.Span {
	line, col := f.lines.Pos(from)
	_, end := f.lines.Pos(to)
	return pos.Span{File: f.name, Line: line, Col: col, EndCol: end}
}
