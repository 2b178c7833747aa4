package cli

import (
	"bytes"
	"flag"
	"fmt"
	"github.com/wvlint/wvlint/internal/relpath"
	"strings"

	"github.com/Masterminds/semver/v3"

	"github.com/wvlint/wvlint/internal/fix"
	"github.com/wvlint/wvlint/internal/format"
	"github.com/wvlint/wvlint/internal/lint"
	"github.com/wvlint/wvlint/internal/plan"
	"github.com/wvlint/wvlint/internal/pos"
	"github.com/wvlint/wvlint/internal/remedy"
	"github.com/wvlint/wvlint/internal/version"
)

// runBump moves every deployment one rung up its ladder: to the latest
// patch of its minor, else to the latest patch of the next minor, toward
// the newest release or --to. Repeated runs walk the whole path, one
// reviewable change each.
func runBump(e *env, args []string) (int, error) {
	fs := flag.NewFlagSet("bump", flag.ContinueOnError)
	to := fs.String("to", "", "the version to climb to: 1.30.5, or 1.30 for its latest patch (default: the newest release)")
	planOnly := fs.Bool("plan", false, "print each deployment's ladder; change nothing")
	diff := fs.Bool("diff", false, "print the change as a unified diff (patch -p1) instead of writing it")
	maxSize := fs.Int64("max-file-size", defaultMaxSize, "skip files larger than this many bytes")
	configPath := fs.String("config", "", "configuration file (default: .wvlint.yaml found upward from the first path)")
	outFormat := fs.String("f", "text", "output format: text or json (each deployment: from, to, the edits, the rungs left)")
	rel := catalogFlag(fs)
	paths, err := parse(fs, args)
	if err != nil {
		return ExitInput, err
	}
	if err := checkFormat(*outFormat, "text", "json"); err != nil {
		return ExitInput, err
	}
	if *planOnly && *diff {
		return ExitInput, usagef("--plan changes nothing and --diff prints the change: give one")
	}
	paths = pathArgs(e.dir, paths)
	cfg, err := loadConfig(*configPath, paths[0])
	if err != nil {
		return ExitInput, err
	}
	cat, err := loadCatalog(e, *rel)
	if err != nil {
		return ExitInput, err
	}
	target := plan.NewestRelease(cat)
	if *to != "" {
		if target, err = plan.ParseTarget(*to, cat); err != nil {
			return ExitInput, usagef("--to: %v", err)
		}
	}
	res, _ := lint.ScanTree(paths, relpath.Root(e.dir), *maxSize, cfg, cat)
	code := ExitOK
	for _, fe := range res.Errors {
		fmt.Fprintf(e.stderr, "%s: error: %s\n", format.Where(fe.File, fe.Line, 0), format.SafeText(fe.Message))
		code = ExitInput
	}
	m := edits{}
	var entries []*bumpEntry
	bySpan := map[pos.Span]*bumpEntry{}
	for i := range res.Deployments {
		d := &res.Deployments[i]
		sp := d.Span()
		en := &bumpEntry{ID: d.ID, File: sp.File, Line: sp.Line, Column: sp.Col, Ladder: []string{}, Edits: []format.JSONEdit{}}
		entries = append(entries, en)
		if first := bySpan[sp]; first != nil {
			// Another deployment takes its version from the same text: the
			// same step, told once in text.
			en.copyStep(first)
			continue
		}
		bySpan[sp] = en
		en.printed = true
		say := func(status, format string, args ...any) {
			en.Status = status
			en.text = fmt.Sprintf("%s: %s", sp, fmt.Sprintf(format, args...))
		}
		v := d.Tag.Version
		if v == nil || (d.Tag.Kind != version.Release && d.Tag.Kind != version.Prerelease) {
			why := d.Reason
			if why == "" {
				why = "no release version"
			}
			en.Reason = why + " (wvlint --fix pins floating tags)"
			say("not-bumped", "not bumped: %s", en.Reason)
			continue
		}
		en.From = v.String()
		if target.LessThan(v) {
			say("past-target", "%s is already past %s: not bumped", v, target)
			continue
		}
		ladder, err := plan.Ladder(v, target, cat)
		if err != nil {
			en.Reason = err.Error()
			say("not-bumped", "not bumped: %v", err)
			continue
		}
		if len(ladder) == 0 {
			en.To = v.String()
			say("on-target", "%s: already on %s", d.ID, target)
			continue
		}
		en.To = ladder[0].String()
		for _, r := range ladder[1:] {
			en.Ladder = append(en.Ladder, r.String())
		}
		if *planOnly {
			say("planned", "%s: %s -> %s", d.ID, v, joinLadder(ladder))
			continue
		}
		ed, why, ok := remedy.Edit(d, ladder[0])
		if !ok {
			en.Reason = why
			say("not-bumped", "not bumped: %s", why)
			continue
		}
		m.add(ed)
		rest := "the last step"
		if len(ladder) > 1 {
			rest = "then " + joinLadder(ladder[1:])
		}
		status, verb := "bumped", "bumped"
		if *diff {
			status, verb = "would-bump", "would bump"
		}
		say(status, "%s %s: %s -> %s (%s)", verb, d.ID, v, ladder[0], rest)
		en.edit = &ed
		en.Edits = append(en.Edits, jsonEdit(ed))
	}
	// With -f json, a --diff patch goes into the JSON, not beside it.
	var patch bytes.Buffer
	we := e
	if *outFormat == "json" && *diff {
		c := *e
		c.stdout = &patch
		we = &c
	}
	applied, problems := writeEdits(we, m, *diff, nil)
	moved := 0
	for _, en := range entries {
		if en.edit != nil && !applied[*en.edit] {
			en.Status, en.Reason, en.Edits = "not-bumped", "the edit could not be made: see problems", []format.JSONEdit{}
			en.unapplied = true
		}
		if en.src != nil {
			en.copyStep(en.src)
		}
		if en.printed && en.edit != nil && !en.unapplied {
			moved++
		}
	}
	for _, p := range problems {
		fmt.Fprintln(e.stderr, p)
		code = ExitInput
	}
	if *outFormat == "json" {
		out := bumpReport{Version: 1, Target: target.String(), Mode: "write", Deployments: []bumpEntry{}, Errors: []format.JSONError{}, Problems: problems}
		switch {
		case *planOnly:
			out.Mode = "plan"
		case *diff:
			out.Mode, out.Diff = "diff", patch.String()
		}
		if out.Problems == nil {
			out.Problems = []string{}
		}
		for _, fe := range res.Errors {
			out.Errors = append(out.Errors, format.JSONError{File: fe.File, Line: fe.Line, Message: fe.Message})
		}
		for _, en := range entries {
			out.Deployments = append(out.Deployments, *en)
		}
		if err := writeJSON(e.stdout, out); err != nil {
			return ExitInternal, err
		}
	} else {
		out := e.stdout
		if *diff {
			out = e.stderr // stdout is the patch
		}
		for _, en := range entries {
			if en.printed && !en.unapplied { // an unapplied edit's problem is told above
				fmt.Fprintln(out, en.text)
			}
		}
	}
	if moved == 0 && !*planOnly && code == ExitOK {
		fmt.Fprintf(e.stderr, "wvlint: nothing to bump toward %s\n", target)
	}
	return code, nil
}

