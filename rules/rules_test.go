package rules_test

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/Masterminds/semver/v3"

	"github.com/wvlint/wvlint/internal/catalog"
	"github.com/wvlint/wvlint/internal/compare"
	"github.com/wvlint/wvlint/internal/inventory"
	"github.com/wvlint/wvlint/internal/lint"
	"github.com/wvlint/wvlint/internal/plan"
	"github.com/wvlint/wvlint/internal/version"
	"github.com/wvlint/wvlint/rules"
)

// TestFixtures runs every case under testdata/<rule ID>/<case>/. Lines
// whose findings are expected carry `# want "regexp"` (several regexps for
// several findings); a `# want` on a line of its own applies to the next
// line. A regexp is matched against "severity: message". Every finding of the rule must be wanted and every want matched.
// A file named `from` holds what runs now, as for --from (one argument a
// line: VERSION or ID=VERSION).
func TestFixtures(t *testing.T) {
	ids, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]bool{}
	for _, id := range ids {
		rule := rules.Lookup(id.Name())
		if rule == nil {
			t.Errorf("testdata/%s: no such rule", id.Name())
			continue
		}
		cases, _ := os.ReadDir(filepath.Join("testdata", id.Name()))
		for _, c := range cases {
			dir := filepath.Join("testdata", id.Name(), c.Name())
			t.Run(id.Name()+"/"+c.Name(), func(t *testing.T) {
				covered[rule.ID] = true
				runCase(t, rule, dir)
			})
		}
	}
	for _, r := range rules.All() {
		if r.Run != nil && !covered[r.ID] {
			t.Errorf("%s %s has no fixtures", r.ID, r.Name)
		}
	}
}

var wantRE = regexp.MustCompile(`#\s*want((?:\s+"(?:[^"\\]|\\.)*")+)\s*$`)
var quotedRE = regexp.MustCompile(`"((?:[^"\\]|\\.)*)"`)

type want struct {
	re      *regexp.Regexp
	matched bool
}

