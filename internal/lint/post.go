package lint

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/wvlint/wvlint/internal/diag"
	"github.com/wvlint/wvlint/internal/directive"
	"github.com/wvlint/wvlint/internal/inventory"
	"github.com/wvlint/wvlint/internal/pos"
	"github.com/wvlint/wvlint/internal/relpath"
	"github.com/wvlint/wvlint/rules"
)

// sources reads files once for directives, fingerprints and excerpts.
// It starts from the line indexes the scan held (inventory.Result.Lines):
// those files are not read again.
type sources struct {
	fs    inventory.FS
	lines map[string]*pos.Lines
	dirs  map[string][]*directive.Directive
}

func newSources(fs inventory.FS, held map[string]*pos.Lines) *sources {
	if held == nil {
		held = map[string]*pos.Lines{}
	}
	return &sources{fs: fs, lines: held}
}

// directives are a file's wvlint comments, parsed once.
func (s *sources) directives(file string) []*directive.Directive {
	if ds, ok := s.dirs[file]; ok {
		return ds
	}
	var ds []*directive.Directive
	if l := s.get(file); l != nil {
		ds = directive.Parse(file, l)
	}
	if s.dirs == nil {
		s.dirs = map[string][]*directive.Directive{}
	}
	s.dirs[file] = ds
	return ds
}

func (s *sources) get(file string) *pos.Lines {
	if l, ok := s.lines[file]; ok {
		return l
	}
	var l *pos.Lines
	if data, err := s.fs.ReadFile(file); err == nil {
		l = pos.NewLines(data)
	}
	s.lines[file] = l
	return l
}

// postprocess applies the config's severities, inline suppressions,
// fingerprints and the baseline, in that order, to the loader's
// diagnostics and the rules' alike.
func postprocess(opt Options, src *sources, deps []inventory.Deployment, loaded, found []diag.Diagnostic, rep *Report) []diag.Diagnostic {
	all := configure(opt, loaded, found)
	ev := &engineReport{opt: opt}
	valid := ev.checkSuppressions(ignoreDirectives(src, deps, all))
	loadKept, foundKept := suppress(all, valid, rep)
	for _, d := range valid {
		if !d.Used {
			ev.report(rules.UnusedSuppression, d.Span, "wvlint:ignore %s matches no finding on line %d; remove it", strings.Join(d.Rules, ","), d.Target)
		}
	}
	all = slices.Concat(loadKept, diag.Dedupe(append(foundKept, ev.extra...)))
	fingerprint(opt.Root, opt.Dir, src, all)
	all, rep.Baselined = opt.Baseline.Filter(all)
	return all
}

// configure drops the rules' diagnostics in ignored files (the loader read
// none of those) and applies the config's severities.
func configure(opt Options, loaded, found []diag.Diagnostic) []diag.Diagnostic {
	all := append([]diag.Diagnostic(nil), loaded...)
	for _, f := range found {
		if !opt.Config.Ignored(f.Span.File) {
			all = append(all, f)
		}
	}
	for i := range all {
		if r := rules.Lookup(all[i].Rule); r != nil {
			all[i].Severity = opt.Config.Severity(r, all[i].Severity)
		}
	}
	return all
}

// ignoreDirectives are the wvlint:ignore comments of the files deployments
// are read from and the files diagnostics are about.
func ignoreDirectives(src *sources, deps []inventory.Deployment, ds []diag.Diagnostic) []*directive.Directive {
	files := map[string]bool{}
	for _, d := range deps {
		files[d.File] = true
		for _, in := range d.Inputs {
			files[in] = true
		}
	}
	for _, f := range ds {
		files[f.Span.File] = true
	}
	var out []*directive.Directive
	for file := range files {
		out = append(out, directive.Of(src.directives(file), directive.Ignore)...)
	}
	return out
}

// engineReport collects the engine's own diagnostics (WV9002, WV9003),
// for the rules the run has on.
type engineReport struct {
	opt   Options
	extra []diag.Diagnostic
}

func (e *engineReport) report(r *rules.Rule, sp pos.Span, format string, args ...any) {
	for _, on := range e.opt.Rules {
		if on.ID == r.ID {
			e.extra = append(e.extra, diag.Diagnostic{Rule: r.ID, Severity: e.opt.Config.Severity(r, r.Severity), Span: sp, Message: fmt.Sprintf(format, args...)})
			return
		}
	}
}

// checkSuppressions reports malformed directives (WV9002) and returns the
// valid ones.
func (e *engineReport) checkSuppressions(ds []*directive.Directive) []*directive.Directive {
	var valid []*directive.Directive
	for _, d := range ds {
		switch {
		case len(d.Rules) == 0:
			e.report(rules.MalformedSuppression, d.Span, "wvlint:ignore names no rule; write \"# wvlint:ignore WV1002 <reason>\"")
			continue
		case d.Reason == "":
			e.report(rules.MalformedSuppression, d.Span, "wvlint:ignore %s gives no reason; add one after the rule", strings.Join(d.Rules, ","))
			continue
		}
		ok := true
		for _, r := range d.Rules {
			if rules.Lookup(r) == nil {
				e.report(rules.MalformedSuppression, d.Span, "wvlint:ignore names unknown rule %q", r)
				ok = false
			}
		}
		if ok {
			valid = append(valid, d)
		}
	}
	return valid
}

// suppress drops the diagnostics a valid directive covers (marking it
// used) and splits the rest into the loader's and the others.
func suppress(all []diag.Diagnostic, valid []*directive.Directive, rep *Report) (loaded, found []diag.Diagnostic) {
	for _, f := range all {
		silenced := false
		name := ""
		if r := rules.Lookup(f.Rule); r != nil {
			name = r.Name
		}
		for _, d := range valid {
			if d.Span.File == f.Span.File && d.Covers(f.Rule, name, f.Span.Line) {
				d.Used, silenced = true, true
			}
		}
		switch {
		case silenced:
			rep.Suppressed++
		case f.Rule == rules.ParseError.ID:
			loaded = append(loaded, f)
		default:
			found = append(found, f)
		}
	}
	return loaded, found
}

// fingerprint gives each diagnostic a hash of its rule, file (relative to
// the repository root) and the text of its line, with a counter for
// identical lines: inserting lines elsewhere in the file does not change
// it.
func fingerprint(root, dir string, src *sources, ds []diag.Diagnostic) {
	seen := map[string]int{}
	names := relpath.NewNames(root, dir)
	for i := range ds {
		f := &ds[i]
		text := ""
		if l := src.get(f.Span.File); l != nil && f.Span.Line > 0 {
			text = strings.Join(strings.Fields(l.Line(f.Span.Line)), " ")
		}
		h := sha256.Sum256([]byte(f.Rule + "\x00" + names.Display(f.Span.File) + "\x00" + text))
		key := hex.EncodeToString(h[:8])
		seen[key]++
		f.Fingerprint = fmt.Sprintf("%s:%d", key, seen[key])
	}
}
