package shscript

import (
	"bytes"
	"fmt"
	"path"
	"strings"

	"github.com/wvlint/wvlint/internal/pos"
	"github.com/wvlint/wvlint/internal/srcval"
)

// logicalLine is a line with its backslash continuations, as byte offsets.
type logicalLine struct {
	from, to int // to excludes the final newline
}

func logicalLines(data []byte) []logicalLine {
	var out []logicalLine
	start := 0
	for i := 0; i <= len(data); i++ {
		if i < len(data) && data[i] != '\n' {
			continue
		}
		if i < len(data) && i > start && data[i-1] == '\\' && (i <= start+1 || data[i-2] != '\\') {
			continue // continued
		}
		out = append(out, logicalLine{start, i})
		start = i + 1
	}
	return out
}

type recipe struct {
	s        *src
	from, to int
	params   map[string]binding // just recipe parameters
}

// makefile reads a Makefile: variables (and the files it includes) first,
// as make does, then the recipes' commands.
func (r *reader) makefile(s *src, depth int) {
	var recipes []recipe
	r.makeVars(s, depth, &recipes)
	for _, rc := range recipes {
		r.commands(rc.s, lex(rc.s.data, rc.from, rc.to, makeRecipe, false), 0)
	}
}

func (r *reader) makeVars(s *src, depth int, recipes *[]recipe) {
	data := s.data
	for _, ll := range logicalLines(data) {
		line := data[ll.from:ll.to]
		if len(line) > 0 && line[0] == '\t' {
			from := ll.from + 1
			for from < ll.to && (data[from] == '@' || data[from] == '-' || data[from] == '+' || data[from] == ' ') {
				from++
			}
			*recipes = append(*recipes, recipe{s: s, from: from, to: ll.to})
			continue
		}
		t := strings.TrimSpace(string(line))
		if t == "" || t[0] == '#' {
			continue
		}
		if inc, ok := cutWord(t, "include", "-include", "sinclude"); ok {
			for _, f := range strings.Fields(inc) {
				r.include(f, depth, recipes)
			}
			continue
		}
		r.makeAssign(s, ll)
	}
}

func cutWord(t string, words ...string) (string, bool) {
	for _, w := range words {
		if rest, ok := strings.CutPrefix(t, w); ok && (rest == "" || rest[0] == ' ' || rest[0] == '\t') {
			return strings.TrimSpace(rest), true
		}
	}
	return "", false
}

func (r *reader) include(f string, depth int, recipes *[]recipe) {
	if strings.Contains(f, "$") {
		return
	}
	name, ok := r.find(f)
	if !ok || depth >= maxSource || r.seen[name] {
		return
	}
	r.seen[name] = true
	data, err := r.fs.ReadFile(name)
	if err != nil {
		return
	}
	r.res.Inputs = append(r.res.Inputs, name)
	r.makeVars(&src{name: name, data: data, lines: pos.NewLines(data)}, depth+1, recipes)
}

