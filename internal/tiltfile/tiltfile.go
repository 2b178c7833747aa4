// Package tiltfile reads the weaviate chart's Helm releases from a Tiltfile
// (Starlark, parsed with go.starlark.net/syntax and never run): the
// helm_resource and helm_repo functions of Tilt's helm_resource extension
// and helm_remote of its helm_remote extension, with their chart version,
// values files and --set values, each at the exact position it is written.
package tiltfile

import (
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"strings"

	"go.starlark.net/syntax"

	"github.com/wvlint/wvlint/internal/pos"
	"github.com/wvlint/wvlint/internal/shscript"
	"github.com/wvlint/wvlint/internal/srcval"
)

// FS reads the files a Tiltfile names.
type FS interface {
	ReadFile(name string) ([]byte, error)
}

// Result is what one Tiltfile deploys of the weaviate chart.
type Result struct {
	Helm     []shscript.HelmInstall
	Near     []shscript.NearMiss
	Problems []shscript.Problem
}

// MaxNesting bounds how deep brackets may nest: the parser recurses per
// level, and a hostile file of a million "(" would exhaust the stack.
const MaxNesting = 200

// Is reports whether a file name is a Tiltfile: Tiltfile, Tiltfile.<x>
// or <x>.tiltfile.
func Is(name string) bool {
	b := path.Base(filepath.ToSlash(name))
	const suffix = ".tiltfile"
	return b == "Tiltfile" || strings.HasPrefix(b, "Tiltfile.") || len(b) >= len(suffix) && strings.EqualFold(b[len(b)-len(suffix):], suffix)
}

type reader struct {
	fs    FS
	file  string // the Tiltfile
	lines *pos.Lines
	res   *Result
	// globals are the top-level names assigned exactly once.
	globals map[string]syntax.Expr
	// repos are helm_repo names and their URLs.
	repos map[string]shscript.RepoAdd
}

// Read reads the Tiltfile name (data is its contents).
func Read(fsys FS, name string, data []byte) *Result {
	res := &Result{}
	if line, deep := nesting(data); deep {
		res.Problems = append(res.Problems, shscript.Problem{File: name, Line: line, Message: fmt.Sprintf("brackets nest more than %d deep; not read", MaxNesting)})
		return res
	}
	opts := &syntax.FileOptions{Set: true, While: true, TopLevelControl: true, GlobalReassign: true, Recursion: true}
	f, err := opts.Parse(name, data, 0)
	if err != nil {
		line := 0
		msg := err.Error()
		var se syntax.Error
		if errors.As(err, &se) {
			line, msg = int(se.Pos.Line), se.Msg
		}
		res.Problems = append(res.Problems, shscript.Problem{File: name, Line: line, Message: "invalid Tiltfile (Starlark): " + msg})
		return res
	}
	r := &reader{fs: fsys, file: name, lines: pos.NewLines(data), res: res, globals: map[string]syntax.Expr{}, repos: map[string]shscript.RepoAdd{}}
	for _, st := range f.Stmts {
		if a, ok := st.(*syntax.AssignStmt); ok && a.Op == syntax.EQ {
			if id, ok := a.LHS.(*syntax.Ident); ok {
				r.globals[id.Name] = a.RHS
			}
		}
	}
	// A name assigned anywhere else too (again, in an if, in a loop, by
	// +=, in a function) may hold another value when Tilt runs: not read.
	assigned := map[string]int{}
	syntax.Walk(f, func(n syntax.Node) bool {
		switch x := n.(type) {
		case *syntax.AssignStmt:
			if id, ok := x.LHS.(*syntax.Ident); ok {
				assigned[id.Name]++
			}
		case *syntax.ForStmt:
			if id, ok := x.Vars.(*syntax.Ident); ok {
				assigned[id.Name] += 2
			}
		}
		return true
	})
	for n, c := range assigned {
		if c > 1 {
			delete(r.globals, n)
		}
	}
	// helm_repo calls first: a helm_resource may come before the
	// helm_repo it names (Tilt resolves them when it runs).
	var calls []*syntax.CallExpr
	syntax.Walk(f, func(n syntax.Node) bool {
		if c, ok := n.(*syntax.CallExpr); ok {
			calls = append(calls, c)
		}
		return true
	})
	for _, c := range calls {
		if fnName(c) == "helm_repo" {
			r.helmRepo(c)
		}
	}
	for _, c := range calls {
		switch fnName(c) {
		case "helm_resource":
			r.helmResource(c)
		case "helm_remote":
			r.helmRemote(c)
		}
	}
	return res
}

