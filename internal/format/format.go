// Package format writes a run's diagnostics, one file per format: text
// like a compiler (text.go), the documented JSON object (json.go), GitHub
// Actions workflow commands (github.go) and SARIF 2.1.0 for code scanning
// (sarif.go). Every format is a Func; none of them knows the engine, and
// every one returns the first write error (a full disk fails the run).
package format

import (
	"io"

	"github.com/wvlint/wvlint/internal/compare"
	"github.com/wvlint/wvlint/internal/diag"
	"github.com/wvlint/wvlint/internal/pos"
	"github.com/wvlint/wvlint/rules"
)

// Run is what a format needs to know about the run besides its
// diagnostics.
type Run struct {
	Compared    compare.Compared
	Deployments int // how many deployments were checked
	Suppressed  int // diagnostics silenced by wvlint:ignore
	Baselined   int // diagnostics left out because the baseline has them
	// Root is the repository root: GitHub and SARIF paths are relative
	// to it.
	Root string
	// Dir is where relative file names are from (the CLI's working
	// directory); "" leaves them to filepath.Abs.
	Dir string
	// Lines returns the source of a file for excerpts, nil when unknown.
	Lines func(file string) *pos.Lines
	Color bool // ANSI colors in the text format

	Category string // SARIF run.automationDetails.id (GitHub's category)
	Version  string // wvlint's version, for SARIF

	// Problems are what kept the run from checking the files at all (an
	// unknown base revision, a broken configuration): SARIF still gets
	// written, its invocation failed, with a notification for each.
	Problems []string
}

// Func writes diagnostics in one format. rs are the rules of the run
// (names, documentation, SARIF's rule table).
type Func func(w io.Writer, rs []*rules.Rule, ds []diag.Diagnostic, run *Run) error

// Formats are the formats by name.
var Formats = map[string]Func{"text": Text, "json": JSON, "github": GitHub, "sarif": SARIF}

// Names are the format names, in the order usage lists them.
var Names = []string{"text", "json", "sarif", "github"}

// ruleNames maps rule IDs to names: the run's rules first, then the
// registry (a rule turned off has no diagnostics, but be safe).
func ruleNames(rs []*rules.Rule) func(id string) string {
	names := map[string]string{}
	for _, r := range rs {
		names[r.ID] = r.Name
	}
	return func(id string) string {
		if n, ok := names[id]; ok {
			return n
		}
		if r := rules.Lookup(id); r != nil {
			return r.Name
		}
		return ""
	}
}

// errWriter remembers the first write error, so that a format can write
// line by line and check once.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}
