// Package interp expands Docker Compose variable interpolation (${VAR},
// ${VAR:-default}, ${VAR-default}, ${VAR:?msg}, ${VAR?msg}, ${VAR:+alt},
// ${VAR+alt}, $VAR and $$) and remembers where each character of the result
// came from, so a finding can point at the .env line or the default text.
package interp

import (
	"fmt"
	"strings"

	"github.com/wvlint/wvlint/internal/pos"
)

// Value is a variable's value and where it is written.
type Value struct {
	Text string
	Span pos.Span // start of the value text; zero when it has no file position
}

// Lookup finds a variable.
type Lookup func(name string) (Value, bool)

// Segment is a run of the result with one origin.
type Segment struct {
	Out    int    // code-point offset in the result
	Len    int    // code points
	Var    string // variable name when the text came from a variable's value
	SrcOff int    // code-point offset in the source string (literal, default, or the ${...} itself)
	From   pos.Span
}

// Result is an expanded string.
type Result struct {
	Text     string
	Segments []Segment
	Unset    []string // variables used with no value and no default
	Errors   []string // ${VAR:?msg} with VAR unset, or malformed syntax
}

// Origin says where the code point at offset off of the result was written:
// a variable's value (VarName set, Span its position) or the source string
// at SrcOff. ok is false past the end.
func (r Result) Origin(off int) (seg Segment, delta int, ok bool) {
	for _, s := range r.Segments {
		if off >= s.Out && off < s.Out+s.Len {
			return s, off - s.Out, true
		}
	}
	return Segment{}, 0, false
}

// Expand expands s.
func Expand(s string, look Lookup) Result {
	var r Result
	var b strings.Builder
	out := 0
	add := func(text string, seg Segment) {
		if text == "" {
			return
		}
		seg.Out, seg.Len = out, pos.RuneLen(text)
		r.Segments = append(r.Segments, seg)
		b.WriteString(text)
		out += seg.Len
	}
	expand(s, 0, 0, look, &r, add)
	r.Text = b.String()
	return r
}

// maxDepth bounds how deep defaults nest (${A:-${B:-${C}}} is 3): each
// level rescans the rest of the string, and a hostile file nesting
// thousands deep would otherwise cost quadratic time.
const maxDepth = 16

func expand(s string, base, depth int, look Lookup, r *Result, add func(string, Segment)) {
	if depth > maxDepth {
		r.Errors = append(r.Errors, fmt.Sprintf("interpolation nested more than %d deep at offset %d; not expanded", maxDepth, base))
		return
	}
	rs := []rune(s)
	lit := 0
	flush := func(i int) {
		if i > lit {
			add(string(rs[lit:i]), Segment{SrcOff: base + lit})
		}
	}
	for i := 0; i < len(rs); i++ {
		if rs[i] != '$' || i+1 >= len(rs) {
			continue
		}
		switch c := rs[i+1]; {
		case c == '$':
			flush(i)
			add("$", Segment{SrcOff: base + i})
			i++
			lit = i + 1
		case c == '{':
			end := matchBrace(rs, i+1)
			if end < 0 {
				flush(i)
				r.Errors = append(r.Errors, fmt.Sprintf("unterminated ${ at offset %d", base+i))
				return
			}
			flush(i)
			braced(rs[i+2:end], base+i, base+i+2, depth, look, r, add)
			i = end
			lit = end + 1
		case isNameStart(c):
			j := i + 1
			for j < len(rs) && isName(rs[j]) {
				j++
			}
			flush(i)
			name := string(rs[i+1 : j])
			if v, ok := look(name); ok {
				add(v.Text, Segment{SrcOff: base + i, Var: name, From: v.Span})
			} else {
				r.Unset = append(r.Unset, name)
			}
			i = j - 1
			lit = j
		}
	}
	flush(len(rs))
}

// braced handles the inside of ${...}; at is the offset of "$", inner of
// the first rune after "{".
func braced(in []rune, at, inner, depth int, look Lookup, r *Result, add func(string, Segment)) {
	n := 0
	for n < len(in) && isName(in[n]) {
		n++
	}
	name, rest := string(in[:n]), string(in[n:])
	if name == "" || !isNameStart(in[0]) {
		r.Errors = append(r.Errors, fmt.Sprintf("invalid interpolation ${%s}", string(in)))
		return
	}
	v, set := look(name)
	op, arg := "", ""
	for _, o := range []string{":-", ":?", ":+", "-", "?", "+"} {
		if strings.HasPrefix(rest, o) {
			op, arg = o, rest[len(o):]
			break
		}
	}
	if rest != "" && op == "" {
		r.Errors = append(r.Errors, fmt.Sprintf("invalid interpolation ${%s}", string(in)))
		return
	}
	empty := !set || (strings.HasPrefix(op, ":") && v.Text == "")
	argOff := inner + n + pos.RuneLen(op)
	switch op {
	case "":
		if set {
			add(v.Text, Segment{SrcOff: at, Var: name, From: v.Span})
		} else {
			r.Unset = append(r.Unset, name)
		}
	case ":-", "-":
		if (op == ":-" && empty) || (op == "-" && !set) {
			expand(arg, argOff, depth+1, look, r, add)
		} else {
			add(v.Text, Segment{SrcOff: at, Var: name, From: v.Span})
		}
	case ":?", "?":
		if (op == ":?" && empty) || (op == "?" && !set) {
			msg := arg
			if msg == "" {
				msg = "required"
			}
			r.Errors = append(r.Errors, fmt.Sprintf("required variable %s is not set: %s", name, msg))
			return
		}
		add(v.Text, Segment{SrcOff: at, Var: name, From: v.Span})
	case ":+", "+":
		if (op == ":+" && !empty) || (op == "+" && set) {
			expand(arg, argOff, depth+1, look, r, add)
		}
	}
}

func matchBrace(rs []rune, open int) int {
	depth := 0
	for i := open; i < len(rs); i++ {
		switch rs[i] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

func isNameStart(c rune) bool { return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }
func isName(c rune) bool      { return isNameStart(c) || (c >= '0' && c <= '9') }