// nesting reports the line where brackets first nest deeper than
// MaxNesting, skipping strings and comments.
func nesting(data []byte) (int, bool) {
	depth, line := 0, 1
	for i := 0; i < len(data); i++ {
		switch c := data[i]; c {
		case '\n':
			line++
		case '#':
			for i < len(data) && data[i] != '\n' {
				i++
			}
			i--
		case '"', '\'':
			q := string([]byte{c})
			if i+2 < len(data) && data[i+1] == c && data[i+2] == c {
				q = strings.Repeat(q, 3)
			}
			j := i + len(q)
			for j < len(data) && !strings.HasPrefix(string(data[j:min(j+len(q), len(data))]), q) {
				if data[j] == '\\' {
					j++
				}
				if j < len(data) && data[j] == '\n' {
					line++
				}
				j++
			}
			i = j + len(q) - 1
		case '(', '[', '{':
			if depth++; depth > MaxNesting {
				return line, true
			}
		case ')', ']', '}':
			depth--
		}
	}
	return 0, false
}

func fnName(c *syntax.CallExpr) string {
	if id, ok := c.Fn.(*syntax.Ident); ok {
		return id.Name
	}
	return ""
}

// args splits a call's arguments into positional ones and keywords.
func args(c *syntax.CallExpr) (positional []syntax.Expr, kw map[string]syntax.Expr) {
	kw = map[string]syntax.Expr{}
	for _, a := range c.Args {
		if b, ok := a.(*syntax.BinaryExpr); ok && b.Op == syntax.EQ {
			if id, ok := b.X.(*syntax.Ident); ok {
				kw[id.Name] = b.Y
				continue
			}
		}
		if u, ok := a.(*syntax.UnaryExpr); ok && (u.Op == syntax.STAR || u.Op == syntax.STARSTAR) {
			continue
		}
		positional = append(positional, a)
	}
	return positional, kw
}

// arg is the argument named key, or the i-th positional one; nil when absent.
func arg(positional []syntax.Expr, kw map[string]syntax.Expr, i int, key string) syntax.Expr {
	if e, ok := kw[key]; ok {
		return e
	}
	if i >= 0 && i < len(positional) {
		return positional[i]
	}
	return nil
}

func (r *reader) span(p syntax.Position) pos.Span {
	return pos.Span{File: r.file, Line: int(p.Line), Col: int(p.Col), EndCol: int(p.Col)}
}

// str evaluates a string expression without running anything: literals,
// top-level names assigned once to one, and + of those.
func (r *reader) str(e syntax.Expr, depth int) srcval.Value {
	start, end := e.Span()
	sp := r.span(start)
	if end.Line == start.Line {
		sp.EndCol = int(end.Col)
	}
	if depth > 20 {
		return srcval.Unknown(sp, "names refer to each other too deeply")
	}
	switch x := e.(type) {
	case *syntax.Literal:
		s, ok := x.Value.(string)
		if !ok {
			return srcval.Unknown(sp, "not a string")
		}
		return r.literal(x, s)
	case *syntax.ParenExpr:
		return r.str(x.X, depth+1)
	case *syntax.Ident:
		def, ok := r.globals[x.Name]
		if !ok {
			return srcval.Unknown(sp, x.Name+" is not a top-level name assigned once in this Tiltfile")
		}
		return srcval.Through(r.str(def, depth+1), x.Name, sp)
	case *syntax.BinaryExpr:
		if x.Op == syntax.PLUS {
			return srcval.Concat(sp, []srcval.Value{r.str(x.X, depth+1), r.str(x.Y, depth+1)})
		}
	case *syntax.CallExpr:
		if d, ok := x.Fn.(*syntax.DotExpr); ok {
			return srcval.Unknown(sp, "the value of ."+d.Name.Name+"(...) is only known when Tilt runs")
		}
		return srcval.Unknown(sp, "the value of "+fnName(x)+"(...) is only known when Tilt runs")
	}
	return srcval.Unknown(sp, "the expression is only known when Tilt runs")
}