// bumpReport is the JSON output of wvlint bump (version 1).
type bumpReport struct {
	Version     int                `json:"version"`
	Target      string             `json:"target"`
	Mode        string             `json:"mode"` // write, diff or plan
	Deployments []bumpEntry        `json:"deployments"`
	Diff        string             `json:"diff,omitempty"` // with --diff: the patch for patch -p1
	Errors      []format.JSONError `json:"errors"`         // files that could not be read
	Problems    []string           `json:"problems"`       // edits that could not be made
}

// bumpEntry is one deployment's step: from where, to which rung, the
// edits that write it, and the rungs left after it.
type bumpEntry struct {
	ID     string `json:"id"`
	File   string `json:"file"` // where its version is written
	Line   int    `json:"line"`
	Column int    `json:"column"`
	// Status: bumped, would-bump (--diff), planned (--plan), on-target,
	// past-target or not-bumped (Reason says why).
	Status string            `json:"status"`
	From   string            `json:"from,omitempty"`
	To     string            `json:"to,omitempty"`
	Ladder []string          `json:"ladder"` // the rungs after To
	Edits  []format.JSONEdit `json:"edits"`
	Reason string            `json:"reason,omitempty"`

	text      string
	edit      *fix.Edit
	printed   bool       // the first deployment at its span: told in text
	unapplied bool       // its edit could not be made
	src       *bumpEntry // the entry whose step this one shares
}

// copyStep makes en share the step of the deployment that owns its
// version text.
func (en *bumpEntry) copyStep(from *bumpEntry) {
	en.src = from
	en.Status, en.From, en.To, en.Reason = from.Status, from.From, from.To, from.Reason
	en.Ladder, en.Edits = from.Ladder, from.Edits
}

func jsonEdit(ed fix.Edit) format.JSONEdit {
	return format.JSONEdit{File: ed.Span.File, Line: ed.Span.Line, Column: ed.Span.Col, EndColumn: ed.Span.EndCol, New: ed.New}
}

func joinLadder(vs []*semver.Version) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = v.String()
	}
	return strings.Join(s, " -> ")
}
