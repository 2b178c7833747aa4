package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/wvlint/wvlint/internal/diag"
	"github.com/wvlint/wvlint/internal/format"
	"github.com/wvlint/wvlint/internal/lint"
	"github.com/wvlint/wvlint/internal/pos"
	"github.com/wvlint/wvlint/internal/preflight"
	"github.com/wvlint/wvlint/internal/relpath"
	"github.com/wvlint/wvlint/rules"
)

func runPreflight(e *env, args []string) (int, error) {
	fs := flag.NewFlagSet("preflight", flag.ContinueOnError)
	flags := preflight.AddFlags(fs)
	fmtName := fs.String("f", "text", "output format: text, json or github")
	failOn := fs.String("fail-on", "warning", "exit 1 when a finding is at or above this severity: note, warning or error")
	wait := fs.Duration("wait", 0, "poll until the checks pass or this long has passed (e.g. 5m)")
	cfgPath := fs.String("config", "", "configuration: its rules: turn live rules off or re-grade them (default: .wvlint.yaml found upward)")
	rel := catalogFlag(fs)
	posArgs, err := parse(fs, args)
	if err != nil {
		return ExitInput, err
	}
	if len(posArgs) == 0 {
		return ExitInput, usagef("preflight needs the server's URL, e.g. wvlint preflight http://localhost:8080")
	}
	paths := posArgs[1:]
	if len(paths) > 0 && flags.Nodes > 0 {
		return ExitInput, usagef("--nodes and the files both say how many nodes the cluster has: give one of them")
	}
	if err := checkFormat(*fmtName, "text", "json", "github"); err != nil {
		return ExitInput, err
	}
	sev, err := rules.ParseSeverity(*failOn)
	if err != nil {
		return ExitInput, usagef("--fail-on: %v", err)
	}
	if *wait < 0 {
		return ExitInput, usagef("--wait must not be negative")
	}
	cfgFrom := e.dir
	if len(paths) > 0 {
		paths = pathArgs(e.dir, paths)
		cfgFrom = paths[0]
	}
	cfg, err := loadConfig(*cfgPath, cfgFrom)
	if err != nil {
		return ExitInput, err
	}
	explicit := false
	fs.Visit(func(fl *flag.Flag) { explicit = explicit || fl.Name == "fail-on" })
	if !explicit && cfg != nil && cfg.FailOn != nil {
		sev = *cfg.FailOn
	}
	cat, err := loadCatalog(e, *rel)
	if err != nil {
		return ExitInput, err
	}
	opt, err := flags.Options(posArgs[0], e.getenv, cat, nil)
	if err != nil {
		return ExitInput, usagef("%v", err)
	}
	opt.Config = cfg
	filesUnread := false
	if len(paths) > 0 {
		// The files say how many nodes the cluster has (and where it
		// runs): read like `wvlint inventory` reads them, no network.
		scan, _ := lint.ScanTree(paths, relpath.Root(e.dir), defaultMaxSize, cfg, cat)
		for _, fe := range scan.Errors {
			fmt.Fprintf(e.stderr, "%s: error: %s\n", format.Where(fe.File, fe.Line, 0), format.SafeText(fe.Message))
		}
		filesUnread = len(scan.Errors) > 0
		decl, err := preflight.FromFiles(scan.Deployments)
		if err != nil {
			return ExitInput, usagef("%s: %v", format.SafeName(strings.Join(paths, " ")), err)
		}
		opt.Nodes, opt.NodesFrom = decl.Nodes, decl.NodesFrom
		if opt.Platform == "" {
			opt.Platform = decl.Platform
		}
	}
	var res *preflight.Result
	if *wait > 0 {
		p := newProgress(e.stderr, opt.Client.Base().String(), *wait)
		res = preflight.Wait(context.Background(), opt, *wait, sev, p.update)
		p.done()
	} else {
		res = preflight.Check(context.Background(), opt)
	}
	switch *fmtName {
	case "json":
		if err := preflight.JSON(e.stdout, res, sev); err != nil {
			return ExitInternal, err
		}
	case "github":
		// A live finding has no file: the annotation names the endpoint in
		// its message and shows on the run, not on a line.
		ds := make([]diag.Diagnostic, len(res.Findings))
		for i, d := range res.Findings {
			d.Message = d.Span.File + ": " + d.Message
			d.Span = pos.Span{}
			ds[i] = d
		}
		if err := format.GitHub(e.stdout, rules.All(), ds, &format.Run{}); err != nil {
			return ExitInternal, err
		}
		fmt.Fprintln(e.stderr, res.Summary(sev))
	default:
		preflight.Text(e.stdout, res, sev)
	}
	if len(res.Cluster.Unread) > 0 || filesUnread {
		return ExitInput, nil // the server (or a file) could not be read: as lint's unreadable input
	}
	if res.Failed(sev) {
		return ExitFindings, nil
	}
	return ExitOK, nil
}

// progress shows --wait's attempts: one line rewritten in place on a
// terminal, a line per attempt otherwise (CI logs).
type progress struct {
	w        io.Writer
	terminal bool
	url      string
	deadline time.Time
	shown    bool
}

func newProgress(w io.Writer, url string, wait time.Duration) *progress {
	p := &progress{w: w, url: url, deadline: time.Now().Add(wait)}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.terminal = true
		}
	}
	return p
}

func (p *progress) update(r *preflight.Result, next time.Duration) {
	why := "not passing yet"
	for _, f := range r.Findings {
		if f.Severity == rules.Error || why == "not passing yet" {
			why = f.Rule + " " + f.Message
			if f.Severity == rules.Error {
				break
			}
		}
	}
	if r := []rune(why); len(r) > 90 {
		why = string(r[:89]) + "…"
	}
	left := time.Until(p.deadline).Round(time.Second)
	line := fmt.Sprintf("waiting for %s: attempt %d: %s; again in %s, %s left", p.url, r.Attempts, why, next.Round(time.Second), left)
	if p.terminal {
		fmt.Fprintf(p.w, "\r\x1b[2K%s", line)
		p.shown = true
		return
	}
	fmt.Fprintln(p.w, line)
}

func (p *progress) done() {
	if p.terminal && p.shown {
		fmt.Fprint(p.w, "\r\x1b[2K")
	}
}
