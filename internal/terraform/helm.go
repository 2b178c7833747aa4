package terraform

import (
	"fmt"
	"path"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/wvlint/wvlint/internal/pos"
)

// KV is one Helm value: a dotted key path and its value.
type KV struct {
	Key   string // "image.tag"
	Value Value
}

// Layer is one element of a helm_release's values list, in the order Helm
// merges them (a later layer wins).
type Layer struct {
	// File is a values file read with file() or templatefile(), relative to
	// the scan root; "" for inline values.
	File string
	// Template is the template file a templatefile() call renders into
	// Values; "" otherwise.
	Template string
	// FileAt is where the file is named.
	FileAt pos.Span
	// Values are the inline values (yamlencode, a heredoc, a templatefile
	// rendering) flattened to dotted keys; nil for a plain file().
	Values []KV
	// Unread is set when the element cannot be read without running
	// Terraform; Values may then be partial.
	Unread *Value
}

// HelmRelease is a helm_release of the weaviate chart.
type HelmRelease struct {
	Address string   // "helm_release.weaviate"
	At      pos.Span // the resource's labels
	Chart   Value
	Repo    Value // zero when absent
	Version *Value
	Layers  []Layer
	// Sets are the set blocks (and set list entries) in order: they
	// override every layer.
	Sets []KV
	// Dynamic lists dynamic "set" blocks, which wvlint cannot expand: a
	// key they set is unknown.
	Dynamic []pos.Span
	// Evidence says why this is the weaviate chart.
	Evidence string
}

// NearMiss is a resource that looks like a Weaviate deployment but is not
// tied to Weaviate by anything wvlint can read.
type NearMiss struct {
	At      pos.Span
	Message string
}

// officialRepo reports whether a chart repository URL is the weaviate chart's.
func officialRepo(u string) bool {
	u = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(u), "/"))
	u = strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
	return u == "weaviate.github.io/weaviate-helm"
}

// HelmReleases lists the module's helm_release resources of the weaviate
// chart: chart "weaviate" from the chart's repository
// (https://weaviate.github.io/weaviate-helm), or a chart reference that
// names that repository. Others named weaviate are near misses.
func (m *Module) HelmReleases() ([]HelmRelease, []NearMiss) {
	var out []HelmRelease
	var near []NearMiss
	for _, r := range m.resources("helm_release") {
		b := r.block.Body
		sc := m.scope()
		addr := r.typ + "." + r.name
		at := r.f.span(r.block.LabelRanges[1])
		ca, ok := b.Attributes["chart"]
		if !ok {
			continue
		}
		chart := sc.eval(ca.Expr, r.f)
		var repo Value
		if ra, ok := b.Attributes["repository"]; ok {
			repo = sc.eval(ra.Expr, r.f)
		}
		base := strings.TrimSuffix(path.Base(chart.Text), ".tgz")
		var evidence string
		switch {
		case !chart.Known:
			if strings.Contains(strings.ToLower(string(r.f.lines.Bytes(ca.Expr.Range().Start.Byte, ca.Expr.Range().End.Byte))), "weaviate") {
				near = append(near, NearMiss{At: chart.Span, Message: fmt.Sprintf("%s: the chart cannot be read (%s)", addr, chart.Why)})
			}
			continue
		case chart.Text == "weaviate" && repo.Known && officialRepo(repo.Text):
			evidence = fmt.Sprintf("%s:%d %s of chart weaviate from %s", filepath.ToSlash(chart.Span.File), chart.Span.Line, addr, strings.TrimSpace(repo.Text))
		case officialRepo(strings.TrimSuffix(chart.Text, "/weaviate")) || strings.Contains(strings.ToLower(chart.Text), "weaviate.github.io/weaviate-helm/"):
			evidence = fmt.Sprintf("%s:%d %s of chart %s", filepath.ToSlash(chart.Span.File), chart.Span.Line, addr, chart.Text)
		case base == "weaviate" || strings.HasPrefix(base, "weaviate-"):
			why := "its repository is not the weaviate chart's"
			switch {
			case repo.Span.File == "":
				why = "no repository: a local chart"
			case !repo.Known:
				why = "the repository cannot be read (" + repo.Why + ")"
			}
			near = append(near, NearMiss{At: chart.Span, Message: fmt.Sprintf("%s installs a chart named %q but %s; name its values in .wvlint.yaml if it deploys Weaviate", addr, chart.Text, why)})
			continue
		default:
			continue
		}
		h := HelmRelease{Address: addr, At: at, Chart: chart, Repo: repo, Evidence: evidence}
		if va, ok := b.Attributes["version"]; ok {
			v := sc.eval(va.Expr, r.f)
			h.Version = &v
		}
		if va, ok := b.Attributes["values"]; ok {
			h.Layers = m.valuesList(sc, va, r.f)
		}
		h.Sets = m.sets(sc, b, r.f, &h)
		out = append(out, h)
	}
	return out, near
}