// literal is a string literal's value, positioned on its text when it is
// written without escapes (else on the literal as a whole).
func (r *reader) literal(x *syntax.Literal, s string) srcval.Value {
	raw := x.Raw
	prefix := 0
	for prefix < len(raw) && (raw[prefix] == 'r' || raw[prefix] == 'R' || raw[prefix] == 'b') {
		prefix++
	}
	q := 1
	if strings.HasPrefix(raw[prefix:], `"""`) || strings.HasPrefix(raw[prefix:], `'''`) {
		q = 3
	}
	sp := r.span(x.TokenPos)
	body := ""
	if len(raw) >= prefix+2*q {
		body = raw[prefix+q : len(raw)-q]
	}
	if body != s || strings.Contains(s, "\n") {
		return srcval.Value{Known: true, Text: s, Span: sp} // no position per character
	}
	sp.Col += prefix + q
	sp.EndCol = sp.Col + pos.RuneLen(s)
	return srcval.Known(s, sp)
}

// list is the elements of a list (or tuple) expression, through a
// top-level name assigned once; a single expression counts as one.
func (r *reader) list(e syntax.Expr) []syntax.Expr {
	if e == nil {
		return nil
	}
	if id, ok := e.(*syntax.Ident); ok {
		if def, ok := r.globals[id.Name]; ok {
			switch def.(type) {
			case *syntax.ListExpr, *syntax.TupleExpr:
				e = def
			}
		}
	}
	switch x := e.(type) {
	case *syntax.ListExpr:
		return x.List
	case *syntax.TupleExpr:
		return x.List
	}
	return []syntax.Expr{e}
}

// strList evaluates a list of strings.
func (r *reader) strList(e syntax.Expr) []srcval.Value {
	var out []srcval.Value
	for _, el := range r.list(e) {
		out = append(out, r.str(el, 0))
	}
	return out
}

// lead is the literal text an expression begins with ('--version=' in
// '--version=' + V), so a flag is known by its name even when its value
// is computed.
func (r *reader) lead(e syntax.Expr) string {
	switch x := e.(type) {
	case *syntax.BinaryExpr:
		if x.Op == syntax.PLUS {
			return r.lead(x.X)
		}
	case *syntax.ParenExpr:
		return r.lead(x.X)
	}
	if v := r.str(e, 0); v.Known {
		return v.Text
	}
	return ""
}

func (r *reader) helmRepo(c *syntax.CallExpr) {
	pa, kw := args(c)
	name, url := arg(pa, kw, 0, "name"), arg(pa, kw, 1, "url")
	if name == nil || url == nil {
		return
	}
	n, u := r.str(name, 0), r.str(url, 0)
	if n.Known && u.Known {
		r.repos[n.Text] = shscript.RepoAdd{URL: u.Text, At: r.span(c.Lparen)}
	}
}

// helmResource reads helm_resource(name, chart, ..., flags=[...]).
func (r *reader) helmResource(c *syntax.CallExpr) {
	pa, kw := args(c)
	chartE := arg(pa, kw, 1, "chart")
	if chartE == nil {
		return
	}
	chart := r.str(chartE, 0)
	at := r.fnSpan(c)
	h := shscript.HelmInstall{At: at, Verb: "helm_resource", Chart: chart}
	h.Release = r.release(pa, kw, 0)
	repoFlag := r.flags(&h, r.list(arg(pa, kw, -1, "flags")))
	if !chart.Known {
		if strings.Contains(strings.ToLower(exprText(r, chartE)), "weaviate") {
			r.res.Near = append(r.res.Near, shscript.NearMiss{At: chart.Span, Message: "helm_resource: the chart cannot be read: " + chart.Why})
		}
		return
	}
	ev, ok, near := shscript.WeaviateChart("helm_resource", "Tiltfile", chart, repoFlag, r.repos)
	if !ok {
		if near != "" {
			r.res.Near = append(r.res.Near, shscript.NearMiss{At: chart.Span, Message: near})
		}
		return
	}
	h.Evidence = ev
	r.res.Helm = append(r.res.Helm, h)
}

