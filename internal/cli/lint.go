package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"time"

	"github.com/wvlint/wvlint/internal/diag"
	"github.com/wvlint/wvlint/internal/format"
	"github.com/wvlint/wvlint/internal/lint"
	"github.com/wvlint/wvlint/internal/remedy"
	"github.com/wvlint/wvlint/rules"
)

// multi is a repeatable string flag.
type multi []string

func (m *multi) String() string     { return fmt.Sprint(*m) }
func (m *multi) Set(s string) error { *m = append(*m, s); return nil }

// output is one -f [-o FILE] pair.
type output struct{ format, path string }

type outputs []output

func (o *outputs) String() string { return fmt.Sprint(*o) }

type formatFlag struct{ o *outputs }

func (f formatFlag) String() string { return "" }
func (f formatFlag) Set(s string) error {
	if err := checkFormat(s, format.Names...); err != nil {
		return err
	}
	*f.o = append(*f.o, output{format: s})
	return nil
}

type outFlag struct{ o *outputs }

func (f outFlag) String() string { return "" }
func (f outFlag) Set(s string) error {
	if len(*f.o) == 0 || (*f.o)[len(*f.o)-1].path != "" {
		*f.o = append(*f.o, output{format: "text"})
	}
	(*f.o)[len(*f.o)-1].path = s
	return nil
}

