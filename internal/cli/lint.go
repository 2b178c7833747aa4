package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/Masterminds/semver/v3"

	"github.com/wvlint/wvlint/internal/baseline"
	"github.com/wvlint/wvlint/internal/catalog"
	"github.com/wvlint/wvlint/internal/compare"
	"github.com/wvlint/wvlint/internal/config"
	"github.com/wvlint/wvlint/internal/diag"
	"github.com/wvlint/wvlint/internal/directive"
	"github.com/wvlint/wvlint/internal/format"
	"github.com/wvlint/wvlint/internal/gitrev"
	"github.com/wvlint/wvlint/internal/inventory"
	"github.com/wvlint/wvlint/internal/lint"
	"github.com/wvlint/wvlint/internal/preflight"
	"github.com/wvlint/wvlint/internal/relpath"
	"github.com/wvlint/wvlint/internal/remedy"
	"github.com/wvlint/wvlint/internal/weaviateapi"
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

// lintFlags are the lint command's flags.
type lintFlags struct {
	outs                                    outputs
	failOn, base, color, configPath         string
	category, baseline, writeBaseline, rels string
	live, apiKeyFile, caFile                string
	staged, noGit, fix, diff                bool
	maxSize                                 int64
	from, backups                           multi
	set                                     map[string]bool // flags given explicitly
	paths                                   []string
}

// lintFlagSet defines the lint command's flags into f; --help lists them
// from here, so the help cannot leave one out.
func lintFlagSet(f *lintFlags) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet("wvlint", flag.ContinueOnError)
	fs.Var(formatFlag{&f.outs}, "f", "output format: text, json, sarif or github (repeatable, each with its own -o)")
	fs.Var(outFlag{&f.outs}, "o", "write the preceding -f format to this file")
	fs.StringVar(&f.failOn, "fail-on", "warning", "exit 1 when a finding is at or above this severity: note, warning or error")
	fs.StringVar(&f.base, "base", "", "compare with the deployments at this git revision")
	fs.BoolVar(&f.staged, "staged", false, "compare the git index (not the work tree) with HEAD")
	fs.BoolVar(&f.noGit, "no-git", false, "do not compare with any git revision")
	fs.StringVar(&f.color, "color", "auto", "color the text output: auto, always or never")
	fs.Int64Var(&f.maxSize, "max-file-size", defaultMaxSize, "skip files larger than this many bytes")
	fs.StringVar(&f.configPath, "config", "", "configuration file (default: .wvlint.yaml found upward from the first path)")
	fs.StringVar(&f.category, "category", "", "SARIF run category (GitHub code scanning), e.g. wvlint/deploy")
	fs.StringVar(&f.baseline, "baseline", "", "leave out findings recorded in this baseline file")
	fs.StringVar(&f.writeBaseline, "write-baseline", "", "record the current findings in this baseline file")
	fs.Var(&f.from, "from", "the version running now: VERSION for every deployment, or ID=VERSION (repeatable)")
	fs.StringVar(&f.live, "live", "", "what runs now is what the Weaviate cluster at this URL runs (its REST API; API key from $WEAVIATE_API_KEY or --api-key-file)")
	fs.StringVar(&f.apiKeyFile, "api-key-file", "", "with --live: file holding the API key or bearer token")
	fs.StringVar(&f.caFile, "ca-file", "", "with --live: PEM certificate authorities to trust for https")
	fs.Var(&f.backups, "backup", "a backup taken before this upgrade: BACKEND/ID (repeatable; every one counts)")
	fs.BoolVar(&f.fix, "fix", false, "write the fixes of fixable findings into the files")
	fs.BoolVar(&f.diff, "diff", false, "print the fixes as a unified diff (patch -p1) instead of writing them")
	return fs, catalogFlag(fs)
}