// helmRemote reads helm_remote(chart, repo_url=, repo_name=, version=,
// values=, set=, release_name=).
func (r *reader) helmRemote(c *syntax.CallExpr) {
	pa, kw := args(c)
	chartE := arg(pa, kw, 0, "chart")
	if chartE == nil {
		return
	}
	chart := r.str(chartE, 0)
	if !chart.Known || strings.TrimSpace(chart.Text) != "weaviate" {
		return
	}
	h := shscript.HelmInstall{At: r.fnSpan(c), Verb: "helm_remote", Chart: chart}
	where := fmt.Sprintf("%s:%d", filepath.ToSlash(r.file), chart.Span.Line)
	urlE := arg(pa, kw, -1, "repo_url")
	if urlE == nil {
		r.res.Near = append(r.res.Near, shscript.NearMiss{At: chart.Span, Message: "helm_remote of a chart named weaviate without repo_url: the chart's repository says whether it is the weaviate chart"})
		return
	}
	url := r.str(urlE, 0)
	if !url.Known || !shscript.OfficialRepo(url.Text) {
		r.res.Near = append(r.res.Near, shscript.NearMiss{At: chart.Span, Message: "helm_remote of a chart named weaviate from another repository; name its values in .wvlint.yaml if it deploys Weaviate"})
		return
	}
	h.Evidence = fmt.Sprintf("%s installs chart weaviate from %s with helm_remote", where, url.Text)
	if v := arg(pa, kw, -1, "version"); v != nil {
		val := r.str(v, 0)
		h.Version = &val
	}
	h.Release = r.release(pa, kw, -1)
	for _, f := range r.strList(arg(pa, kw, -1, "values")) {
		h.Files = append(h.Files, r.valuesFile(f))
	}
	for _, s := range r.strList(arg(pa, kw, -1, "set")) {
		r.set(&h, s)
	}
	r.res.Helm = append(r.res.Helm, h)
}

// release is the release name: release_name=, else the name argument (the
// positional one at i; -1 for none), "" when unknown.
func (r *reader) release(pa []syntax.Expr, kw map[string]syntax.Expr, i int) string {
	for _, e := range []syntax.Expr{arg(pa, kw, -1, "release_name"), arg(pa, kw, i, "name")} {
		if e == nil {
			continue
		}
		if v := r.str(e, 0); v.Known {
			return v.Text
		}
	}
	return ""
}

// fnSpan is the position of the call's function name.
func (r *reader) fnSpan(c *syntax.CallExpr) pos.Span {
	start, _ := c.Fn.Span()
	sp := r.span(start)
	sp.EndCol = sp.Col + pos.RuneLen(fnName(c))
	return sp
}

func exprText(r *reader, e syntax.Expr) string {
	start, end := e.Span()
	if start.Line != end.Line {
		return ""
	}
	l := r.lines.Line(int(start.Line))
	rs := []rune(l)
	lo, hi := int(start.Col)-1, int(end.Col)-1
	if lo < 0 || hi > len(rs) || lo > hi {
		return ""
	}
	return string(rs[lo:hi])
}

// valueFlags are the helm flags whose value is the next element when not
// joined with "=".
var valueFlags = map[string]bool{"-f": true, "--values": true, "--set": true, "--set-string": true, "--set-literal": true,
	"--version": true, "--repo": true, "-n": true, "--namespace": true, "--kube-context": true, "--timeout": true}