// makeAssign reads [export|override] NAME op value.
func (r *reader) makeAssign(s *src, ll logicalLine) {
	data := s.data
	i := ll.from
	skipBlank := func() {
		for i < ll.to && (data[i] == ' ' || data[i] == '\t') {
			i++
		}
	}
	exported := false
	for {
		skipBlank()
		rest := string(data[i:ll.to])
		if w, ok := cutWord(rest, "export"); ok || rest == "export" {
			exported = true
			i = ll.to - len(w)
			if w == "" {
				return
			}
			continue
		}
		if w, ok := cutWord(rest, "override"); ok {
			i = ll.to - len(w)
			continue
		}
		break
	}
	nameFrom := i
	for i < ll.to && (isNameChar(data[i]) || data[i] == '.' || data[i] == '-') {
		i++
	}
	name := string(data[nameFrom:i])
	skipBlank()
	var op string
	for _, o := range []string{"::=", ":::=", ":=", "?=", "+=", "!=", "="} {
		if bytes.HasPrefix(data[i:ll.to], []byte(o)) {
			op = o
			break
		}
	}
	if name == "" || op == "" {
		if exported && name != "" && i == ll.to {
			if b, ok := r.env.make[name]; ok {
				b.exported = true
				r.env.make[name] = b
			}
		}
		return
	}
	i += len(op)
	skipBlank()
	end := ll.to
	if c := bytes.IndexByte(data[i:end], '#'); c >= 0 {
		end = i + c
	}
	for end > i && (data[end-1] == ' ' || data[end-1] == '\t' || data[end-1] == '\r') {
		end--
	}
	// Quotes are part of a make value; a recipe's shell removes them, so
	// the value wvlint keeps is the text between them.
	if end-i >= 2 && (data[i] == '"' || data[i] == '\'') && data[end-1] == data[i] {
		i, end = i+1, end-1
	}
	at := s.span(nameFrom, ll.to)
	var v Value
	switch op {
	case "!=":
		v = srcval.Unknown(s.span(i, end), "the value is a shell command's output")
	case "+=":
		v = srcval.Unknown(s.span(i, end), fmt.Sprintf("%s is appended to with +=", name))
	default:
		v = r.env.evalMakeValue(s, i, end)
	}
	if old, ok := r.env.make[name]; ok {
		if op == "?=" {
			return
		}
		exported = exported || old.exported
	}
	r.env.make[name] = binding{v: v, at: at, exported: exported}
}

// evalMakeValue reads a make variable's value: $(NAME) and ${NAME} refer
// to other variables, $$ is a $.
func (e *env) evalMakeValue(s *src, from, to int) Value {
	var parts []Value
	litFrom := from
	flush := func(at int) {
		if at > litFrom {
			parts = append(parts, srcval.Known(string(s.data[litFrom:at]), s.span(litFrom, at)))
		}
	}
	for i := from; i < to; i++ {
		if s.data[i] != '$' || i+1 >= to {
			continue
		}
		switch o := s.data[i+1]; o {
		case '$':
			flush(i)
			litFrom = i + 1
			i++
		case '(', '{':
			cl := byte(')')
			if o == '{' {
				cl = '}'
			}
			j := matchClose(s.data, i+1, to, o, cl)
			if j < 0 {
				continue
			}
			flush(i)
			inner := string(s.data[i+2 : j])
			if isMakeName(inner) {
				parts = append(parts, e.part(s, part{kind: param, name: inner, scope: makeVar, start: i, end: j + 1}))
			} else {
				parts = append(parts, srcval.Unknown(s.span(i, j+1), fmt.Sprintf("%s is computed by make", shorten(string(s.data[i:j+1])))))
			}
			i = j
			litFrom = j + 1
		}
	}
	flush(to)
	sp := s.span(from, to)
	if len(parts) == 0 {
		return srcval.Known("", sp)
	}
	v := srcval.Concat(sp, parts)
	if v.Known && len(parts) > 1 {
		v.Span = sp
	}
	return v
}

// justfile reads a Justfile: its variables (and .env with set
// dotenv-load), then each recipe's lines with its parameters.
func (r *reader) justfile(s *src) {
	data := s.data
	var recipes []recipe
	var cur *recipe
	exportAll := false
	for _, ll := range logicalLines(data) {
		line := string(data[ll.from:ll.to])
		if line != "" && (line[0] == ' ' || line[0] == '\t') {
			if cur != nil && strings.TrimSpace(line) != "" {
				from := ll.from
				for from < ll.to && (data[from] == ' ' || data[from] == '\t' || data[from] == '@' || data[from] == '-') {
					from++
				}
				recipes = append(recipes, recipe{s: s, from: from, to: ll.to, params: cur.params})
			}
			continue
		}
		cur = nil
		t := strings.TrimSpace(line)
		switch {
		case t == "" || t[0] == '#' || t[0] == '[':
			continue
		case strings.HasPrefix(t, "set "):
			setting := strings.TrimSpace(strings.TrimPrefix(t, "set "))
			if strings.HasPrefix(setting, "dotenv-load") && !strings.HasSuffix(setting, "false") {
				r.dotenv(s)
			}
			if strings.HasPrefix(setting, "export") && !strings.HasSuffix(setting, "false") {
				exportAll = true
			}
			continue
		case strings.Contains(t, ":="):
			r.justAssign(s, ll)
			continue
		}
		// A recipe header: name params...: deps
		if c := strings.IndexByte(line, ':'); c > 0 {
			cur = &recipe{params: r.justParams(s, ll.from, ll.from+c)}
		}
	}
	if exportAll {
		for k, b := range r.env.just {
			b.exported = true
			r.env.just[k] = b
		}
	}
	for _, rc := range recipes {
		saved := r.env.just
		if len(rc.params) > 0 {
			r.env.just = map[string]binding{}
			for k, v := range saved {
				r.env.just[k] = v
			}
			for k, v := range rc.params {
				r.env.just[k] = v
			}
		}
		r.commands(rc.s, lex(rc.s.data, rc.from, rc.to, justRecipe, false), 0)
		r.env.just = saved
	}
}