func parseLintFlags(dir string, args []string) (*lintFlags, error) {
	f := &lintFlags{set: map[string]bool{}}
	fs, rel := lintFlagSet(f)
	paths, err := parse(fs, args)
	if err != nil {
		return nil, err
	}
	f.rels = *rel
	fs.Visit(func(fl *flag.Flag) { f.set[fl.Name] = true })
	if len(f.outs) == 0 {
		f.outs = outputs{{format: "text"}}
	}
	if f.color != "auto" && f.color != "always" && f.color != "never" {
		return nil, usagef("--color must be auto, always or never")
	}
	if f.fix && f.diff {
		return nil, usagef("--fix writes the fixes and --diff prints them: give one")
	}
	if f.base != "" && len(f.from) > 0 {
		return nil, usagef("--base and --from both say what runs now: give one")
	}
	if f.live != "" && (f.base != "" || len(f.from) > 0 || f.staged || f.noGit) {
		return nil, usagef("--live says what runs now: give it without --base, --from, --staged or --no-git")
	}
	if f.live == "" && (f.apiKeyFile != "" || f.caFile != "") {
		return nil, usagef("--api-key-file and --ca-file go with --live URL")
	}
	for _, b := range f.backups {
		if !directive.ValidBackup(b) {
			return nil, usagef("--backup %q: want BACKEND/ID, the backup module and the backup's ID (s3/nightly-42)", b)
		}
	}
	var onStdout []string
	for _, o := range f.outs {
		if o.path == "" || o.path == "-" {
			onStdout = append(onStdout, o.format)
		}
	}
	if len(onStdout) > 1 {
		return nil, usagef("-f %s all write to standard output: give each but one its own -o FILE", strings.Join(onStdout, ", -f "))
	}
	paths = pathArgs(dir, paths)
	f.paths = paths
	return f, nil
}

// lintSetup is everything a run needs besides the flags: all of it the
// user's input, so its errors exit 2.
type lintSetup struct {
	cfg       *config.Config
	threshold rules.Severity
	opt       lint.Options
}

func setupLint(e *env, f *lintFlags) (*lintSetup, error) {
	s := &lintSetup{}
	// Finding the repository is a git process, and reading blobs from it
	// another: both start while the configuration and the catalog are
	// read. A run that does not read from git ends the reader.
	var repo func() (*gitrev.Repo, bool)
	if !f.noGit && len(f.from) == 0 && f.live == "" {
		repo = openRepo(e.dir)
		defer func() {
			if r, ok := repo(); ok && (s.opt.Target.Repo != r || s.opt.Target.From()) {
				r.CloseAdopted()
			}
		}()
	}
	var err error
	if s.cfg, err = loadConfig(f.configPath, f.paths[0]); err != nil {
		return nil, err
	}
	if s.threshold, err = rules.ParseSeverity(f.failOn); err != nil {
		return nil, usagef("--fail-on: %v", err)
	}
	if !f.set["fail-on"] && s.cfg != nil && s.cfg.FailOn != nil {
		s.threshold = *s.cfg.FailOn
	}
	cat, err := loadCatalog(e, f.rels)
	if err != nil {
		return nil, err
	}
	var known baseline.Set
	if f.baseline != "" {
		if known, err = baseline.Read(f.baseline); err != nil {
			return nil, err
		}
	}
	req := compare.Request{Dir: e.dir, Repo: repo, Base: f.base, Staged: f.staged, NoGit: f.noGit, From: f.from, Getenv: e.getenv}
	if f.live != "" {
		if req.Live, err = readLive(e, f); err != nil {
			return nil, err
		}
	}
	if s.cfg != nil {
		req.Deployed, req.DeployedWhere = s.cfg.Deployed, s.cfg.Path
	}
	target, err := compare.Resolve(req)
	if err != nil {
		return nil, err
	}
	s.opt = lint.Options{Paths: f.paths, Dir: e.dir, Target: target, Backups: f.backups, MaxSize: f.maxSize, Catalog: cat,
		Rules: s.cfg.Apply(rules.All()), Config: s.cfg, Root: relpath.RepoRoot(e.dir, target.Repo), Baseline: known}
	return s, nil
}

