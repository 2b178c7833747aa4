package shscript

import (
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/wvlint/wvlint/internal/pos"
	"github.com/wvlint/wvlint/internal/srcval"
)

// Value is a word's value: its text and where each run of it is written,
// or why it cannot be read.
type Value = srcval.Value

// FS is where scripts and the files they source are read.
type FS interface {
	ReadFile(name string) ([]byte, error)
}

// Problem is a file wvlint could not read, at a line when known.
type Problem struct {
	File    string
	Line    int
	Message string
}

// src is one file being read.
type src struct {
	name  string
	data  []byte
	lines *pos.Lines
}

func (s *src) span(from, to int) pos.Span {
	line, col := s.lines.Pos(from)
	sp := pos.Span{File: s.name, Line: line, Col: col}
	l2, end := s.lines.Pos(to)
	if l2 == line {
		sp.EndCol = end
	} else {
		sp.EndCol = pos.RuneLen(s.lines.Line(line)) + 1
	}
	return sp
}

// binding is a variable's value and where it was assigned.
type binding struct {
	v        Value
	at       pos.Span // the assignment
	exported bool
}

// env is the variables a line sees, by scope.
type env struct {
	shell map[string]binding
	make  map[string]binding
	just  map[string]binding
	// dir is the script's directory (relative to the scan root), what
	// $(dirname "$0") stands for.
	dir string
}

func newEnv(dir string) *env {
	return &env{shell: map[string]binding{}, make: map[string]binding{}, just: map[string]binding{}, dir: dir}
}

// eval reads a word written in s.
func (e *env) eval(s *src, w Word) Value {
	var parts []Value
	for _, p := range w.parts {
		parts = append(parts, e.part(s, p))
	}
	sp := s.span(w.start, wordEnd(w))
	if len(parts) == 0 {
		return srcval.Known("", sp)
	}
	v := srcval.Concat(sp, parts)
	if v.Known {
		v.Span = sp
	}
	return v
}

func wordEnd(w Word) int {
	if len(w.parts) == 0 {
		return w.start
	}
	return w.parts[len(w.parts)-1].end
}

var (
	dirnameRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^\$\(\s*(?:cd\s+)?"?\$\(\s*dirname\s+(?:--\s+)?"?\$(?:0|\{0\}|\{BASH_SOURCE(?:\[0\])?\}|BASH_SOURCE)"?\s*\)"?(/\.\.)?\s*(?:(?:&&|;)\s*pwd(?:\s+-P)?\s*)?\)$`)
	})
	toplevelRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\$\(\s*git\s+rev-parse\s+--show-toplevel\s*\)$`) })
)

