// Package directive reads wvlint's comments in the files it checks, in one
// place:
//
//	# wvlint:ignore WV1002 pinned until the vendor certifies 1.27.27
//	# wvlint:backup s3/backup-2026-11-26
//
// on the line they apply to or on their own line above it. An ignore
// names rules by ID or name (several with commas) and needs a reason; a
// backup names a backend and a backup ID.
package directive

import (
	"bytes"
	"math"
	"regexp"
	"strings"
	"sync"

	"github.com/wvlint/wvlint/internal/commalist"
	"github.com/wvlint/wvlint/internal/pos"
)

// Kind of directive.
type Kind int

// The kinds.
const (
	Ignore Kind = iota // wvlint:ignore RULES REASON
	Backup             // wvlint:backup BACKEND/ID
)

var keywords = [...]string{Ignore: "wvlint:ignore", Backup: "wvlint:backup"}

func (k Kind) String() string { return keywords[k] }

// Directive is one wvlint comment.
type Directive struct {
	Kind   Kind
	Span   pos.Span // the keyword ("wvlint:ignore")
	Target int      // the line it applies to
	// Ignore: the rules as written and the reason.
	Rules  []string
	Reason string
	Used   bool // set by the engine when it silenced a diagnostic
	// Backup: "backend/id", "" when malformed.
	Backup string
}

var (
	directiveRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`#\s*(wvlint:(?:ignore|backup))\b(.*)$`) })
	backupRE    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^([A-Za-z0-9_.-]+/\S+)`) })
	backupArgRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9_.-]+/\S+$`) })
)

// Parse finds the directives in a file, in line order.
func Parse(file string, lines *pos.Lines) []*Directive {
	if !bytes.Contains(lines.Bytes(0, math.MaxInt), []byte("wvlint:")) {
		return nil // most files: no line to look at
	}
	var out []*Directive
	for n := 1; n <= lines.Count(); n++ {
		text := lines.Line(n)
		if !strings.Contains(text, "wvlint:") {
			continue
		}
		m := directiveRE().FindStringSubmatchIndex(text)
		if m == nil {
			continue
		}
		kw := text[m[2]:m[3]]
		col := pos.RuneLen(text[:m[2]]) + 1
		d := &Directive{Span: pos.Span{File: file, Line: n, Col: col, EndCol: col + pos.RuneLen(kw)}, Target: n}
		if strings.HasPrefix(strings.TrimSpace(text), "#") {
			d.Target = n + 1
		}
		rest := strings.TrimSpace(text[m[4]:m[5]])
		if kw == Backup.String() {
			d.Kind = Backup
			if bm := backupRE().FindStringSubmatch(rest); bm != nil {
				d.Backup = bm[1]
			}
			out = append(out, d)
			continue
		}
		list, reason, _ := strings.Cut(rest, " ")
		d.Rules = commalist.Split(list)
		d.Reason = strings.TrimSpace(reason)
		out = append(out, d)
	}
	return out
}

// Of returns the directives of one kind.
func Of(ds []*Directive, k Kind) []*Directive {
	var out []*Directive
	for _, d := range ds {
		if d.Kind == k {
			out = append(out, d)
		}
	}
	return out
}

// Covers reports whether an ignore directive silences rule (ID or name) on
// line.
func (d *Directive) Covers(id, name string, line int) bool {
	if d.Kind != Ignore || line != d.Target {
		return false
	}
	for _, r := range d.Rules {
		if strings.EqualFold(r, id) || r == name {
			return true
		}
	}
	return false
}

// ValidBackup reports whether s names a backup as BACKEND/ID (s3/nightly-42),
// the form of "# wvlint:backup" comments, trailers and --backup.
func ValidBackup(s string) bool { return backupArgRE().MatchString(s) }
