// Package terraform reads the Weaviate deployments a Terraform module
// declares: helm_release resources of the weaviate chart (chart version,
// set blocks, values files, yamlencode and heredoc values), and
// docker_container and kubernetes_* resources that run an image. It parses
// HCL with github.com/hashicorp/hcl/v2 and never runs Terraform: variables
// are followed to their default (or a terraform.tfvars value), locals to
// their expression, and every expression it cannot read is reported as
// such, at its position, with the reason.
package terraform

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
}

// Value is what an expression evaluates to, as far as wvlint can read it
// without running Terraform.
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

// Via lists the references a known value was reached through, outermost
// first, without repeats.
func (v Value) Via() []Segment {
	var out []Segment
	seen := map[string]bool{}
	for _, s := range v.Segments {
		if s.Via != "" && !seen[s.Via] {
			seen[s.Via] = true
			out = append(out, s)
		}
	}
	return out
}

func unknown(sp pos.Span, why string) Value { return Value{Span: sp, Why: why} }

func known(text string, sp pos.Span) Value {
	v := Value{Known: true, Text: text, Span: sp}
	if text != "" {
		v.Segments = []Segment{{Off: 0, Len: pos.RuneLen(text), From: sp}}
	}
	return v
}

// concat joins values; the result is unknown when any part is.
func concat(sp pos.Span, parts []Value) Value {
	out := Value{Known: true, Span: sp}
	var b strings.Builder
	off := 0
	for _, p := range parts {
		if !p.Known {
			return p
		}
		b.WriteString(p.Text)
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

// through marks every segment of v as reached through ref written at at.
func through(v Value, ref string, at pos.Span) Value {
	segs := make([]Segment, len(v.Segments))
	for i, s := range v.Segments {
		if s.Via == "" {
			s.Via, s.Ref = ref, at
		}
		segs[i] = s
	}
	v.Segments = segs
	if !v.Known && !strings.Contains(v.Why, ref) {
		v.Why = ref + ": " + v.Why
	}
	return v
}