func runLint(e *env, args []string) (int, error) {
	fs := flag.NewFlagSet("wvlint", flag.ContinueOnError)
	var outs outputs
	fs.Var(formatFlag{&outs}, "f", "output format: text, json, sarif or github (repeatable, each with its own -o)")
	fs.Var(outFlag{&outs}, "o", "write the preceding -f format to this file")
	failOn := fs.String("fail-on", "warning", "exit 1 when a finding is at or above this severity: note, warning or error")
	base := fs.String("base", "", "compare with the deployments at this git revision")
	staged := fs.Bool("staged", false, "compare the git index (not the work tree) with HEAD")
	noGit := fs.Bool("no-git", false, "do not compare with any git revision")
	color := fs.String("color", "auto", "color the text output: auto, always or never")
	maxSize := fs.Int64("max-file-size", defaultMaxSize, "skip files larger than this many bytes")
	configPath := fs.String("config", "", "configuration file (default: .wvlint.yaml found upward from the first path)")
	category := fs.String("category", "", "SARIF run category (GitHub code scanning), e.g. wvlint/deploy")
	baseline := fs.String("baseline", "", "leave out findings recorded in this baseline file")
	writeBaseline := fs.String("write-baseline", "", "record the current findings in this baseline file")
	var from, backups multi
	fs.Var(&from, "from", "the version running now: VERSION for every deployment, or ID=VERSION (repeatable)")
	fs.Var(&backups, "backup", "a backup taken before this upgrade: BACKEND/ID (repeatable)")
	doFix := fs.Bool("fix", false, "write the fixes of fixable findings into the files")
	doDiff := fs.Bool("diff", false, "print the fixes as a unified diff (patch -p1) instead of writing them")
	rel := catalogFlag(fs)
	paths, err := parse(fs, args)
	if err != nil {
		return ExitInput, err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if len(outs) == 0 {
		outs = outputs{{format: "text"}}
	}
	if *color != "auto" && *color != "always" && *color != "never" {
		return ExitInput, usagef("--color must be auto, always or never")
	}
	if *doFix && *doDiff {
		return ExitInput, usagef("--fix writes the fixes and --diff prints them: give one")
	}
	if *base != "" && len(from) > 0 {
		return ExitInput, usagef("--base and --from both say what runs now: give one")
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}
	cfg, err := loadConfig(*configPath, paths[0])
	if err != nil {
		return ExitInput, err
	}
	threshold, err := rules.ParseSeverity(*failOn)
	if err != nil {
		return ExitInput, usagef("--fail-on: %v", err)
	}
	if !set["fail-on"] && cfg != nil && cfg.FailOn != nil {
		threshold = *cfg.FailOn
	}
	cat, err := loadCatalog(e, *rel)
	if err != nil {
		return ExitInput, err
	}
	var known map[string]bool
	if *baseline != "" {
		if known, err = readBaseline(*baseline); err != nil {
			return ExitInput, err
		}
	}
	cwd, err := os.Getwd()
	if err != nil {
		return ExitInternal, err
	}
	root := lint.Root(cwd)
	active := cfg.Apply(rules.All())
	rep, err := lint.Run(lint.Options{
		Paths: paths, Base: *base, Staged: *staged, NoGit: *noGit, From: from, Backups: backups,
		MaxSize: *maxSize, Catalog: cat, Rules: active, Getenv: e.getenv, Config: cfg, Root: root, Baseline: known,
	})
	if err != nil {
		return ExitInput, err
	}
	if *writeBaseline != "" {
		if err := saveBaseline(*writeBaseline, rep); err != nil {
			return ExitInput, err
		}
	}
	sugg := remedy.Suggest(rep.Diagnostics, rep.Deployments, cat)
	remedy.Attach(rep.Diagnostics, sugg)
	all := rep.Diagnostics
	if *doFix || *doDiff {
		left := fixFindings(e, rep, sugg, *doDiff)
		switch {
		case *doFix:
			rep.Diagnostics = left
		case !set["f"] && !set["o"]:
			outs = nil // stdout is the patch: the rest goes to stderr
			for _, d := range left {
				fmt.Fprintln(e.stderr, format.Line(d, ruleName(d.Rule)))
			}
		}
	}
	run := format.Run{Compared: rep.Compared, Deployments: len(rep.Deployments), Suppressed: rep.Suppressed, Baselined: rep.Baselined,
		Root: root, Lines: rep.Lines, Category: *category, Version: Version()}
	for _, o := range outs {
		w, closeFn, err := openOutput(e, o.path)
		if err != nil {
			return ExitInput, err
		}
		r := run
		r.Color = o.format == "text" && o.path == "" && useColor(e, *color)
		err = format.Formats[o.format](w, active, rep.Diagnostics, &r)
		if cerr := closeFn(); err == nil {
			err = cerr
		}
		if err != nil {
			return ExitInternal, err
		}
	}
	summary := format.Summary(rep.Diagnostics, &run)
	if note := cat.StaleNote(time.Now()); note != "" {
		summary += "; " + note
	}
	fmt.Fprintf(e.stderr, "wvlint: %s\n", summary)
	for _, n := range rep.Notices {
		fmt.Fprintf(e.stderr, "%s: notice: %s\n", n.File, n.Message)
	}
	return exitCode(all, threshold), nil
}

// exitCode decides by rule ID: a file wvlint could not read or parse
// (WV9001, neither suppressed nor baselined) is exit 2 whatever else was
// found; then findings at or above the threshold are exit 1.
func exitCode(ds []diag.Diagnostic, threshold rules.Severity) int {
	code := ExitOK
	for _, d := range ds {
		if d.Rule == rules.ParseError.ID {
			return ExitInput
		}
		if d.Severity >= threshold {
			code = ExitFindings
		}
	}
	return code
}

func openOutput(e *env, path string) (io.Writer, func() error, error) {
	if path == "" || path == "-" {
		return e.stdout, func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, err
	}
	return f, f.Close, nil
}

type baselineFile struct {
	Version  int             `json:"version"`
	Findings []baselineEntry `json:"findings"`
}

type baselineEntry struct {
	Fingerprint string `json:"fingerprint"`
	Rule        string `json:"rule"`
	File        string `json:"file"`
	Message     string `json:"message"`
}

func readBaseline(path string) (map[string]bool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	var b baselineFile
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, fmt.Errorf("baseline %s: %w", path, err)
	}
	if b.Version != 1 {
		return nil, fmt.Errorf("baseline %s: unknown version %d", path, b.Version)
	}
	known := map[string]bool{}
	for _, f := range b.Findings {
		known[f.Fingerprint] = true
	}
	return known, nil
}

func saveBaseline(path string, rep *lint.Report) error {
	b := baselineFile{Version: 1, Findings: []baselineEntry{}}
	for _, f := range rep.Diagnostics {
		b.Findings = append(b.Findings, baselineEntry{f.Fingerprint, f.Rule, f.Span.File, f.Message})
	}
	sort.Slice(b.Findings, func(i, j int) bool { return b.Findings[i].Fingerprint < b.Findings[j].Fingerprint })
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
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

// ruleName is the name of the rule with an ID, "" for none.
func ruleName(id string) string {
	if r := rules.Lookup(id); r != nil {
		return r.Name
	}
	return ""
}
