package format

import (
	"fmt"
	"io"
	"strings"

	"github.com/wvlint/wvlint/internal/diag"
	"github.com/wvlint/wvlint/internal/relpath"
	"github.com/wvlint/wvlint/rules"
)

// GitHub writes diagnostics as GitHub Actions workflow commands, which
// become annotations on the pull request. Every value is escaped as the
// runner expects, so no file name or message can end the command early or
// start another one.
func GitHub(w io.Writer, rs []*rules.Rule, ds []diag.Diagnostic, run *Run) error {
	ew := &errWriter{w: w}
	name := ruleNames(rs)
	names := relpath.NewNames(run.Root, run.Dir)
	for _, d := range ds {
		cmd := map[diag.Severity]string{diag.Error: "error", diag.Warning: "warning", diag.Note: "notice"}[d.Severity]
		var props []string
		if d.Span.File != "" { // "" for a finding about no file (a live preflight's)
			props = append(props, "file="+escapeProperty(names.Display(d.Span.File)))
		}
		if d.Span.Line > 0 {
			props = append(props, fmt.Sprintf("line=%d", d.Span.Line))
			if d.Span.Col > 0 {
				props = append(props, fmt.Sprintf("col=%d", d.Span.Col), fmt.Sprintf("endColumn=%d", d.Span.EndCol))
			}
		}
		props = append(props, "title="+escapeProperty(d.Rule+" "+name(d.Rule)))
		fmt.Fprintf(ew, "::%s %s::%s\n", cmd, strings.Join(props, ","), escapeData(d.Message))
	}
	return ew.err
}

// escapeData escapes a command's message (actions/toolkit escapeData), and
// percent-encodes every other control character the same way: the runner
// shows "%1B" where a raw escape would reach the log.
func escapeData(s string) string {
	return percentUnsafe(strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s))
}

// escapeProperty escapes a command property (actions/toolkit
// escapeProperty), control characters as in escapeData.
func escapeProperty(s string) string {
	return percentUnsafe(strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s))
}
