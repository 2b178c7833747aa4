// Package pos holds the source positions every later stage passes along.
//
// Lines and columns are 1-based; columns count Unicode code points, which is
// what SARIF's columnKind "unicodeCodePoints" and yaml.v3 use. EndCol is
// exclusive: the column just after the last character of the span.
package pos

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// Span is a run of text on one line of one file.
type Span struct {
	File   string // path as the user gave it, slash or OS separators
	Line   int    // 1-based
	Col    int    // 1-based, code points
	EndCol int    // exclusive, code points; 0 when unknown
}

// String formats the span as file:line:col.
func (s Span) String() string { return fmt.Sprintf("%s:%d:%d", s.File, s.Line, s.Col) }

// Valid reports whether the span names a line.
func (s Span) Valid() bool { return s.Line > 0 }

// RuneLen is the number of code points in s.
func RuneLen(s string) int { return utf8.RuneCountInString(s) }

// Lines indexes the start offsets of each line of a source, so that a byte
// offset can be turned into a line and a code-point column.
type Lines struct {
	src    []byte
	starts []int
}

// NewLines indexes src. A leading UTF-8 byte order mark does not count as a
// column; CRLF and LF both end a line.
func NewLines(src []byte) *Lines {
	// Counted first: a rendered manifest of megabytes has a hundred
	// thousand lines, and growing the index by appends would allocate it
	// twice over.
	starts := make([]int, 1, bytes.Count(src, []byte{'\n'})+1)
	for i := 0; ; {
		j := bytes.IndexByte(src[i:], '\n')
		if j < 0 {
			break
		}
		i += j + 1
		starts = append(starts, i)
	}
	return &Lines{src: src, starts: starts}
}

// Count is the number of lines.
func (l *Lines) Count() int { return len(l.starts) }

// Line returns the text of 1-based line n without its line ending (and
// without a BOM on line 1).
func (l *Lines) Line(n int) string {
	if n < 1 || n > len(l.starts) {
		return ""
	}
	start := l.starts[n-1]
	end := len(l.src)
	if n < len(l.starts) {
		end = l.starts[n] - 1
	}
	if end > start && l.src[end-1] == '\r' {
		end--
	}
	s := string(l.src[start:end])
	if n == 1 {
		s = trimBOM(s)
	}
	return s
}

// Bytes returns the source between two byte offsets.
func (l *Lines) Bytes(from, to int) []byte {
	from, to = max(0, min(from, len(l.src))), max(0, min(to, len(l.src)))
	if to < from {
		return nil
	}
	return l.src[from:to]
}

// Pos converts a byte offset into a 1-based line and code-point column.
func (l *Lines) Pos(off int) (line, col int) {
	lo, hi := 0, len(l.starts)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if l.starts[mid] <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	start := l.starts[lo]
	if off > len(l.src) {
		off = len(l.src)
	}
	seg := string(l.src[start:off])
	if lo == 0 {
		seg = trimBOM(seg)
	}
	return lo + 1, utf8.RuneCountInString(seg) + 1
}

func trimBOM(s string) string {
	if len(s) >= 3 && s[:3] == "\ufeff" {
		return s[3:]
	}
	return s
}
