package fix

import (
	"bytes"
	"fmt"
	"io"
	"strings"
)

// context is the number of unchanged lines around each change, as diff -u.
const context = 3

// Diff writes the unified diff that turns old into new, with "a/name" and
// "b/name" headers for `patch -p1`. Lines keep their endings (CRLF stays
// CRLF); a last line without one is marked "\ No newline at end of file".
// It writes nothing when the contents are equal.
func Diff(w io.Writer, name string, old, new []byte) error {
	if bytes.Equal(old, new) {
		return nil
	}
	a, b := splitLines(old), splitLines(new)
	ops := lineOps(a, b)
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "--- %s\n+++ %s\n", header("a/"+name), header("b/"+name))
	for i := 0; i < len(ops); {
		if ops[i].kind == ' ' {
			i++
			continue
		}
		// A hunk: from context lines before the change to context lines
		// after the last change that is within 2*context of the next.
		start := max(0, i-context)
		end := i
		for j := i; j < len(ops); j++ {
			if ops[j].kind != ' ' {
				end = j + 1
				continue
			}
			if j-end >= 2*context {
				break
			}
		}
		end = min(len(ops), end+context)
		writeHunk(&buf, ops[start:end], a, b)
		i = end
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// header writes a file name as GNU patch and git read it: quoted in C
// style when it holds a quote, a backslash or a control character, with a
// tab after it when it holds a space (patch reads a name up to a tab).
func header(name string) string {
	if strings.ContainsFunc(name, func(r rune) bool { return r < ' ' || r == '"' || r == '\\' || r == 0x7f }) {
		var b strings.Builder
		b.WriteByte('"')
		for i := 0; i < len(name); i++ {
			switch c := name[i]; {
			case c == '"' || c == '\\':
				b.WriteByte('\\')
				b.WriteByte(c)
			case c == '\t':
				b.WriteString(`\t`)
			case c == '\n':
				b.WriteString(`\n`)
			case c < ' ' || c == 0x7f:
				fmt.Fprintf(&b, `\%03o`, c)
			default:
				b.WriteByte(c)
			}
		}
		b.WriteByte('"')
		return b.String()
	}
	if strings.Contains(name, " ") {
		return name + "\t"
	}
	return name
}

type op struct {
	kind byte // ' ', '-', '+'
	a, b int  // 0-based line indexes: a for ' ' and '-', b for ' ' and '+'
}

// lineOps lines up a and b: the common lines at both ends are context; in
// between, when both sides have the same number of lines, lines are paired
// one to one (wvlint's edits never add or remove lines), else all of a's
// middle is removed and all of b's added. Always a correct diff, minimal
// for same-length changes.
func lineOps(a, b [][]byte) []op {
	p := 0
	for p < len(a) && p < len(b) && bytes.Equal(a[p], b[p]) {
		p++
	}
	s := 0
	for s < len(a)-p && s < len(b)-p && bytes.Equal(a[len(a)-1-s], b[len(b)-1-s]) {
		s++
	}
	var ops []op
	for i := 0; i < p; i++ {
		ops = append(ops, op{' ', i, i})
	}
	am, bm := len(a)-s, len(b)-s
	if am-p == bm-p {
		for i := p; i < am; {
			if bytes.Equal(a[i], b[i]) {
				ops = append(ops, op{' ', i, i})
				i++
				continue
			}
			j := i
			for j < am && !bytes.Equal(a[j], b[j]) {
				j++
			}
			for k := i; k < j; k++ {
				ops = append(ops, op{'-', k, k})
			}
			for k := i; k < j; k++ {
				ops = append(ops, op{'+', k, k})
			}
			i = j
		}
	} else {
		for i := p; i < am; i++ {
			ops = append(ops, op{'-', i, 0})
		}
		for i := p; i < bm; i++ {
			ops = append(ops, op{'+', 0, i})
		}
	}
	for i := 0; i < s; i++ {
		ops = append(ops, op{' ', am + i, bm + i})
	}
	return ops
}

func writeHunk(w *bytes.Buffer, ops []op, a, b [][]byte) {
	aStart, bStart, aN, bN := -1, -1, 0, 0
	for _, o := range ops {
		if o.kind != '+' {
			if aStart < 0 {
				aStart = o.a
			}
			aN++
		}
		if o.kind != '-' {
			if bStart < 0 {
				bStart = o.b
			}
			bN++
		}
	}
	fmt.Fprintf(w, "@@ -%s +%s @@\n", hunkRange(aStart, aN), hunkRange(bStart, bN))
	for _, o := range ops {
		var line []byte
		if o.kind == '-' {
			line = a[o.a]
		} else {
			line = b[o.b]
		}
		w.WriteByte(o.kind)
		w.Write(line)
		if !bytes.HasSuffix(line, []byte("\n")) {
			w.WriteString("\n\\ No newline at end of file\n")
		}
	}
}

// hunkRange is "start,count" with a 1-based start; an empty side (only
// when that file is empty) is "0,0", as diff -u writes it.
func hunkRange(start, n int) string {
	switch n {
	case 0:
		return "0,0"
	case 1:
		return fmt.Sprintf("%d", start+1)
	}
	return fmt.Sprintf("%d,%d", start+1, n)
}

// splitLines splits after each '\n', keeping it (and any '\r' before it).
func splitLines(s []byte) [][]byte {
	var out [][]byte
	for len(s) > 0 {
		i := bytes.IndexByte(s, '\n')
		if i < 0 {
			out = append(out, s)
			break
		}
		out = append(out, s[:i+1])
		s = s[i+1:]
	}
	return out
}