// dotenv reads the .env beside a Justfile (set dotenv-load) into the
// environment its recipes run with.
func (r *reader) dotenv(s *src) {
	name := path.Join(path.Dir(s.name), ".env")
	if r.seen[name] {
		return
	}
	data, err := r.fs.ReadFile(name)
	if err != nil {
		return
	}
	r.seen[name] = true
	r.res.Inputs = append(r.res.Inputs, name)
	inner := &src{name: name, data: data, lines: pos.NewLines(data)}
	for _, c := range lex(data, 0, len(data), shell, false) {
		for _, w := range c.words {
			if _, _, ok := assignment(w); ok {
				r.assign(inner, w, true)
			}
		}
	}
}

// justAssign reads [export] name := "value" (a string, or another variable).
func (r *reader) justAssign(s *src, ll logicalLine) {
	line := string(s.data[ll.from:ll.to])
	k := strings.Index(line, ":=")
	lhs := strings.Fields(line[:k])
	if len(lhs) == 0 {
		return
	}
	exported := lhs[0] == "export"
	name := lhs[len(lhs)-1]
	if !isIdent(name) {
		return
	}
	from := ll.from + k + 2
	for from < ll.to && (s.data[from] == ' ' || s.data[from] == '\t') {
		from++
	}
	v := r.justExpr(s, from, ll.to)
	r.env.just[name] = binding{v: v, at: s.span(ll.from, ll.to), exported: exported}
}

// justExpr reads a just expression: a quoted string or a variable name.
func (r *reader) justExpr(s *src, from, to int) Value {
	t := strings.TrimRight(string(s.data[from:to]), " \t\r")
	if c := strings.Index(t, " #"); c >= 0 {
		t = strings.TrimRight(t[:c], " \t")
	}
	sp := s.span(from, from+len(t))
	switch {
	case len(t) >= 2 && (t[0] == '"' || t[0] == '\'') && t[len(t)-1] == t[0] && !strings.Contains(t[1:len(t)-1], string(t[0])) && !strings.Contains(t, `\`):
		return srcval.Known(t[1:len(t)-1], s.span(from+1, from+len(t)-1))
	case isIdent(t):
		if b, ok := r.env.just[t]; ok {
			return srcval.Through(b.v, t, sp)
		}
		return srcval.Unknown(sp, fmt.Sprintf("%s is not set in the Justfile", t))
	}
	return srcval.Unknown(sp, "the value is computed when just runs")
}

// justParams reads a recipe header's parameters (name="default").
func (r *reader) justParams(s *src, from, to int) map[string]binding {
	out := map[string]binding{}
	lx := &lexer{src: s.data, i: from, end: to, mode: shell}
	lx.run()
	if len(lx.cmds) == 0 {
		return out
	}
	words := lx.cmds[0].words
	for _, w := range words[min(1, len(words)):] {
		if name, val, ok := assignment(w); ok {
			out[name] = binding{v: r.env.eval(s, val), at: s.span(w.start, wordEnd(w))}
			continue
		}
		t, ok := r.text(s, w)
		t = strings.TrimLeft(t, "+*$")
		if ok && isIdent(t) {
			out[t] = binding{v: srcval.Unknown(s.span(w.start, wordEnd(w)), fmt.Sprintf("recipe parameter %s is given on the just command line", t))}
		}
	}
	return out
}
