// Package diag holds the one thing every stage reports and every formatter
// prints: a Diagnostic. The loader reports files it cannot read or parse
// (WV9001), the engine malformed or unused suppressions (WV9002, WV9003),
// the rules their findings; configuration severities, suppressions,
// fingerprints and baselines then apply to all of them alike.
package diag

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/wvlint/wvlint/internal/pos"
)

// Severity orders diagnostics; the zero value is Note.
type Severity int

// Severities, lowest first.
const (
	Note Severity = iota
	Warning
	Error
)

func (s Severity) String() string { return [...]string{"note", "warning", "error"}[s] }

// ParseSeverity reads "note", "warning" or "error".
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(s) {
	case "note", "info":
		return Note, nil
	case "warning", "warn":
		return Warning, nil
	case "error":
		return Error, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want note, warning or error)", s)
}

// Related is another place that contributes to a diagnostic.
type Related struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

// Edit replaces the text of Span with New.
type Edit struct {
	Span pos.Span
	New  string
}

// Diagnostic is one reported problem.
type Diagnostic struct {
	Rule     string // the rule's ID, WVnnnn
	Severity Severity
	// Span is where: Line 0 when the whole file is concerned, Col 0 when
	// the whole line is.
	Span    pos.Span
	Message string
	Related []Related
	// From and To are the versions of the change it is about, "" when
	// unknown or not about a change.
	From, To string
	// Deployment is the ID of the deployment it is about, "" for
	// diagnostics about files (parse errors, suppressions).
	Deployment string
	// Fingerprint identifies it across runs and edits elsewhere in the
	// file (SARIF primaryLocationLineHash, baselines).
	Fingerprint string
	// Fix is a set of edits that resolves it, nil when there is none.
	Fix []Edit
	// FixMessage says what the fix writes, for people ("use 1.27.27, the
	// latest patch of 1.27"); SARIF's fix description.
	FixMessage string
	// Shared are the IDs of other deployments whose identical diagnostic
	// (same rule, place and message) Dedupe merged into this one: services
	// that take their tag from one .env line. A fix must suit them too.
	Shared []string
}

// Where is "file:line:col", "file:line" when the whole line is concerned,
// or the file alone when the whole file is.
func (d Diagnostic) Where() string {
	switch {
	case d.Span.Line <= 0:
		return d.Span.File
	case d.Span.Col <= 0:
		return d.Span.File + ":" + strconv.Itoa(d.Span.Line)
	}
	return d.Span.String()
}

// Sort orders diagnostics by file, line, column and rule.
func Sort(ds []Diagnostic) {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if a.Span.File != b.Span.File {
			return a.Span.File < b.Span.File
		}
		if a.Span.Line != b.Span.Line {
			return a.Span.Line < b.Span.Line
		}
		if a.Span.Col != b.Span.Col {
			return a.Span.Col < b.Span.Col
		}
		return a.Rule < b.Rule
	})
}

// Dedupe sorts diagnostics and drops repeats: several services of one
// compose file that take their tag from one .env line give one finding.
func Dedupe(ds []Diagnostic) []Diagnostic {
	Sort(ds)
	out := ds[:0]
	for i, d := range ds {
		if i > 0 {
			prev := out[len(out)-1]
			if prev.Rule == d.Rule && prev.Span == d.Span && prev.Message == d.Message {
				if d.Deployment != "" && d.Deployment != prev.Deployment {
					out[len(out)-1].Shared = append(out[len(out)-1].Shared, d.Deployment)
				}
				continue
			}
		}
		out = append(out, d)
	}
	return out
}