func (e *env) part(s *src, p part) Value {
	sp := s.span(p.start, p.end)
	switch p.kind {
	case lit:
		return srcval.Known(p.text, s.span(p.off, p.off+len(p.text)))
	case opaque:
		// The idioms for the script's own directory and the repository
		// root are paths wvlint can place.
		if m := dirnameRE().FindStringSubmatch(p.text); m != nil {
			d := e.dir
			if m[1] != "" {
				d = path.Dir(d)
			}
			return Value{Known: true, Text: d, Span: sp}
		}
		if toplevelRE().MatchString(p.text) {
			return Value{Known: true, Text: ".", Span: sp}
		}
		return srcval.Unknown(sp, fmt.Sprintf("%s is computed when the script runs", shorten(p.text)))
	}
	var b binding
	var set bool
	var ref string
	switch p.scope {
	case makeVar:
		b, set = e.make[p.name]
		ref = "$(" + p.name + ")"
	case justVar:
		b, set = e.just[p.name]
		ref = "{{" + p.name + "}}"
	default:
		b, set = e.shell[p.name]
		ref = "$" + p.name
		if !set {
			// Exported make and just variables are in a recipe's environment.
			if mb, ok := e.make[p.name]; ok && mb.exported {
				b, set = mb, true
			} else if jb, ok := e.just[p.name]; ok && jb.exported {
				b, set = jb, true
			}
		}
		if p.name == "0" {
			return srcval.Unknown(sp, "$0 is the script's own path")
		}
	}
	if !set && p.scope == shellVar && isPositional(p.name) {
		// An argument is pinned by whoever runs the script; its default,
		// by the script, for a run without it.
		if p.arg != nil && (p.op == ":-" || p.op == "-" || p.op == ":=" || p.op == "=") {
			return srcval.Through(e.eval(s, *p.arg), "the default of "+ref, sp)
		}
		v := srcval.Unknown(sp, fmt.Sprintf("%s is an argument of the script: set by whoever runs it", ref))
		v.External = true
		return v
	}
	empty := !set || (b.v.Known && b.v.Text == "")
	useArg := func() Value {
		if p.arg == nil {
			return srcval.Known("", sp)
		}
		return e.eval(s, *p.arg)
	}
	switch p.op {
	case ":-", ":=":
		if empty {
			return useArg()
		}
	case "-", "=":
		if !set {
			return useArg()
		}
	case ":+":
		if empty {
			return srcval.Known("", sp)
		}
		return useArg()
	case "+":
		if !set {
			return srcval.Known("", sp)
		}
		return useArg()
	}
	if !set {
		switch {
		case isPositional(p.name):
			return srcval.Unknown(sp, fmt.Sprintf("%s is an argument of the script: set by whoever runs it", ref))
		case len(p.name) == 1 && strings.ContainsAny(p.name, "?$!-"):
			return srcval.Unknown(sp, fmt.Sprintf("%s is set when the script runs", ref))
		case p.scope == makeVar:
			return srcval.Unknown(sp, fmt.Sprintf("%s is not set in the Makefile or the files it includes", p.name))
		case p.scope == justVar:
			return srcval.Unknown(sp, fmt.Sprintf("%s is not set in the Justfile", p.name))
		}
		return srcval.Unknown(sp, fmt.Sprintf("%s is not set in the script or the files it sources", p.name))
	}
	return srcval.Through(b.v, ref, sp)
}

func shorten(s string) string {
	if len(s) > 40 {
		return s[:37] + "..."
	}
	return s
}

// assignment splits NAME=value: the name and the value word.
func assignment(w Word) (string, Word, bool) {
	if len(w.parts) == 0 || w.parts[0].kind != lit {
		return "", Word{}, false
	}
	first := w.parts[0]
	// The name must be written unquoted: its text starts where the word does.
	if first.off != w.start {
		return "", Word{}, false
	}
	eq := strings.IndexByte(first.text, '=')
	if eq <= 0 || !isIdentShell(first.text[:eq]) {
		return "", Word{}, false
	}
	name := first.text[:eq]
	if strings.HasSuffix(name, "+") {
		return "", Word{}, false
	}
	rest := Word{start: first.off + eq + 1}
	if eq+1 < len(first.text) {
		rest.parts = append(rest.parts, part{kind: lit, text: first.text[eq+1:], off: first.off + eq + 1, start: first.off + eq + 1, end: first.end})
	}
	rest.parts = append(rest.parts, w.parts[1:]...)
	return name, rest, true
}

func isIdentShell(s string) bool {
	if s == "" || !isNameStart(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isNameChar(s[i]) {
			return false
		}
	}
	return true
}

// inTree resolves a path a script names (relative to the scan root) and
// refuses one that leaves the tree: wvlint follows no path out of it.
func inTree(p string) (string, bool) {
	if p == "" || path.IsAbs(filepath.ToSlash(p)) || strings.HasPrefix(p, "~") {
		return "", false
	}
	c := filepath.Clean(filepath.FromSlash(p))
	if c == ".." || strings.HasPrefix(c, ".."+string(filepath.Separator)) {
		return "", false
	}
	return c, true
}

// isPositional reports whether a parameter name is an argument ($1, $@).
func isPositional(name string) bool {
	return name != "" && (name[0] >= '0' && name[0] <= '9' || name == "@" || name == "*" || name == "#")
}
