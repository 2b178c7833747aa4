package fix

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wvlint/wvlint/internal/pos"
)

// FuzzApply: an edit at any span of any text either is refused or changes
// exactly the bytes of the span; nothing around it moves.
func FuzzApply(f *testing.F) {
	f.Add([]byte("\ufefftag: 1.27.0\r\nx: é\n"), 1, 6, 12, "1.27.27")
	f.Add([]byte("V=1.27.0"), 1, 3, 9, "1.27.27")
	f.Add([]byte("a\nb\r\n\n"), 3, 1, 1, "x")
	f.Fuzz(func(t *testing.T, src []byte, line, col, end int, repl string) {
		e := Edit{Span: pos.Span{File: "f", Line: line, Col: col, EndCol: end}, New: repl}
		out, err := Apply(src, []Edit{e})
		if err != nil {
			return
		}
		from, to, err := Offsets(src, e.Span)
		if err != nil {
			t.Fatalf("Apply accepted what Offsets refuses: %v", err)
		}
		want := append(append(append([]byte{}, src[:from]...), repl...), src[to:]...)
		if !bytes.Equal(out, want) {
			t.Fatalf("Apply = %q, want %q", out, want)
		}
		// A lone CR is text (as pos counts lines); CRLF and LF end a line.
		if bytes.IndexByte(src[from:to], '\n') >= 0 || to > from && src[to-1] == '\r' && to < len(src) && src[to] == '\n' {
			t.Fatalf("a span crossed a line end: %q", src[from:to])
		}
		if utf8.Valid(src) {
			// The span's columns are what pos counts for its offsets.
			l, c := pos.NewLines(src).Pos(from)
			if l != line || c != col {
				t.Fatalf("offset %d is %d:%d, span says %d:%d", from, l, c, line, col)
			}
		}
	})
}

// FuzzDiff: the diff of any two texts, applied by a strict reader of the
// unified format, gives the new text.
func FuzzDiff(f *testing.F) {
	f.Add([]byte("a\nb\nc\n"), []byte("a\nB\nc\n"))
	f.Add([]byte("a\r\nb"), []byte("a\r\nc"))
	f.Add([]byte(""), []byte("x\n"))
	f.Add([]byte("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n"), []byte("1\nX\n3\n4\n5\n6\n7\n8\n9\n10\nY\n12\n"))
	f.Fuzz(func(t *testing.T, old, new []byte) {
		var d bytes.Buffer
		if err := Diff(&d, "f", old, new); err != nil {
			t.Fatal(err)
		}
		got, err := applyUnified(old, d.Bytes())
		if err != nil {
			t.Fatalf("%v\ndiff:\n%s", err, d.Bytes())
		}
		if !bytes.Equal(got, new) {
			t.Fatalf("applied diff gives %q, want %q\ndiff:\n%s", got, new, d.Bytes())
		}
	})
}

// applyUnified applies a one-file unified diff strictly: context and
// removed lines must match, hunk counts must add up.
func applyUnified(old, diff []byte) ([]byte, error) {
	if len(diff) == 0 {
		return old, nil
	}
	a := splitLines(old)
	lines := splitLines(diff)
	if len(lines) < 2 || !bytes.HasPrefix(lines[0], []byte("--- ")) || !bytes.HasPrefix(lines[1], []byte("+++ ")) {
		return nil, errorf("no header")
	}
	var out [][]byte
	next := 0 // index into a
	i := 2
	for i < len(lines) {
		h := string(bytes.TrimRight(lines[i], "\n"))
		var as, an, bs, bn int
		if !strings.HasPrefix(h, "@@ -") {
			return nil, errorf("line %d: want a hunk header, got %q", i+1, h)
		}
		f := strings.Fields(h)
		as, an = rng(f[1][1:])
		bs, bn = rng(f[2][1:])
		_ = bs
		start := as - 1
		if an == 0 {
			start = as
		}
		if start < next {
			return nil, errorf("hunk %q overlaps", h)
		}
		out = append(out, a[next:start]...)
		next = start
		i++
		gotA, gotB := 0, 0
		for i < len(lines) && !bytes.HasPrefix(lines[i], []byte("@@ ")) {
			l := lines[i]
			body := l[1:]
			if i+1 < len(lines) && bytes.Equal(lines[i+1], []byte("\\ No newline at end of file\n")) {
				body = bytes.TrimSuffix(body, []byte("\n"))
				i++
			}
			switch l[0] {
			case ' ', '-':
				if next >= len(a) || !bytes.Equal(a[next], body) {
					return nil, errorf("line %d does not match", next+1)
				}
				next++
				gotA++
				if l[0] == ' ' {
					out = append(out, body)
					gotB++
				}
			case '+':
				out = append(out, body)
				gotB++
			default:
				return nil, errorf("bad line %q", l)
			}
			i++
		}
		if gotA != an || gotB != bn {
			return nil, errorf("hunk %q counts %d,%d lines", h, gotA, gotB)
		}
	}
	out = append(out, a[next:]...)
	return bytes.Join(out, nil), nil
}

func rng(s string) (start, n int) {
	st, cnt, ok := strings.Cut(s, ",")
	start, _ = strconv.Atoi(st)
	n = 1
	if ok {
		n, _ = strconv.Atoi(cnt)
	}
	return start, n
}

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }
