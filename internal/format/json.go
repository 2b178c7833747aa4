package format

import (
	"bytes"
	"encoding/json"
	"io"

	"github.com/wvlint/wvlint/internal/compare"
	"github.com/wvlint/wvlint/internal/diag"
	"github.com/wvlint/wvlint/rules"
)

// JSONFinding is one finding in the JSON output.
type JSONFinding struct {
	Rule      string         `json:"rule"`
	Name      string         `json:"name"`
	Severity  string         `json:"severity"`
	File      string         `json:"file"`
	Line      int            `json:"line"`
	Column    int            `json:"column"`
	EndLine   int            `json:"endLine"`
	EndColumn int            `json:"endColumn"`
	Message   string         `json:"message"`
	From      string         `json:"from"`
	To        string         `json:"to"`
	Related   []diag.Related `json:"related"`
	// Fix is what `wvlint --fix` writes for the finding, absent when it
	// writes nothing.
	Fix []JSONEdit `json:"fix,omitempty"`
}

// JSONEdit replaces the text of file:line:column..endColumn (code points,
// endColumn exclusive) with new.
type JSONEdit struct {
	File      string `json:"file"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndColumn int    `json:"endColumn"`
	New       string `json:"new"`
}

// JSONError is a file that could not be read or parsed (WV9001) in the
// JSON output.
type JSONError struct {
	File    string `json:"file"`
	Line    int    `json:"line"` // 0 when the whole file is concerned
	Message string `json:"message"`
}

// JSONReport is the documented JSON object (version 1): WV9001
// diagnostics are its errors, all others its findings.
type JSONReport struct {
	Version  int              `json:"version"`
	Compared compare.Compared `json:"compared"`
	Findings []JSONFinding    `json:"findings"`
	Errors   []JSONError      `json:"errors"`
}

// JSON writes the documented JSON object.
func JSON(w io.Writer, rs []*rules.Rule, ds []diag.Diagnostic, run *Run) error {
	name := ruleNames(rs)
	out := JSONReport{Version: 1, Compared: run.Compared, Findings: []JSONFinding{}, Errors: []JSONError{}}
	for _, d := range ds {
		if d.Rule == rules.ParseError.ID {
			out.Errors = append(out.Errors, JSONError{File: d.Span.File, Line: d.Span.Line, Message: d.Message})
			continue
		}
		rel := d.Related
		if rel == nil {
			rel = []diag.Related{}
		}
		jf := JSONFinding{
			Rule: d.Rule, Name: name(d.Rule), Severity: d.Severity.String(),
			File: d.Span.File, Line: d.Span.Line, Column: d.Span.Col, EndLine: d.Span.Line, EndColumn: d.Span.EndCol,
			Message: d.Message, From: d.From, To: d.To, Related: rel,
		}
		for _, e := range d.Fix {
			jf.Fix = append(jf.Fix, JSONEdit{File: e.Span.File, Line: e.Span.Line, Column: e.Span.Col, EndColumn: e.Span.EndCol, New: e.New})
		}
		out.Findings = append(out.Findings, jf)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // "1.26.18 -> 1.27.27", not "-\u003e"
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := w.Write(EscapeJSON(b.Bytes()))
	return err
}
