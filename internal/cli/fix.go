package cli

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"

	"github.com/wvlint/wvlint/internal/diag"
	"github.com/wvlint/wvlint/internal/fix"
	"github.com/wvlint/wvlint/internal/format"
	"github.com/wvlint/wvlint/internal/lint"
	"github.com/wvlint/wvlint/internal/pos"
	"github.com/wvlint/wvlint/internal/relpath"
	"github.com/wvlint/wvlint/internal/remedy"
)

// edits are the edits to make, by file as the scan named it.
type edits map[string][]fix.Edit

func (m edits) add(e fix.Edit) { m[e.Span.File] = append(m[e.Span.File], e) }

// writeEdits makes the edits, file by file: with diff set it writes the
// unified diff of each file to e.stdout instead of changing it. An edit
// that cannot be made (the file changed, edits conflict) leaves its file
// untouched and is returned as a problem naming the place; the other
// files are still fixed. It returns the edits made (or that would be).
//
// checked, when not nil, gives the content the run checked: a file whose
// content on disk is not that (the index under --staged, or a file that
// changed during the run) is left alone, as the spans are the checked
// content's.
func writeEdits(e *env, m edits, diff bool, checked func(string) *pos.Lines) (applied map[fix.Edit]bool, problems []string) {
	applied = map[fix.Edit]bool{}
	files := make([]string, 0, len(m))
	for f := range m {
		files = append(files, f)
	}
	sort.Strings(files)
	// Diff paths are relative to the repository root (the current
	// directory outside git), as git diff writes them: patch -p1 or git
	// apply from the root applies them.
	root := ""
	if diff {
		root = relpath.Root(e.dir)
	}
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: not fixed: %v", name, err))
			continue
		}
		if checked != nil {
			if l := checked(name); l != nil && !bytes.Equal(l.Bytes(0, math.MaxInt), src) {
				problems = append(problems, fmt.Sprintf("%s: not fixed: the file on disk is not what wvlint checked (with --staged, the staged content); stage it, or run wvlint again", name))
				continue
			}
		}
		var ok []fix.Edit
		for _, ed := range m[name] {
			if err := fix.Check(src, ed); err != nil {
				reason := err.Error()
				var fe *fix.Error
				if errors.As(err, &fe) {
					reason = fe.Reason
				}
				problems = append(problems, fmt.Sprintf("%s: not fixed: %s", ed.Span, reason))
				continue
			}
			ok = append(ok, ed)
		}
		out, err := fix.Apply(src, ok)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%v; %s not fixed", err, name))
			continue
		}
		if bytes.Equal(out, src) {
			for _, ed := range ok {
				applied[ed] = true // already so
			}
			continue
		}
		if diff {
			if err := fix.Diff(e.stdout, diffName(root, name), src, out); err != nil {
				problems = append(problems, fmt.Sprintf("%s: %v", name, err))
				continue
			}
		} else if err := fix.WriteFile(name, src, out); err != nil {
			problems = append(problems, fmt.Sprintf("%s: not fixed: %v", name, err))
			continue
		}
		for _, ed := range ok {
			applied[ed] = true
		}
	}
	return applied, problems
}

// diffName is the name a diff gives a file: relative to the current
// directory with slashes, so that `patch -p1` run there applies it.
func diffName(root, name string) string {
	if abs, err := filepath.Abs(name); err == nil && root != "" {
		if r, err := filepath.EvalSymlinks(abs); err == nil {
			abs = r
		}
		if rel, err := filepath.Rel(root, abs); err == nil {
			name = rel
		}
	}
	return filepath.ToSlash(name)
}

// fixFindings writes (or, with diff, prints) the fixes of the
// diagnostics, tells on stderr what it fixed and why it left the rest, and
// returns the diagnostics it did not fix.
func fixFindings(e *env, rep *lint.Report, sugg []remedy.Suggestion, diff bool) []diag.Diagnostic {
	m := edits{}
	for _, s := range sugg {
		if s.Fix != nil {
			for _, ed := range s.Fix.Edits {
				m.add(ed)
			}
		}
	}
	applied, problems := writeEdits(e, m, diff, rep.Lines)
	verb := "fixed"
	if diff {
		verb = "would fix"
	}
	var left []diag.Diagnostic
	for i, d := range rep.Diagnostics {
		s := sugg[i]
		done := s.Fix != nil
		if done {
			for _, ed := range s.Fix.Edits {
				done = done && applied[ed]
			}
		}
		tag := fmt.Sprintf("[%s %s]", d.Rule, ruleName(d.Rule))
		switch {
		case done:
			fmt.Fprintf(e.stderr, "%s: %s: %s %s\n", format.Where(d.Span.File, d.Span.Line, d.Span.Col), verb, format.SafeText(s.Fix.Message), tag)
			continue
		case s.Note != "":
			fmt.Fprintf(e.stderr, "%s: note: %s %s\n", format.Where(d.Span.File, d.Span.Line, d.Span.Col), format.SafeText(s.Note), tag)
		}
		left = append(left, d)
	}
	for _, p := range problems {
		fmt.Fprintf(e.stderr, "%s\n", p)
	}
	return left
}

// countFixes is the number of diagnostics with a fix.
func countFixes(sugg []remedy.Suggestion) int {
	n := 0
	for _, s := range sugg {
		if s.Fix != nil {
			n++
		}
	}
	return n
}
