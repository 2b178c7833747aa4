package lint

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/wvlint/wvlint/internal/diag"
	"github.com/wvlint/wvlint/internal/directive"
	"github.com/wvlint/wvlint/internal/inventory"
	"github.com/wvlint/wvlint/internal/pos"
	"github.com/wvlint/wvlint/internal/relpath"
	"github.com/wvlint/wvlint/rules"
)

// sources reads files once for directives, fingerprints and excerpts.
type sources struct {
	fs    inventory.FS
	lines map[string]*pos.Lines
	dirs  map[string][]*directive.Directive
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
	byID := map[string]*rules.Rule{}
	for _, r := range rules.All() {
		byID[r.ID] = r
	}
	enabled := map[string]bool{}
	for _, r := range opt.Rules {
		enabled[r.ID] = true
	}
	kept := found[:0]
	for _, f := range found {
		if opt.Config.Ignored(f.Span.File) {
			continue
		}
		kept = append(kept, f)
	}
	found = kept
	all := append(append([]diag.Diagnostic(nil), loaded...), found...)
	for i := range all {
		if r := byID[all[i].Rule]; r != nil {
			all[i].Severity = opt.Config.Severity(r, all[i].Severity)
		}
	}

	// Suppressions live in the files deployments are read from.
	files := map[string]bool{}
	for _, d := range deps {
		files[d.File] = true
		for _, in := range d.Inputs {
			files[in] = true
		}
	}
	for _, f := range all {
		files[f.Span.File] = true
	}
	var directives []*directive.Directive
	for file := range files {
		directives = append(directives, directive.Of(src.directives(file), directive.Ignore)...)
	}
	var extra []diag.Diagnostic
	report := func(r *rules.Rule, sp pos.Span, format string, args ...any) {
		if enabled[r.ID] {
			extra = append(extra, diag.Diagnostic{Rule: r.ID, Severity: opt.Config.Severity(r, r.Severity), Span: sp, Message: fmt.Sprintf(format, args...)})
		}
	}
	var valid []*directive.Directive
	for _, d := range directives {
		switch {
		case len(d.Rules) == 0:
			report(rules.MalformedSuppression, d.Span, "wvlint:ignore names no rule; write \"# wvlint:ignore WV1002 <reason>\"")
			continue
		case d.Reason == "":
			report(rules.MalformedSuppression, d.Span, "wvlint:ignore %s gives no reason; add one after the rule", strings.Join(d.Rules, ","))
			continue
		}
		ok := true
		for _, r := range d.Rules {
			if rules.Lookup(r) == nil {
				report(rules.MalformedSuppression, d.Span, "wvlint:ignore names unknown rule %q", r)
				ok = false
			}
		}
		if ok {
			valid = append(valid, d)
		}
	}
	var loadKept, foundKept []diag.Diagnostic
	for _, f := range all {
		silenced := false
		name := ""
		if r := byID[f.Rule]; r != nil {
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
			loadKept = append(loadKept, f)
		default:
			foundKept = append(foundKept, f)
		}
	}
	for _, d := range valid {
		if !d.Used {
			report(rules.UnusedSuppression, d.Span, "wvlint:ignore %s matches no finding on line %d; remove it", strings.Join(d.Rules, ","), d.Target)
		}
	}
	all = append(loadKept, diag.Dedupe(append(foundKept, extra...))...)

	fingerprint(opt.Root, src, all)
	all, rep.Baselined = opt.Baseline.Filter(all)
	return all
}

// fingerprint gives each diagnostic a hash of its rule, file (relative to
// the repository root) and the text of its line, with a counter for
// identical lines: inserting lines elsewhere in the file does not change
// it.
func fingerprint(root string, src *sources, ds []diag.Diagnostic) {
	seen := map[string]int{}
	for i := range ds {
		f := &ds[i]
		text := ""
		if l := src.get(f.Span.File); l != nil && f.Span.Line > 0 {
			text = strings.Join(strings.Fields(l.Line(f.Span.Line)), " ")
		}
		h := sha256.Sum256([]byte(f.Rule + "\x00" + relpath.Display(root, f.Span.File) + "\x00" + text))
		key := hex.EncodeToString(h[:8])
		seen[key]++
		f.Fingerprint = fmt.Sprintf("%s:%d", key, seen[key])
	}
}
