// Package dotenv reads the .env files Docker Compose uses for interpolation,
// keeping the position of every value.
package dotenv

import (
	"fmt"
	"strings"

	"github.com/wvlint/wvlint/internal/pos"
)

// Var is one KEY=VALUE line.
type Var struct {
	Name  string
	Value string
	Span  pos.Span // where the value's text starts (after any opening quote)
}

// Env is the variables of one file, later lines winning.
type Env map[string]Var

// Error is a malformed line.
type Error struct {
	Line int
	Msg  string
}

func (e *Error) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// Parse reads src. Malformed lines are returned as errors and skipped; the
// rest is still read.
func Parse(path string, src []byte) (Env, []*Error) {
	env := Env{}
	var errs []*Error
	lines := pos.NewLines(src)
	for n := 1; n <= lines.Count(); n++ {
		text := lines.Line(n)
		trimmed := strings.TrimLeft(text, " \t")
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		indent := pos.RuneLen(text) - pos.RuneLen(trimmed)
		if rest, ok := strings.CutPrefix(trimmed, "export "); ok {
			indent += 7
			trimmed = strings.TrimLeft(rest, " ")
		}
		eq := strings.IndexByte(trimmed, '=')
		if eq <= 0 {
			errs = append(errs, &Error{Line: n, Msg: fmt.Sprintf("expected KEY=VALUE, got %q", trimmed)})
			continue
		}
		name := strings.TrimSpace(trimmed[:eq])
		if strings.ContainsAny(name, " \t") {
			errs = append(errs, &Error{Line: n, Msg: fmt.Sprintf("invalid variable name %q", name)})
			continue
		}
		raw := trimmed[eq+1:]
		lead := pos.RuneLen(raw) - pos.RuneLen(strings.TrimLeft(raw, " \t"))
		raw = strings.TrimLeft(raw, " \t")
		col := indent + pos.RuneLen(trimmed[:eq+1]) + lead + 1
		value := raw
		switch {
		case strings.HasPrefix(raw, `"`) || strings.HasPrefix(raw, `'`):
			q := raw[:1]
			end := strings.Index(raw[1:], q)
			if end < 0 {
				errs = append(errs, &Error{Line: n, Msg: fmt.Sprintf("unterminated quote in value of %s", name)})
				continue
			}
			value = raw[1 : 1+end]
			col++
		default:
			if i := strings.Index(value, " #"); i >= 0 {
				value = value[:i]
			}
			value = strings.TrimRight(value, " \t")
		}
		env[name] = Var{Name: name, Value: value, Span: pos.Span{File: path, Line: n, Col: col, EndCol: col + pos.RuneLen(value)}}
	}
	return env, errs
}
