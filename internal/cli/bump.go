package cli

import (
	"flag"
	"fmt"
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
	rel := catalogFlag(fs)
	paths, err := parse(fs, args)
	if err != nil {
		return ExitInput, err
	}
	if *planOnly && *diff {
		return ExitInput, usagef("--plan changes nothing and --diff prints the change: give one")
	}
	paths = pathArgs(paths)
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
	res, _ := lint.ScanTree(paths, *maxSize, cfg, cat)
	code := ExitOK
	for _, fe := range res.Errors {
		fmt.Fprintf(e.stderr, "%s: error: %s\n", format.Where(fe.File, fe.Line, 0), format.SafeText(fe.Message))
		code = ExitInput
	}
	m := edits{}
	seen := map[pos.Span]bool{}
	type line struct {
		text string
		edit *fix.Edit // the edit the line announces, if any
	}
	var lines []line
	for i := range res.Deployments {
		d := &res.Deployments[i]
		sp := d.Span()
		if seen[sp] {
			continue // another deployment takes its version from the same text
		}
		seen[sp] = true
		say := func(format string, args ...any) {
			lines = append(lines, line{text: fmt.Sprintf("%s: %s", sp, fmt.Sprintf(format, args...))})
		}
		v := d.Tag.Version
		if v == nil || (d.Tag.Kind != version.Release && d.Tag.Kind != version.Prerelease) {
			why := d.Reason
			if why == "" {
				why = "no release version"
			}
			say("not bumped: %s (wvlint --fix pins floating tags)", why)
			continue
		}
		if target.LessThan(v) {
			say("%s is already past %s: not bumped", v, target)
			continue
		}
		ladder, err := plan.Ladder(v, target, cat)
		if err != nil {
			say("not bumped: %v", err)
			continue
		}
		if len(ladder) == 0 {
			say("%s: already on %s", d.ID, target)
			continue
		}
		if *planOnly {
			say("%s: %s -> %s", d.ID, v, joinLadder(ladder))
			continue
		}
		ed, why, ok := remedy.Edit(d, ladder[0])
		if !ok {
			say("not bumped: %s", why)
			continue
		}
		m.add(ed)
		rest := "the last step"
		if len(ladder) > 1 {
			rest = "then " + joinLadder(ladder[1:])
		}
		verb := "bumped"
		if *diff {
			verb = "would bump"
		}
		say("%s %s: %s -> %s (%s)", verb, d.ID, v, ladder[0], rest)
		lines[len(lines)-1].edit = &ed
	}
	applied, problems := writeEdits(e, m, *diff, nil)
	out := e.stdout
	if *diff {
		out = e.stderr // stdout is the patch
	}
	moved := 0
	for _, l := range lines {
		if l.edit != nil {
			if !applied[*l.edit] {
				continue // its problem is told below
			}
			moved++
		}
		fmt.Fprintln(out, l.text)
	}
	for _, p := range problems {
		fmt.Fprintln(e.stderr, p)
		code = ExitInput
	}
	if moved == 0 && !*planOnly && code == ExitOK {
		fmt.Fprintf(e.stderr, "wvlint: nothing to bump toward %s\n", target)
	}
	return code, nil
}

func joinLadder(vs []*semver.Version) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = v.String()
	}
	return strings.Join(s, " -> ")
}
