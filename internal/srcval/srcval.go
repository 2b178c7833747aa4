// Package srcval is a string value read from a source file without running
// it (a Terraform expression, a shell word), with the position of each run
// of its characters, the references it was reached through, or why it
// cannot be read.
package srcval

import (
	"strings"

	"github.com/wvlint/wvlint/internal/pos"
)

// Segment is a run of a Value's text with one origin.
type Segment struct {
	Off, Len int      // code points in Value.Text
	From     pos.Span // where the run is written; From.Col is the run's first code point
	// Via names the reference the run was reached through ("var.weaviate_version"),
	// "" when it is written in place.
	Via string
	// Ref is where the reference is written, when Via is set.
	Ref pos.Span
	// Hops are all the references followed to reach the run, outermost first.
	Hops []Hop
}

// Value is what an expression evaluates to, as far as wvlint can read it
// without running anything.
type Value struct {
	Known bool
	Text  string // the string value when Known
	// Why says why the value cannot be read when !Known
	// ("var.tag has no default").
	Why string
	// Span is where the expression is written (the whole expression); for a
	// known value reached through references, the final text's position.
	Span     pos.Span
	Segments []Segment
	// Hops are the references followed to reach the value, outermost
	// first: local.tag written at main.tf:9, then var.tag at main.tf:20.
	Hops []Hop
	// External marks an unknown value that is handed in from outside (a
	// script's argument): whoever runs the file pins it, not the file.
	External bool
}

// Hop is one reference followed.
type Hop struct {
	Via string   // "var.weaviate_version", "$TAG"
	Ref pos.Span // where the reference is written
}

// At returns the position of code points [off, off+n) of the value's text
// and the segment they lie in; ok is false when the text has no single
// written origin there (it came from a function, or spans two segments).
func (v Value) At(off, n int) (sp pos.Span, seg Segment, ok bool) {
	for _, s := range v.Segments {
		if off >= s.Off && off < s.Off+s.Len {
			if off+n > s.Off+s.Len || !s.From.Valid() {
				return pos.Span{}, s, false
			}
			sp = s.From
			sp.Col += off - s.Off
			sp.EndCol = sp.Col + n
			return sp, s, true
		}
	}
	return pos.Span{}, Segment{}, false
}

// Unknown is a value that cannot be read, written at sp.
func Unknown(sp pos.Span, why string) Value { return Value{Span: sp, Why: why} }

// Known is text written in place at sp.
func Known(text string, sp pos.Span) Value {
	v := Value{Known: true, Text: text, Span: sp}
	if text != "" {
		v.Segments = []Segment{{Off: 0, Len: pos.RuneLen(text), From: sp}}
	}
	return v
}

// Concat joins values; the result is unknown when any part is.
func Concat(sp pos.Span, parts []Value) Value {
	out := Value{Known: true, Span: sp}
	var b strings.Builder
	off := 0
	for _, p := range parts {
		if !p.Known {
			return p
		}
		b.WriteString(p.Text)
		out.Hops = append(out.Hops, p.Hops...)
		for _, s := range p.Segments {
			s.Off += off
			out.Segments = append(out.Segments, s)
		}
		off += pos.RuneLen(p.Text)
	}
	out.Text = b.String()
	if len(parts) == 1 {
		out.Span = parts[0].Span
	}
	return out
}

// Through marks every segment of v as reached through ref written at at.
func Through(v Value, ref string, at pos.Span) Value {
	segs := make([]Segment, len(v.Segments))
	for i, s := range v.Segments {
		if s.Via == "" {
			s.Via, s.Ref = ref, at
		}
		s.Hops = append([]Hop{{Via: ref, Ref: at}}, s.Hops...)
		segs[i] = s
	}
	v.Segments = segs
	v.Hops = append([]Hop{{Via: ref, Ref: at}}, v.Hops...)
	if !v.Known && !strings.Contains(v.Why, ref) {
		v.Why = ref + ": " + v.Why
	}
	return v
}

// Slice is code points [off, off+n) of a known value, with their positions.
func (v Value) Slice(off, n int) Value {
	if !v.Known {
		return v
	}
	r := []rune(v.Text)
	off = max(0, min(off, len(r)))
	n = max(0, min(n, len(r)-off))
	out := Value{Known: true, Text: string(r[off : off+n]), Span: v.Span, Hops: v.Hops}
	for _, s := range v.Segments {
		lo, hi := max(s.Off, off), min(s.Off+s.Len, off+n)
		if lo >= hi {
			continue
		}
		if s.From.Valid() {
			s.From.Col += lo - s.Off
			s.From.EndCol = s.From.Col + (hi - lo)
		}
		s.Off, s.Len = lo-off, hi-lo
		out.Segments = append(out.Segments, s)
	}
	if len(out.Segments) > 0 && out.Segments[0].From.Valid() && len(out.Segments) == 1 && out.Segments[0].Via == "" {
		out.Span = out.Segments[0].From
	}
	return out
}
