package format

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/wvlint/wvlint/internal/diag"
)

// A file name or message can hold anything a file system or a file holds:
// terminal escapes, newlines, bidi overrides, invalid UTF-8. wvlint prints
// none of them raw. Text quotes a name the way Go's %q does when it holds
// one and escapes them inside messages; the GitHub format percent-encodes
// them as workflow commands encode % and newlines; JSON and SARIF escape
// them as \uXXXX.

// unsafeRune reports whether r may not be printed raw: a control or format
// character (C0, DEL, C1, bidi controls), or what Go does not call printable.
func unsafeRune(r rune) bool { return r != ' ' && !strconv.IsPrint(r) }

// clean reports whether s can be printed as it is.
func clean(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unsafeRune(r) {
			return false
		}
	}
	return true
}

// SafeName is a file name for text output: as it is, or quoted as Go's %q
// quotes it when it holds a character that must not reach a terminal raw.
func SafeName(s string) string {
	if clean(s) {
		return s
	}
	return strconv.Quote(s)
}

// SafeText is a message for text output with every unsafe character
// written as a Go escape (\x1b, \n, \u202e) and invalid UTF-8 as \xNN.
func SafeText(s string) string {
	if clean(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unsafeRune(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// safeExcerpt is a source line for an excerpt: each unsafe character
// becomes one replacement character (a tab one space), so that the caret
// below stays under the same code point.
func safeExcerpt(s string) string {
	if clean(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '\t':
			b.WriteByte(' ')
		case r == utf8.RuneError && n == 1, unsafeRune(r):
			b.WriteRune(utf8.RuneError)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// where is diag.Where with the file name made safe.
func where(d diag.Diagnostic) string { return Where(d.Span.File, d.Span.Line, d.Span.Col) }

// Where is "file", "file:line" or "file:line:col" (line or col 0: not
// known) with the file name made safe (SafeName).
func Where(file string, line, col int) string {
	name := SafeName(file)
	switch {
	case line <= 0:
		return name
	case col <= 0:
		return name + ":" + strconv.Itoa(line)
	}
	return fmt.Sprintf("%s:%d:%d", name, line, col)
}

// percentUnsafe percent-encodes the bytes of every unsafe character (and
// of invalid UTF-8) for a workflow command, which the runner shows as
// written: "%1B" instead of an escape.
func percentUnsafe(s string) string {
	if clean(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || unsafeRune(r) {
			for _, c := range []byte(s[i : i+n]) {
				fmt.Fprintf(&b, "%%%02X", c)
			}
		} else {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// EscapeJSON rewrites, inside encoded JSON, the characters encoding/json
// leaves raw that a terminal or a reviewer's screen would act on (DEL, C1
// controls, bidi and other format characters) as \uXXXX escapes. It runs
// on encoder output, where such characters can only be inside strings.
func EscapeJSON(data []byte) []byte {
	if !hasUnsafe(data) {
		return data
	}
	var b bytes.Buffer
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r != '\n' && r != '\t' && unsafeRune(r) && (r != utf8.RuneError || n != 1) {
			if r > 0xFFFF {
				r1, r2 := utf16Pair(r)
				fmt.Fprintf(&b, `\u%04x\u%04x`, r1, r2)
			} else {
				fmt.Fprintf(&b, `\u%04x`, r)
			}
		} else {
			b.Write(data[i : i+n])
		}
		i += n
	}
	return b.Bytes()
}

// hasUnsafe reports whether EscapeJSON has anything to rewrite in data:
// a character other than newline and tab that unsafeRune refuses (a byte
// that is not UTF-8 is left as it is). ASCII, nearly all of a report, is
// checked a byte at a time without decoding.
func hasUnsafe(data []byte) bool {
	for i := 0; i < len(data); {
		if c := data[i]; c < utf8.RuneSelf {
			if c < ' ' && c != '\n' && c != '\t' || c == 0x7f {
				return true
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(data[i:])
		if unsafeRune(r) && (r != utf8.RuneError || n != 1) {
			return true
		}
		i += n
	}
	return false
}

func utf16Pair(r rune) (rune, rune) {
	r -= 0x10000
	return 0xD800 + (r>>10)&0x3FF, 0xDC00 + r&0x3FF
}