// openRepo opens the repository containing dir, and starts the blob
// reader the run will want from it, on goroutines of their own; it
// returns the wait for both. Outside a repository the reader is ended.
func openRepo(dir string) func() (*gitrev.Repo, bool) {
	var repo *gitrev.Repo
	var ok bool
	done := make(chan struct{})
	go func() {
		defer close(done)
		batch := make(chan *gitrev.Batch, 1)
		go func() {
			b, err := gitrev.StartBatch(dir)
			if err != nil {
				b = nil // NewBatch starts one again, and says why it cannot
			}
			batch <- b
		}()
		if repo, ok = gitrev.Open(dir); ok {
			repo.Adopt(batch)
		} else {
			gitrev.CloseWhenStarted(batch)
		}
	}()
	return func() (*gitrev.Repo, bool) {
		<-done
		return repo, ok
	}
}

// runEngine is the engine; tests replace it to make it fail.
var runEngine = lint.Run

func runLint(e *env, args []string) (int, error) {
	f, err := parseLintFlags(e.dir, args)
	if err != nil {
		return ExitInput, err
	}
	s, err := setupLint(e, f)
	if err != nil {
		writeFailedSARIF(e, f, err)
		return ExitInput, err
	}
	rep, err := runEngine(s.opt)
	if err != nil {
		writeFailedSARIF(e, f, err)
		return ExitInternal, err
	}
	if err := checkFromIDs(s.opt.Target.FromID, rep.Deployments); err != nil {
		writeFailedSARIF(e, f, err)
		return ExitInput, err
	}
	if f.writeBaseline != "" {
		if err := baseline.Write(f.writeBaseline, rep.Diagnostics); err != nil {
			return ExitInput, err
		}
	}
	sugg := suggest(rep, s.opt.Catalog)
	all := rep.Diagnostics
	if f.fix || f.diff {
		if rep, sugg, all, err = applyFixes(e, f, s, rep, sugg); err != nil {
			writeFailedSARIF(e, f, err)
			return ExitInternal, err
		}
	}
	run := format.Run{Compared: rep.Compared, Deployments: len(rep.Deployments), Suppressed: rep.Suppressed, Baselined: rep.Baselined,
		Root: s.opt.Root, Dir: e.dir, Lines: rep.Lines, Category: f.category, Version: Version()}
	if code, err := writeOutputs(e, f, s.opt.Rules, rep, run); err != nil {
		return code, err
	}
	summary := format.Summary(rep.Diagnostics, &run)
	if note := s.opt.Catalog.StaleNote(time.Now()); note != "" {
		summary += "; " + note
	}
	fmt.Fprintf(e.stderr, "wvlint: %s\n", format.SafeText(summary))
	if n := countFixes(sugg); n > 0 && !f.fix && !f.diff {
		fmt.Fprintf(e.stderr, "wvlint: %d fixable with --fix (--diff shows the patch)\n", n)
	}
	return exitCode(all, s.threshold), nil
}

// suggest attaches the fixes remedy finds to the report's diagnostics.
func suggest(rep *lint.Report, cat *catalog.Catalog) []remedy.Suggestion {
	sugg := remedy.Suggest(rep.Diagnostics, rep.Deployments, cat)
	remedy.Attach(rep.Diagnostics, sugg)
	return sugg
}

// applyFixes writes the fixes (--fix) or prints them as a patch (--diff).
// It returns the report to write with its fixes, and the diagnostics the
// exit code is decided by: after --fix, those of the files as it left
// them; its error is the engine's, run again.
func applyFixes(e *env, f *lintFlags, s *lintSetup, rep *lint.Report, sugg []remedy.Suggestion) (*lint.Report, []remedy.Suggestion, []diag.Diagnostic, error) {
	all := rep.Diagnostics
	left := fixFindings(e, rep, sugg, f.diff)
	switch {
	case f.fix && !f.staged && len(left) < len(rep.Diagnostics):
		// The report is about the files as --fix left them, as the
		// next run will see them (under --staged the index still holds
		// what was fixed: the hook fails and the user re-stages).
		fixed, err := runEngine(s.opt)
		if err != nil {
			return nil, nil, nil, err
		}
		return fixed, suggest(fixed, s.opt.Catalog), fixed.Diagnostics, nil
	case f.fix:
		rep.Diagnostics = left
	case !f.set["f"] && !f.set["o"]:
		f.outs = nil // stdout is the patch: the rest goes to stderr
		for _, d := range left {
			fmt.Fprintln(e.stderr, format.Line(d, ruleName(d.Rule)))
		}
	}
	return rep, sugg, all, nil
}

