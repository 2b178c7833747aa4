// Package report writes lint results: text like a compiler (with the
// source line and a caret under the version) and JSON.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/wvlint/wvlint/internal/inventory"
	"github.com/wvlint/wvlint/internal/lint"
	"github.com/wvlint/wvlint/internal/pos"
	"github.com/wvlint/wvlint/rules"
)

// Source returns the lines of a file for excerpts, or nil.
type Source func(file string) *pos.Lines

// TextOptions tune the text output.
type TextOptions struct {
	Color  bool
	Source Source
}

const (
	bold   = "\x1b[1m"
	red    = "\x1b[31m"
	yellow = "\x1b[33m"
	cyan   = "\x1b[36m"
	green  = "\x1b[32m"
	reset  = "\x1b[0m"
)

// FindingLine is the first line of a finding in the text output, uncolored.
func FindingLine(f rules.Finding) string {
	return fmt.Sprintf("%s: %s: %s [%s %s]", f.Span, f.Severity, f.Message, f.Rule.ID, f.Rule.Name)
}

// ErrorLine is a file error in the text output, uncolored.
func ErrorLine(e inventory.FileError) string {
	return fmt.Sprintf("%s: error: %s [%s %s]", e.Where(), e.Message, rules.ParseError.ID, rules.ParseError.Name)
}

// Text writes findings and file errors, one block each.
func Text(w io.Writer, rep *lint.Report, opt TextOptions) {
	paint := func(code, s string) string {
		if !opt.Color {
			return s
		}
		return code + s + reset
	}
	sevColor := map[rules.Severity]string{rules.Error: red, rules.Warning: yellow, rules.Note: cyan}
	for _, e := range rep.Errors {
		fmt.Fprintf(w, "%s: %s %s %s\n", paint(bold, e.Where()), paint(red, "error:"), e.Message,
			paint(bold, "["+rules.ParseError.ID+" "+rules.ParseError.Name+"]"))
	}
	for _, f := range rep.Findings {
		fmt.Fprintf(w, "%s: %s %s %s\n", paint(bold, f.Span.String()), paint(sevColor[f.Severity], f.Severity.String()+":"), f.Message,
			paint(bold, "["+f.Rule.ID+" "+f.Rule.Name+"]"))
		if opt.Source != nil {
			if lines := opt.Source(f.Span.File); lines != nil && f.Span.Line <= lines.Count() {
				text := Redact(strings.ReplaceAll(lines.Line(f.Span.Line), "\t", " "))
				num := fmt.Sprint(f.Span.Line)
				gutter := strings.Repeat(" ", len(num))
				// Never wider than the (possibly redacted) line.
				n := max(min(f.Span.EndCol-f.Span.Col, len([]rune(text))-f.Span.Col+1), 1)
				caret := "^" + strings.Repeat("~", n-1)
				fmt.Fprintf(w, " %s | %s\n", num, text)
				fmt.Fprintf(w, " %s | %s%s\n", gutter, strings.Repeat(" ", max(f.Span.Col-1, 0)), paint(green, caret))
			}
		}
		for _, r := range f.Related {
			fmt.Fprintf(w, "    %s:%d:%d: %s\n", r.File, r.Line, r.Column, r.Message)
		}
	}
}

// Summary is the last line for people: what was compared, what was found.
func Summary(rep *lint.Report) string {
	count := map[rules.Severity]int{}
	for _, f := range rep.Findings {
		count[f.Severity]++
	}
	var parts []string
	for _, s := range []rules.Severity{rules.Error, rules.Warning, rules.Note} {
		if n := count[s]; n > 0 {
			parts = append(parts, plural(n, s.String()))
		}
	}
	if n := len(rep.Errors); n > 0 {
		parts = append(parts, plural(n, "unreadable file"))
	}
	found := "no findings"
	if len(parts) > 0 {
		found = strings.Join(parts, ", ")
	}
	return fmt.Sprintf("%s; %s in %s", rep.Compared.Text, found, plural(len(rep.Deployments), "deployment"))
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// JSONFinding is one finding in the JSON output.
type JSONFinding struct {
	Rule      string              `json:"rule"`
	Name      string              `json:"name"`
	Severity  string              `json:"severity"`
	File      string              `json:"file"`
	Line      int                 `json:"line"`
	Column    int                 `json:"column"`
	EndLine   int                 `json:"endLine"`
	EndColumn int                 `json:"endColumn"`
	Message   string              `json:"message"`
	From      string              `json:"from"`
	To        string              `json:"to"`
	Related   []inventory.Related `json:"related"`
}

// JSON writes the report as the documented JSON object.
func JSON(w io.Writer, rep *lint.Report) error {
	out := struct {
		Version  int                   `json:"version"`
		Compared lint.Compared         `json:"compared"`
		Findings []JSONFinding         `json:"findings"`
		Errors   []inventory.FileError `json:"errors"`
	}{Version: 1, Compared: rep.Compared, Findings: []JSONFinding{}, Errors: rep.Errors}
	if out.Errors == nil {
		out.Errors = []inventory.FileError{}
	}
	for _, f := range rep.Findings {
		rel := f.Related
		if rel == nil {
			rel = []inventory.Related{}
		}
		out.Findings = append(out.Findings, JSONFinding{
			Rule: f.Rule.ID, Name: f.Rule.Name, Severity: f.Severity.String(),
			File: f.Span.File, Line: f.Span.Line, Column: f.Span.Col, EndLine: f.Span.Line, EndColumn: f.Span.EndCol,
			Message: f.Message, From: f.From, To: f.To, Related: rel,
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// secretRE finds an assignment to a name that looks like a credential:
// KEY=value, KEY: value, "KEY": "value".
var secretRE = regexp.MustCompile(`(?i)([A-Z0-9_]*(?:KEY|SECRET|TOKEN|PASSWORD|PASSWD|CREDENTIALS?|CONNECTION_STRING)[A-Z0-9_]*["']?\s*[:=]\s*)(["']?)([^\s"'#]+)`)

// Redact masks credential values in a source line shown in an excerpt:
// wvlint reads pull requests and must never print their secrets.
func Redact(line string) string {
	return secretRE.ReplaceAllString(line, "${1}${2}****")
}
