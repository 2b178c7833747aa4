// Package fix applies text edits to file contents byte-exactly, writes the
// result atomically, and renders it as a unified diff that `patch -p1`
// applies.
//
// An edit replaces the text of a pos.Span (1-based line, code-point columns,
// exclusive end) with new text. Everything outside the span is kept byte for
// byte: quotes, comments, indentation, the rest of the line, CRLF line
// endings and a UTF-8 byte order mark. Edits that overlap with different
// text are refused with the reason, never applied in some order.
package fix

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/wvlint/wvlint/internal/pos"
)

// Edit replaces the text at Span with New.
type Edit struct {
	Span pos.Span // on one line; EndCol exclusive, Col == EndCol inserts
	New  string   // may add lines after Old, with the file's line endings
	// Old, when not empty, is the text the span must hold: the edit is
	// refused when the file says something else there (it changed since it
	// was read, or the span is not where the version text is).
	Old string
}

// Error is an edit that cannot be applied, and why.
type Error struct {
	Span   pos.Span
	Reason string
}

func (e *Error) Error() string { return e.Span.String() + ": " + e.Reason }

// byteRange is an edit located in the source.
type byteRange struct {
	from, to int
	edit     Edit
}

// Offsets converts a span into byte offsets [from, to) of src. A BOM at
// the start of the file is not a column; the span must end before the
// line's end (LF or CRLF).
func Offsets(src []byte, sp pos.Span) (from, to int, err error) {
	if sp.Line < 1 {
		return 0, 0, &Error{sp, "no line"}
	}
	if sp.Col < 1 || sp.EndCol < sp.Col {
		return 0, 0, &Error{sp, fmt.Sprintf("columns %d..%d do not make a span", sp.Col, sp.EndCol)}
	}
	start := 0
	for line := 1; line < sp.Line; line++ {
		i := bytes.IndexByte(src[start:], '\n')
		if i < 0 {
			return 0, 0, &Error{sp, fmt.Sprintf("the file has only %d lines", line)}
		}
		start += i + 1
	}
	end := len(src)
	if i := bytes.IndexByte(src[start:], '\n'); i >= 0 {
		end = start + i
	}
	if end > start && src[end-1] == '\r' {
		end--
	}
	if sp.Line == 1 && bytes.HasPrefix(src[start:end], []byte("\ufeff")) {
		start += 3
	}
	// Walk code points to the columns.
	off, col := start, 1
	for col < sp.Col && off < end {
		_, n := utf8.DecodeRune(src[off:end])
		off += n
		col++
	}
	if col != sp.Col {
		return 0, 0, &Error{sp, fmt.Sprintf("column %d is past the end of line %d", sp.Col, sp.Line)}
	}
	from = off
	for col < sp.EndCol && off < end {
		_, n := utf8.DecodeRune(src[off:end])
		off += n
		col++
	}
	if col != sp.EndCol {
		return 0, 0, &Error{sp, fmt.Sprintf("column %d is past the end of line %d", sp.EndCol, sp.Line)}
	}
	return from, off, nil
}

// Apply returns src with the edits made. Identical edits (the same span and
// text, as when several deployments take their tag from one .env line) are
// made once. It changes nothing and returns an error when any edit cannot be
// made: a span outside the file, text at the span other than Old, new text
// with a line break (except lines added after the checked text Old, which
// the new text keeps at its start), or two edits that overlap with
// different text.
func Apply(src []byte, edits []Edit) ([]byte, error) {
	rs := make([]byteRange, 0, len(edits))
	for _, e := range edits {
		// Lines are added only after a line whose text is checked and
		// kept: the span is that text, the new text starts with it.
		if strings.ContainsAny(e.New, "\r\n") && (e.Old == "" || !strings.HasPrefix(e.New, e.Old)) {
			return nil, &Error{e.Span, "the new text has a line break"}
		}
		from, to, err := Offsets(src, e.Span)
		if err != nil {
			return nil, err
		}
		if e.Old != "" && string(src[from:to]) != e.Old {
			return nil, &Error{e.Span, fmt.Sprintf("expected %q here, found %q: the file changed since it was read", e.Old, src[from:to])}
		}
		rs = append(rs, byteRange{from, to, e})
	}
	sort.SliceStable(rs, func(i, j int) bool {
		if rs[i].from != rs[j].from {
			return rs[i].from < rs[j].from
		}
		return rs[i].to < rs[j].to
	})
	out := rs[:0]
	for _, r := range rs {
		if n := len(out); n > 0 {
			prev := out[n-1]
			if prev.from == r.from && prev.to == r.to && prev.edit.New == r.edit.New {
				continue // the same edit twice
			}
			if r.from < prev.to || (r.from == prev.from && r.to == prev.to) {
				return nil, &Error{r.edit.Span, fmt.Sprintf("conflicting edits: %q here and %q at %s overlap", r.edit.New, prev.edit.New, prev.edit.Span)}
			}
		}
		out = append(out, r)
	}
	var b bytes.Buffer
	b.Grow(len(src) + 16*len(out))
	last := 0
	for _, r := range out {
		b.Write(src[last:r.from])
		b.WriteString(r.edit.New)
		last = r.to
	}
	b.Write(src[last:])
	return b.Bytes(), nil
}

// Check reports why edit e cannot be made to src, or nil.
func Check(src []byte, e Edit) error {
	_, err := Apply(src, []Edit{e})
	return err
}