// writeFailedSARIF writes each SARIF output asked for when the run stopped
// before it could check the files: no results, the invocation failed, and
// the problem as a tool notification. The upload step of a CI job then
// shows why instead of failing a second time on a missing file.
func writeFailedSARIF(e *env, f *lintFlags, problem error) {
	for _, o := range f.outs {
		if o.format != "sarif" {
			continue
		}
		w, closeFn, err := openOutput(e, o.path)
		if err != nil {
			fmt.Fprintf(e.stderr, "wvlint: %v\n", err)
			continue
		}
		run := format.Run{Root: relpath.Root(e.dir), Category: f.category, Version: Version(), Problems: []string{problem.Error()}}
		err = format.SARIF(w, rules.All(), nil, &run)
		if cerr := closeFn(); err == nil {
			err = cerr
		}
		if err != nil {
			fmt.Fprintf(e.stderr, "wvlint: %s: %v\n", o.path, err)
		}
	}
}

// checkFromIDs refuses --from ID=VERSION for an ID that names no
// deployment: a typo would otherwise compare nothing while the summary says
// "compared with the versions given by --from".
func checkFromIDs(fromID map[string]*semver.Version, ds []inventory.Deployment) error {
	have := map[string]bool{}
	var ids []string
	for _, d := range ds {
		if !have[d.ID] {
			have[d.ID] = true
			ids = append(ids, d.ID)
		}
	}
	var unknown []string
	for id := range fromID {
		if !have[id] {
			unknown = append(unknown, id)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	sort.Strings(unknown)
	sort.Strings(ids)
	found := "no deployment was found"
	if len(ids) > 0 {
		quoted := make([]string, len(ids))
		for i, id := range ids {
			quoted[i] = "  " + strconv.Quote(id)
		}
		found = "the deployments found are (wvlint inventory lists them):\n" + strings.Join(quoted, "\n")
	}
	return usagef("--from: no deployment has the ID %s; %s", strings.Join(quoteAll(unknown), ", "), found)
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strconv.Quote(s)
	}
	return out
}

// writeOutputs writes every -f/-o pair. A file that cannot be created is
// the user's (exit 2); a failed write is an internal failure (exit 3).
func writeOutputs(e *env, f *lintFlags, active []*rules.Rule, rep *lint.Report, run format.Run) (int, error) {
	for _, o := range f.outs {
		w, closeFn, err := openOutput(e, o.path)
		if err != nil {
			return ExitInput, err
		}
		r := run
		r.Color = o.format == "text" && o.path == "" && useColor(e, f.color)
		err = format.Formats[o.format](w, active, rep.Diagnostics, &r)
		if cerr := closeFn(); err == nil {
			err = cerr
		}
		if err != nil {
			return ExitInternal, err
		}
	}
	return ExitOK, nil
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

func useColor(e *env, mode string) bool {
	switch mode {
	case "always":
		return true
	case "never":
		return false
	}
	if e.getenv("NO_COLOR") != "" || e.getenv("TERM") == "dumb" {
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

// readLive reads what the cluster named by --live runs: the only network
// access of a lint run, and only when asked for.
func readLive(e *env, f *lintFlags) (*compare.Live, error) {
	u, err := weaviateapi.ParseURL(f.live)
	if err != nil {
		return nil, usagef("--live: %v", err)
	}
	cl, err := preflight.NewClient(u, e.getenv, f.apiKeyFile, f.caFile, 10*time.Second, nil)
	if err != nil {
		return nil, usagef("%v", err)
	}
	if w := cl.PlainHTTPWarning(); w != "" {
		fmt.Fprintf(e.stderr, "wvlint: warning: %s [%s %s]\n", w, rules.PlainHTTP.ID, rules.PlainHTTP.Name)
	}
	l, err := preflight.Running(context.Background(), cl)
	if err != nil {
		return nil, fmt.Errorf("--live %s: %w", weaviateapi.Redacted(u), err)
	}
	return l, nil
}
