package cli

import (
	"flag"
	"fmt"
	"os"

	"github.com/wvlint/wvlint/internal/lint"
	"github.com/wvlint/wvlint/internal/pos"
	"github.com/wvlint/wvlint/internal/report"
	"github.com/wvlint/wvlint/rules"
)

// multi is a repeatable string flag.
type multi []string

func (m *multi) String() string     { return fmt.Sprint(*m) }
func (m *multi) Set(s string) error { *m = append(*m, s); return nil }

func runLint(e *env, args []string) (int, error) {
	fs := flag.NewFlagSet("wvlint", flag.ContinueOnError)
	format := fs.String("f", "text", "output format: text or json")
	failOn := fs.String("fail-on", "warning", "exit 1 when a finding is at or above this severity: note, warning or error")
	base := fs.String("base", "", "compare with the deployments at this git revision")
	staged := fs.Bool("staged", false, "compare the git index (not the work tree) with HEAD")
	noGit := fs.Bool("no-git", false, "do not compare with any git revision")
	color := fs.String("color", "auto", "color the text output: auto, always or never")
	maxSize := fs.Int64("max-file-size", defaultMaxSize, "skip files larger than this many bytes")
	var from, backups multi
	fs.Var(&from, "from", "the version running now: VERSION for every deployment, or ID=VERSION (repeatable)")
	fs.Var(&backups, "backup", "a backup taken before this upgrade: BACKEND/ID (repeatable)")
	rel := catalogFlag(fs)
	paths, err := parse(fs, args)
	if err != nil {
		return ExitInput, err
	}
	if err := checkFormat(*format, "text", "json"); err != nil {
		return ExitInput, err
	}
	threshold, err := rules.ParseSeverity(*failOn)
	if err != nil {
		return ExitInput, usagef("--fail-on: %v", err)
	}
	if *color != "auto" && *color != "always" && *color != "never" {
		return ExitInput, usagef("--color must be auto, always or never")
	}
	if *base != "" && len(from) > 0 {
		return ExitInput, usagef("--base and --from both say what runs now: give one")
	}
	cat, err := loadCatalog(e, *rel)
	if err != nil {
		return ExitInput, err
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}
	rep, err := lint.Run(lint.Options{
		Paths: paths, Base: *base, Staged: *staged, NoGit: *noGit, From: from, Backups: backups,
		MaxSize: *maxSize, Catalog: cat, Rules: rules.All(), Getenv: e.getenv,
	})
	if err != nil {
		return ExitInput, err
	}
	switch *format {
	case "json":
		if err := report.JSON(e.stdout, rep); err != nil {
			return ExitInternal, err
		}
	default:
		report.Text(e.stdout, rep, report.TextOptions{Color: useColor(e, *color), Source: sourceLines()})
		fmt.Fprintf(e.stderr, "wvlint: %s\n", report.Summary(rep))
	}
	for _, n := range rep.Notices {
		fmt.Fprintf(e.stderr, "%s: notice: %s\n", n.File, n.Message)
	}
	if len(rep.Errors) > 0 {
		return ExitInput, nil
	}
	for _, f := range rep.Findings {
		if f.Severity >= threshold {
			return ExitFindings, nil
		}
	}
	return ExitOK, nil
}

func useColor(e *env, mode string) bool {
	switch mode {
	case "always":
		return true
	case "never":
		return false
	}
	if e.getenv("NO_COLOR") != "" {
		return false
	}
	f, ok := e.stdout.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// sourceLines reads files for excerpts, once each.
func sourceLines() report.Source {
	cache := map[string]*pos.Lines{}
	return func(file string) *pos.Lines {
		if l, ok := cache[file]; ok {
			return l
		}
		var l *pos.Lines
		if data, err := os.ReadFile(file); err == nil && len(data) < 16<<20 {
			l = pos.NewLines(data)
		}
		cache[file] = l
		return l
	}
}