// flags reads helm_resource's flags: --version, -f/--values, --set and
// --repo, each "--flag=value" or "--flag", "value"; it returns --repo. A
// flag whose value is computed ('--version=' + os.getenv(...)) is known by
// its name, its value unknown with why.
func (r *reader) flags(h *shscript.HelmInstall, fl []syntax.Expr) string {
	repo := ""
	for i := 0; i < len(fl); i++ {
		f := r.str(fl[i], 0)
		text := f.Text
		if !f.Known {
			text = r.lead(fl[i])
		}
		if !strings.HasPrefix(text, "-") {
			continue
		}
		name, _, eq := strings.Cut(text, "=")
		if !strings.HasPrefix(text, "--") && len(text) > 2 {
			name, eq = text[:2], true // -fvalues.yaml
		}
		if !valueFlags[name] {
			continue
		}
		var val srcval.Value
		switch {
		case eq && !f.Known:
			val = f
		case eq:
			skip := pos.RuneLen(name)
			if strings.HasPrefix(text, "--") {
				skip++
			}
			val = f.Slice(skip, pos.RuneLen(text)-skip)
		case !f.Known:
			continue // "--" + "values": not a flag wvlint can place
		case i+1 < len(fl):
			i++
			val = r.str(fl[i], 0)
		default:
			continue
		}
		switch name {
		case "-f", "--values":
			for _, p := range splitComma(val) {
				h.Files = append(h.Files, r.valuesFile(p))
			}
		case "--set", "--set-string", "--set-literal":
			for _, kv := range splitComma(val) {
				r.set(h, kv)
			}
		case "--version":
			v := val
			h.Version = &v
		case "--repo":
			repo = val.Text
		}
	}
	return repo
}

// set reads one key=value of --set or helm_remote's set list.
func (r *reader) set(h *shscript.HelmInstall, kv srcval.Value) {
	if !kv.Known {
		return
	}
	k, _, ok := strings.Cut(kv.Text, "=")
	if !ok {
		return
	}
	n := pos.RuneLen(k) + 1
	h.Sets = append(h.Sets, shscript.KV{Key: strings.TrimSpace(k), Value: kv.Slice(n, pos.RuneLen(kv.Text)-n)})
}

// splitComma splits a known value at commas (helm's list separator).
func splitComma(v srcval.Value) []srcval.Value {
	if !v.Known {
		return []srcval.Value{v}
	}
	var out []srcval.Value
	off := 0
	for _, part := range strings.Split(v.Text, ",") {
		n := pos.RuneLen(part)
		out = append(out, v.Slice(off, n))
		off += n + 1
	}
	return out
}

// valuesFile resolves a values file name, relative to the Tiltfile's
// directory as Tilt does; never outside the tree.
func (r *reader) valuesFile(v srcval.Value) shscript.ValuesFile {
	if !v.Known {
		return shscript.ValuesFile{At: v.Span, Why: "the values file name cannot be read: " + v.Why}
	}
	if strings.Contains(v.Text, "://") {
		return shscript.ValuesFile{At: v.Span, Why: fmt.Sprintf("values from %q are not in the repository", v.Text)}
	}
	p := filepath.ToSlash(v.Text)
	if path.IsAbs(p) || strings.HasPrefix(p, "~") {
		return shscript.ValuesFile{At: v.Span, Why: fmt.Sprintf("values file %q is not in the scanned tree", v.Text)}
	}
	c := path.Clean(path.Join(path.Dir(filepath.ToSlash(r.file)), p))
	if c == ".." || strings.HasPrefix(c, "../") {
		return shscript.ValuesFile{At: v.Span, Why: fmt.Sprintf("values file %q is not in the scanned tree", v.Text)}
	}
	name := filepath.FromSlash(c)
	if _, err := r.fs.ReadFile(name); err != nil {
		return shscript.ValuesFile{At: v.Span, Why: fmt.Sprintf("values file %q is not in the scanned tree", v.Text)}
	}
	return shscript.ValuesFile{Path: name, At: v.Span}
}
