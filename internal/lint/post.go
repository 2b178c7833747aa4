package lint

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/wvlint/wvlint/internal/inventory"
	"github.com/wvlint/wvlint/internal/pos"
	"github.com/wvlint/wvlint/internal/suppress"
	"github.com/wvlint/wvlint/rules"
)

// sources reads files once for suppressions, fingerprints and excerpts.
type sources struct {
	fs    inventory.FS
	lines map[string]*pos.Lines
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
// fingerprints and the baseline, in that order.
func postprocess(opt Options, src *sources, deps []inventory.Deployment, findings []rules.Finding, rep *Report) []rules.Finding {
	enabled := map[string]bool{}
	for _, r := range opt.Rules {
		enabled[r.ID] = true
	}
	kept := findings[:0]
	for _, f := range findings {
		if opt.Config.Ignored(f.Span.File) {
			continue
		}
		f.Severity = opt.Config.Severity(f.Rule, f.Severity)
		kept = append(kept, f)
	}
	findings = kept

	// Suppressions live in the files deployments are read from.
	files := map[string]bool{}
	for _, d := range deps {
		files[d.File] = true
		for _, in := range d.Inputs {
			files[in] = true
		}
	}
	for _, f := range findings {
		files[f.Span.File] = true
	}
	var directives []*suppress.Directive
	for file := range files {
		if l := src.get(file); l != nil {
			directives = append(directives, suppress.Parse(file, l)...)
		}
	}
	var extra []rules.Finding
	report := func(r *rules.Rule, sp pos.Span, format string, args ...any) {
		if enabled[r.ID] {
			extra = append(extra, rules.Finding{Rule: r, Severity: opt.Config.Severity(r, r.Severity), Span: sp, Message: fmt.Sprintf(format, args...)})
		}
	}
	var valid []*suppress.Directive
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
	kept = findings[:0]
	for _, f := range findings {
		silenced := false
		for _, d := range valid {
			if d.Span.File == f.Span.File && d.Covers(f.Rule.ID, f.Rule.Name, f.Span.Line) {
				d.Used, silenced = true, true
			}
		}
		if silenced {
			rep.Suppressed++
			continue
		}
		kept = append(kept, f)
	}
	findings = kept
	for _, d := range valid {
		if !d.Used {
			report(rules.UnusedSuppression, d.Span, "wvlint:ignore %s matches no finding on line %d; remove it", strings.Join(d.Rules, ","), d.Target)
		}
	}
	findings = rules.Dedupe(append(findings, extra...))

	fingerprint(opt.Root, src, findings)
	if len(opt.Baseline) > 0 {
		kept = findings[:0]
		for _, f := range findings {
			if opt.Baseline[f.Fingerprint] {
				rep.Baselined++
				continue
			}
			kept = append(kept, f)
		}
		findings = kept
	}
	return findings
}

// fingerprint gives each finding a hash of its rule, file (relative to the
// repository root) and the text of its line, with a counter for identical
// lines: inserting lines elsewhere in the file does not change it.
func fingerprint(root string, src *sources, findings []rules.Finding) {
	seen := map[string]int{}
	for i := range findings {
		f := &findings[i]
		text := ""
		if l := src.get(f.Span.File); l != nil {
			text = strings.Join(strings.Fields(l.Line(f.Span.Line)), " ")
		}
		h := sha256.Sum256([]byte(f.Rule.ID + "\x00" + RelPath(root, f.Span.File) + "\x00" + text))
		key := hex.EncodeToString(h[:8])
		seen[key]++
		f.Fingerprint = fmt.Sprintf("%s:%d", key, seen[key])
	}
}

// RelPath is a file's path relative to root, with forward slashes; the
// path itself when it is outside root.
func RelPath(root, file string) string {
	abs, err := filepath.Abs(file)
	if err != nil || root == "" {
		return filepath.ToSlash(file)
	}
	if r, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		abs = filepath.Join(r, filepath.Base(abs))
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(file)
	}
	return filepath.ToSlash(rel)
}

// Root is the directory SARIF URIs and fingerprints are relative to: the
// git work tree when there is one, else the current directory.
func Root(cwd string) string {
	if r, err := filepath.EvalSymlinks(cwd); err == nil {
		cwd = r
	}
	if top := gitTop(cwd); top != "" {
		if r, err := filepath.EvalSymlinks(top); err == nil {
			return r
		}
		return top
	}
	return cwd
}
