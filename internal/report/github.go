package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/wvlint/wvlint/internal/lint"
	"github.com/wvlint/wvlint/rules"
)

// GitHub writes findings as GitHub Actions workflow commands, which become
// annotations on the pull request. Every value is escaped as the runner
// expects, so no file name or message can end the command early or start
// another one.
func GitHub(w io.Writer, rep *lint.Report, root string) {
	for _, e := range rep.Errors {
		props := []string{"file=" + escapeProperty(lint.RelPath(root, e.File))}
		if e.Line > 0 {
			props = append(props, fmt.Sprintf("line=%d", e.Line))
		}
		props = append(props, "title="+escapeProperty(rules.ParseError.ID+" "+rules.ParseError.Name))
		fmt.Fprintf(w, "::error %s::%s\n", strings.Join(props, ","), escapeData(e.Message))
	}
	for _, f := range rep.Findings {
		cmd := map[rules.Severity]string{rules.Error: "error", rules.Warning: "warning", rules.Note: "notice"}[f.Severity]
		props := []string{
			"file=" + escapeProperty(lint.RelPath(root, f.Span.File)),
			fmt.Sprintf("line=%d", f.Span.Line),
			fmt.Sprintf("col=%d", f.Span.Col),
			fmt.Sprintf("endColumn=%d", f.Span.EndCol),
			"title=" + escapeProperty(f.Rule.ID+" "+f.Rule.Name),
		}
		fmt.Fprintf(w, "::%s %s::%s\n", cmd, strings.Join(props, ","), escapeData(f.Message))
	}
}

// escapeData escapes a command's message (actions/toolkit escapeData).
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a command property (actions/toolkit escapeProperty).
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