// sets reads set blocks (helm provider 2.x), a set list attribute (3.x)
// and notes dynamic "set" blocks.
func (m *Module) sets(sc *scope, b *hclsyntax.Body, f *file, h *HelmRelease) []KV {
	var out []KV
	add := func(name, value hclsyntax.Expression, at pos.Span) {
		n := sc.eval(name, f)
		if !n.Known {
			h.Dynamic = append(h.Dynamic, at)
			return
		}
		if value == nil {
			return
		}
		out = append(out, KV{Key: n.Text, Value: sc.eval(value, f)})
	}
	for _, blk := range b.Blocks {
		switch {
		case blk.Type == "set" || blk.Type == "set_string":
			if n, ok := blk.Body.Attributes["name"]; ok {
				var v hclsyntax.Expression
				if a, ok := blk.Body.Attributes["value"]; ok {
					v = a.Expr
				}
				add(n.Expr, v, f.span(blk.TypeRange))
			}
		case blk.Type == "dynamic" && len(blk.Labels) == 1 && (blk.Labels[0] == "set" || blk.Labels[0] == "set_string"):
			h.Dynamic = append(h.Dynamic, f.span(blk.TypeRange))
		}
	}
	for _, kind := range []string{"set", "set_string"} {
		a, ok := b.Attributes[kind]
		if !ok {
			continue
		}
		tup, ok := a.Expr.(*hclsyntax.TupleConsExpr)
		if !ok {
			h.Dynamic = append(h.Dynamic, f.span(a.Expr.Range()))
			continue
		}
		for _, e := range tup.Exprs {
			obj, ok := e.(*hclsyntax.ObjectConsExpr)
			if !ok {
				h.Dynamic = append(h.Dynamic, f.span(e.Range()))
				continue
			}
			if n := objectItem(obj, "name"); n != nil {
				add(n, objectItem(obj, "value"), f.span(e.Range()))
			}
		}
	}
	return out
}

// valuesList reads a helm_release values attribute: a list of file(),
// templatefile(), yamlencode() or heredoc strings.
func (m *Module) valuesList(sc *scope, a *hclsyntax.Attribute, f *file) []Layer {
	tup, ok := a.Expr.(*hclsyntax.TupleConsExpr)
	if !ok {
		v := sc.eval(a.Expr, f)
		return []Layer{{Unread: &Value{Span: v.Span, Why: "values is not a list wvlint can read: " + orWhy(v)}}}
	}
	var out []Layer
	for _, e := range tup.Exprs {
		out = append(out, m.valuesElem(sc, e, f))
	}
	return out
}

func orWhy(v Value) string {
	if v.Why != "" {
		return v.Why
	}
	return "computed when Terraform runs"
}

func (m *Module) valuesElem(sc *scope, e hclsyntax.Expression, f *file) Layer {
	e, f = sc.expr(e, f)
	sp := f.span(e.Range())
	switch e := e.(type) {
	case *hclsyntax.FunctionCallExpr:
		switch e.Name {
		case "file":
			if len(e.Args) == 1 {
				p := sc.eval(e.Args[0], f)
				if !p.Known {
					return Layer{Unread: &Value{Span: p.Span, Why: "the values file name cannot be read: " + p.Why}}
				}
				return Layer{File: m.modulePath(p.Text), FileAt: sp}
			}
		case "yamlencode", "jsonencode":
			if len(e.Args) == 1 {
				l := Layer{}
				flatten(sc, e.Args[0], f, "", &l)
				return l
			}
		case "templatefile":
			if len(e.Args) == 2 {
				return m.templatefile(sc, e, f)
			}
		}
		return Layer{Unread: &Value{Span: sp, Why: fmt.Sprintf("%s(...) is computed when Terraform runs", e.Name)}}
	case *hclsyntax.TemplateExpr:
		return m.yamlTemplate(sc, e, f)
	case *hclsyntax.TemplateWrapExpr:
		return Layer{Unread: &Value{Span: sp, Why: "the values text is computed when Terraform runs"}}
	}
	v := sc.eval(e, f)
	if v.Known {
		return Layer{Unread: &Value{Span: sp, Why: "the values text is built from an expression wvlint does not place"}}
	}
	return Layer{Unread: &Value{Span: v.Span, Why: orWhy(v)}}
}

// modulePath makes a path given to file() relative to the scan root: as
// Terraform does, a relative path is relative to the working directory,
// the root module's directory (a called module's paths are the caller's
// unless they start from path.module).
func (m *Module) modulePath(p string) string {
	p = filepath.FromSlash(p)
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	root := m.RootDir()
	for _, d := range []string{m.Dir, root} {
		if strings.HasPrefix(filepath.Clean(p), filepath.Clean(d)+string(filepath.Separator)) {
			return filepath.Clean(p)
		}
	}
	if root == "." || root == "" {
		return filepath.Clean(p)
	}
	return filepath.Join(root, p)
}

// flatten walks an object constructor (yamlencode's argument) into dotted
// keys. Lists are skipped: no Weaviate version lives in one.
func flatten(sc *scope, e hclsyntax.Expression, f *file, prefix string, l *Layer) {
	switch e := e.(type) {
	case *hclsyntax.ObjectConsExpr:
		for _, it := range e.Items {
			k, ok := objectKey(it.KeyExpr)
			if !ok {
				l.Unread = &Value{Span: f.span(it.KeyExpr.Range()), Why: "a computed key"}
				continue
			}
			flatten(sc, it.ValueExpr, f, join(prefix, k), l)
		}
	case *hclsyntax.TupleConsExpr:
	case *hclsyntax.FunctionCallExpr:
		if prefix == "" || e.Name == "merge" {
			l.Unread = &Value{Span: f.span(e.Range()), Why: fmt.Sprintf("%s(...) is computed when Terraform runs", e.Name)}
			return
		}
		l.Values = append(l.Values, KV{Key: prefix, Value: sc.eval(e, f)})
	default:
		if prefix == "" {
			v := sc.eval(e, f)
			l.Unread = &Value{Span: v.Span, Why: "the values are computed when Terraform runs: " + orWhy(v)}
			return
		}
		l.Values = append(l.Values, KV{Key: prefix, Value: sc.eval(e, f)})
	}
}

func join(prefix, k string) string {
	if prefix == "" {
		return k
	}
	return prefix + "." + k
}
