// Package suppress reads inline suppressions,
//
//	# wvlint:ignore WV1002 pinned until the vendor certifies 1.27.27
//
// on the line of a finding or on its own line above it. A reason is
// required; the rule may be named by ID or name, several with commas.
package suppress

import (
	"regexp"
	"strings"

	"github.com/wvlint/wvlint/internal/pos"
)

// Directive is one wvlint:ignore comment.
type Directive struct {
	Span   pos.Span // the "wvlint:ignore" text
	Target int      // the line it applies to
	Rules  []string // as written
	Reason string
	Used   bool
}

var directiveRE = regexp.MustCompile(`#\s*(wvlint:ignore)\b(.*)$`)

// Parse finds the directives in a file.
func Parse(file string, lines *pos.Lines) []*Directive {
	var out []*Directive
	for n := 1; n <= lines.Count(); n++ {
		text := lines.Line(n)
		if !strings.Contains(text, "wvlint:ignore") {
			continue
		}
		m := directiveRE.FindStringSubmatchIndex(text)
		if m == nil {
			continue
		}
		col := pos.RuneLen(text[:m[2]]) + 1
		d := &Directive{Span: pos.Span{File: file, Line: n, Col: col, EndCol: col + len("wvlint:ignore")}, Target: n}
		if strings.HasPrefix(strings.TrimSpace(text), "#") {
			d.Target = n + 1
		}
		rest := strings.TrimSpace(text[m[4]:m[5]])
		list, reason, _ := strings.Cut(rest, " ")
		for _, r := range strings.Split(list, ",") {
			if r = strings.TrimSpace(r); r != "" {
				d.Rules = append(d.Rules, r)
			}
		}
		d.Reason = strings.TrimSpace(reason)
		out = append(out, d)
	}
	return out
}

// Covers reports whether the directive silences rule (ID or name) on line.
func (d *Directive) Covers(id, name string, line int) bool {
	if line != d.Target {
		return false
	}
	for _, r := range d.Rules {
		if strings.EqualFold(r, id) || r == name {
			return true
		}
	}
	return false
}