func runCase(t *testing.T, rule *rules.Rule, dir string) {
	wants := map[string][]*want{} // file:line
	var from []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for n := 1; sc.Scan(); n++ {
			line := sc.Text()
			if filepath.Base(p) == "from" {
				if s := strings.TrimSpace(line); s != "" {
					from = append(from, s)
				}
				continue
			}
			m := wantRE.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			target := n
			if strings.HasPrefix(strings.TrimSpace(line), "#") {
				target = n + 1
			}
			key := p + ":" + itoa(target)
			for _, q := range quotedRE.FindAllStringSubmatch(m[1], -1) {
				wants[key] = append(wants[key], &want{re: regexp.MustCompile(strings.ReplaceAll(q[1], `\"`, `"`))})
			}
		}
		return sc.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := lint.Run(lint.Options{Paths: []string{dir}, Target: fromTarget(t, from), Catalog: catalog.Embedded(), Rules: []*rules.Rule{rule}})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Diagnostics {
		if f.Rule == rules.ParseError.ID {
			t.Errorf("unexpected file error: %s: %s", f.Where(), f.Message)
			continue
		}
		key := f.Span.File + ":" + itoa(f.Span.Line)
		ok := false
		for _, w := range wants[key] {
			if !w.matched && w.re.MatchString(f.Severity.String()+": "+f.Message) {
				w.matched, ok = true, true
				break
			}
		}
		if !ok {
			t.Errorf("%s: unexpected %s finding: %s", f.Span, f.Severity, f.Message)
		}
	}
	for key, ws := range wants {
		for _, w := range ws {
			if !w.matched {
				t.Errorf("%s: no finding matched %q", key, w.re)
			}
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestStates: docs/rules.md says what every rule does with unchanged,
// changed, ephemeral and newer-than-catalog deployments.
func TestStates(t *testing.T) {
	for _, r := range rules.All() {
		st, ok := rules.RuleStates[r.ID]
		if !ok {
			t.Errorf("%s: no entry in RuleStates", r.ID)
			continue
		}
		for name, text := range map[string]string{"unchanged": st.Unchanged, "changed": st.Changed, "ephemeral": st.Ephemeral, "newer": st.Newer} {
			if text == "" {
				t.Errorf("%s: RuleStates says nothing for %s deployments", r.ID, name)
			}
		}
	}
	for id := range rules.RuleStates {
		if rules.Lookup(id) == nil {
			t.Errorf("RuleStates has %s, which is not in the registry", id)
		}
	}
}

func TestRegistry(t *testing.T) {
	idRE := regexp.MustCompile(`^WV[1-9]\d{3}$`)
	nameRE := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	ids, names := map[string]bool{}, map[string]bool{}
	prev := ""
	for _, r := range rules.All() {
		if !idRE.MatchString(r.ID) || !nameRE.MatchString(r.Name) {
			t.Errorf("bad ID or name: %s %s", r.ID, r.Name)
		}
		if ids[r.ID] || names[r.Name] {
			t.Errorf("duplicate: %s %s", r.ID, r.Name)
		}
		ids[r.ID], names[r.Name] = true, true
		if r.ID <= prev {
			t.Errorf("%s out of order after %s", r.ID, prev)
		}
		prev = r.ID
		if r.Title == "" || r.Doc.Why == "" || r.Doc.Fix == "" || r.Doc.Source == "" {
			t.Errorf("%s: documentation incomplete", r.ID)
		}
		if rules.Lookup(r.Name) != r || rules.Lookup(r.ID) != r {
			t.Errorf("%s: Lookup fails", r.ID)
		}
		// Group 4xxx judges the running cluster and only that.
		live := strings.HasPrefix(r.ID, "WV4")
		if live != (r.Live != nil) || (live && r.Run != nil) {
			t.Errorf("%s: a live rule has Live and no Run, every other rule no Live", r.ID)
		}
		if live && (r.Example == nil || len(r.Example.Answers) == 0 || r.Example.Content != "") {
			t.Errorf("%s: a live rule's example is the server's answers, not a file", r.ID)
		}
	}
}

// fromTarget is the comparison with the versions named by --from, or with
// nothing.
func fromTarget(t *testing.T, from []string) compare.Target {
	t.Helper()
	tg, err := compare.Resolve(compare.Request{NoGit: true, From: from})
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

// TestRunPanic: a rule that panics is an error naming the rule, not a
// crash; the CLI turns it into exit 3.
func TestRunPanic(t *testing.T) {
	boom := &rules.Rule{ID: "WV9999", Name: "boom", Run: func(p *rules.Pass) error {
		var m map[string]int
		m["x"]++ //nolint:staticcheck // a nil map: the kind of bug a rule can have
		return nil
	}}
	_, err := rules.Run([]*rules.Rule{rules.FloatingTag, boom}, catalog.Embedded(), nil)
	if err == nil || !strings.Contains(err.Error(), "WV9999 boom: internal error: assignment to entry in nil map") {
		t.Fatalf("err = %v", err)
	}
}

// TestPlanAgreesWithWV1009: `wvlint plan` refuses exactly the downgrades
// WV1009 reports, giving the same reason (both ask internal/facts).
func TestPlanAgreesWithWV1009(t *testing.T) {
	cat := catalog.Embedded()
	for _, tt := range [][2]string{
		{"1.39.0", "1.36.9"}, {"1.39.0", "1.36.10"}, {"1.39.1", "1.35.16"}, {"1.39.1", "1.38.11"}, {"1.39.0", "1.37.2"}, {"1.39.0", "1.36.13"},
		{"1.35.2", "1.24.10"}, {"1.34.9", "1.24.10"}, {"1.36.23", "1.35.4"}, {"1.40.0", "1.29.1"},
	} {
		from, to := semver.MustParse(tt[0]), semver.MustParse(tt[1])
		d := &inventory.Deployment{ID: "d", Tag: version.Tag{Version: to}, Nodes: 1}
		found, err := rules.Run([]*rules.Rule{rules.IrreversibleDowngrade}, cat, []*rules.Change{{D: d, From: from}})
		if err != nil {
			t.Fatal(err)
		}
		pl := plan.Make(from, to, plan.Options{Nodes: 1}, cat)
		var errs, warns []string
		for _, f := range found {
			if f.Severity == rules.Error {
				errs = append(errs, f.Message)
			} else {
				warns = append(warns, f.Message)
			}
		}
		irreversiblePlan := strings.HasPrefix(pl.Refused, "refused: downgrade from ")
		if (len(errs) > 0) != irreversiblePlan {
			t.Errorf("%s -> %s: WV1009 errors %q, plan refused %q", tt[0], tt[1], errs, pl.Refused)
			continue
		}
		if len(errs) > 0 && pl.Refused != "refused: "+errs[0] {
			t.Errorf("%s -> %s: plan says %q, WV1009 %q", tt[0], tt[1], pl.Refused, errs[0])
		}
		// A WV1009 warning (the .sorted caveat) is one of the plan's warnings.
		for _, w := range warns {
			prefix := "downgrade from " + tt[0] + " to " + tt[1] + ": "
			if !strings.HasPrefix(w, prefix) || !slices.Contains(pl.Warnings, strings.TrimPrefix(w, prefix)) {
				t.Errorf("%s -> %s: WV1009 warns %q, plan warns %q", tt[0], tt[1], w, pl.Warnings)
			}
		}
		if want := tt[1] == "1.36.10" || tt[1] == "1.37.2"; want != (len(warns) > 0) {
			t.Errorf("%s -> %s: WV1009 warnings %q; want the .sorted caveat %v", tt[0], tt[1], warns, want)
		}
	}
}
