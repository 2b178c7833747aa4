package format

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"

	"github.com/wvlint/wvlint/internal/diag"
	"github.com/wvlint/wvlint/rules"
)

const (
	bold   = "\x1b[1m"
	red    = "\x1b[31m"
	yellow = "\x1b[33m"
	cyan   = "\x1b[36m"
	green  = "\x1b[32m"
	reset  = "\x1b[0m"
)

// Line is the first line of a diagnostic in the text output, uncolored.
func Line(d diag.Diagnostic, ruleName string) string {
	return fmt.Sprintf("%s: %s: %s [%s %s]", where(d), d.Severity, SafeText(d.Message), d.Rule, ruleName)
}

// Text writes diagnostics like a compiler: a line each, then the source
// line with a caret under the span (secrets masked), then related places.
func Text(w io.Writer, rs []*rules.Rule, ds []diag.Diagnostic, run *Run) error {
	ew := &errWriter{w: w}
	name := ruleNames(rs)
	paint := func(code, s string) string {
		if !run.Color {
			return s
		}
		return code + s + reset
	}
	sevColor := map[diag.Severity]string{diag.Error: red, diag.Warning: yellow, diag.Note: cyan}
	for _, d := range ds {
		fmt.Fprintf(ew, "%s: %s %s %s\n", paint(bold, where(d)), paint(sevColor[d.Severity], d.Severity.String()+":"), SafeText(d.Message),
			paint(bold, "["+d.Rule+" "+name(d.Rule)+"]"))
		if run.Lines != nil && d.Span.Col > 0 {
			if lines := run.Lines(d.Span.File); lines != nil && d.Span.Line <= lines.Count() {
				text := Redact(safeExcerpt(lines.Line(d.Span.Line)))
				num := fmt.Sprint(d.Span.Line)
				gutter := strings.Repeat(" ", len(num))
				// Never wider than the (possibly redacted) line.
				n := max(min(d.Span.EndCol-d.Span.Col, len([]rune(text))-d.Span.Col+1), 1)
				caret := "^" + strings.Repeat("~", n-1)
				fmt.Fprintf(ew, " %s | %s\n", num, text)
				fmt.Fprintf(ew, " %s | %s%s\n", gutter, strings.Repeat(" ", max(d.Span.Col-1, 0)), paint(green, caret))
			}
		}
		for _, r := range d.Related {
			fmt.Fprintf(ew, "    %s:%d:%d: %s\n", SafeName(r.File), r.Line, r.Column, SafeText(r.Message))
		}
	}
	return ew.err
}

// Summary is the last line for people: what was compared, what was found,
// what was left out.
func Summary(ds []diag.Diagnostic, run *Run) string {
	count := map[diag.Severity]int{}
	unreadable := 0
	for _, d := range ds {
		if d.Rule == rules.ParseError.ID {
			unreadable++
			continue
		}
		count[d.Severity]++
	}
	var parts []string
	for _, s := range []diag.Severity{diag.Error, diag.Warning, diag.Note} {
		if n := count[s]; n > 0 {
			parts = append(parts, plural(n, s.String()))
		}
	}
	if unreadable > 0 {
		parts = append(parts, plural(unreadable, "unreadable file"))
	}
	found := "no findings"
	if len(parts) > 0 {
		found = strings.Join(parts, ", ")
	}
	s := fmt.Sprintf("%s; %s in %s", run.Compared.Text, found, plural(run.Deployments, "deployment"))
	if run.Suppressed > 0 {
		s += fmt.Sprintf(" (%d suppressed)", run.Suppressed)
	}
	if run.Baselined > 0 {
		s += fmt.Sprintf(" (%d in the baseline)", run.Baselined)
	}
	return s
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// secretRE finds an assignment to a name that looks like a credential:
// KEY=value, KEY: value, "KEY": "value".
var secretRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)([A-Z0-9_]*(?:KEY|SECRET|TOKEN|PASSWORD|PASSWD|CREDENTIALS?|CONNECTION_STRING)[A-Z0-9_]*["']?\s*[:=]\s*)(["']?)([^\s"'#]+)`)
})

// Redact masks credential values in a source line shown in an excerpt:
// wvlint reads pull requests and must never print their secrets.
func Redact(line string) string {
	if !mayHoldSecret(line) {
		return line // most lines: the regexp costs microseconds a line
	}
	return secretRE().ReplaceAllString(line, "${1}${2}****")
}

// secretWords are the lower-cased words one of which secretRE needs.
var secretWords = [...]string{"key", "secret", "token", "password", "passwd", "credential", "connection_string"}

// mayHoldSecret reports whether secretRE can match line: it names one of
// the credential words, in any case. A line that is not ASCII goes to the
// regexp, whose case folding knows more (the Kelvin sign for K).
func mayHoldSecret(line string) bool {
	for i := 0; i < len(line); i++ {
		if line[i] >= 0x80 {
			return true
		}
	}
	l := strings.ToLower(line)
	for _, w := range secretWords {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}
