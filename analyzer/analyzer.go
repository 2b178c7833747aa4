package analyzer

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"

	"github.com/wvlint/wvlint/internal/catalog"
	"github.com/wvlint/wvlint/internal/commalist"
	wvdiag "github.com/wvlint/wvlint/internal/diag"
	"github.com/wvlint/wvlint/internal/gopins"
	"github.com/wvlint/wvlint/internal/inventory"
	"github.com/wvlint/wvlint/internal/remedy"
	"github.com/wvlint/wvlint/internal/ruledoc"
	"github.com/wvlint/wvlint/rules"
)

// Analyzer reports Weaviate image pins in Go code.
var Analyzer = &analysis.Analyzer{
	Name: "wvlint",
	Doc:  "check Weaviate images pinned in Go code (testcontainers-go and image strings)\n\nFloating tags, patches that are not the latest of their minor, and versions Weaviate never released.",
	URL:  ruledoc.DocsURL,
	Run:  run,
}

var (
	releases string
	disabled = ruleSet{}
)

func init() {
	Analyzer.Flags.StringVar(&releases, "releases", "", "release catalog file (default: the newer of the cached refresh and the built-in list)")
	Analyzer.Flags.Var(disabled, "disable", "rules to leave out, by ID or name, separated by commas (WV1002,floating-tag)")
}

// ruleSet is the -disable flag: rule IDs, checked against Rules.
type ruleSet map[string]bool

func (s ruleSet) String() string {
	var ids []string
	for _, r := range Rules {
		if s[r.ID] {
			ids = append(ids, r.ID)
		}
	}
	return strings.Join(ids, ",")
}

// Set replaces the set with the rules v names.
func (s ruleSet) Set(v string) error {
	clear(s)
	for _, key := range commalist.Split(v) {
		r := rules.Lookup(key)
		if r == nil || !slices.Contains(Rules, r) {
			var names []string
			for _, r := range Rules {
				names = append(names, r.ID+" "+r.Name)
			}
			return fmt.Errorf("unknown rule %q: the Go analyzer has %s", key, strings.Join(names, ", "))
		}
		s[r.ID] = true
	}
	return nil
}

// Rules are the single-version rules that apply to Go pins.
var Rules = []*rules.Rule{rules.FloatingTag, rules.NotLatestPatch, rules.UnknownVersion, rules.VPrefixedTag}

// catalogs holds the catalog of each --releases value, loaded once:
// go/analysis drivers (gopls, golangci-lint, multichecker) run the analyzer
// for many packages at once, and each run shares the one parsed catalog.
var catalogs sync.Map // releases file -> *loadedCatalog

type loadedCatalog struct {
	once sync.Once
	cat  *catalog.Catalog
	err  error
}

// loadCatalog is catalog.Load, once for each file (a variable for tests).
var loadCatalog = catalog.Load

func sharedCatalog(file string) (*catalog.Catalog, error) {
	v, _ := catalogs.LoadOrStore(file, &loadedCatalog{})
	l := v.(*loadedCatalog)
	l.once.Do(func() { l.cat, l.err = loadCatalog(file) })
	return l.cat, l.err
}

func run(pass *analysis.Pass) (any, error) {
	cat, err := sharedCatalog(releases)
	if err != nil {
		return nil, err
	}
	pins, _ := gopins.Find(pass.Files, pass.TypesInfo)
	if len(pins) == 0 {
		return nil, nil
	}
	changes := make([]*rules.Change, len(pins))
	for i, p := range pins {
		d := inventory.GoDeployment(p)
		d.ID = strconv.Itoa(i)
		changes[i] = &rules.Change{D: &d}
	}
	var active []*rules.Rule
	for _, r := range Rules {
		if !disabled[r.ID] {
			active = append(active, r)
		}
	}
	findings, err := rules.Run(active, cat, changes)
	if err != nil {
		return nil, err
	}
	for _, f := range findings {
		i, _ := strconv.Atoi(f.Deployment)
		p, r := pins[i], rules.Lookup(f.Rule)
		diag := analysis.Diagnostic{
			Pos: p.TagPos, End: p.TagEnd, Category: r.ID, URL: ruledoc.HelpURI(r),
			Message: fmt.Sprintf("%s [%s %s]", f.Message, r.ID, r.Name),
		}
		if fix, ok := suggest(p, &f, changes[i].D, cat); ok {
			diag.SuggestedFixes = []analysis.SuggestedFix{fix}
		}
		pass.Report(diag)
	}
	return nil, nil
}

// suggest is wvlint's fix for the diagnostic (remedy decides for both, so
// the analyzer's suggested fixes and `wvlint --fix` write the same text),
// at the tag when its position is exact.
func suggest(p gopins.Pin, f *wvdiag.Diagnostic, d *inventory.Deployment, cat *catalog.Catalog) (analysis.SuggestedFix, bool) {
	if !p.Exact || !remedy.Fixable(f.Rule) || d.Tag.Raw == "" {
		return analysis.SuggestedFix{}, false
	}
	v, msg, ok := remedy.Target(f, d, cat)
	if !ok {
		return analysis.SuggestedFix{}, false
	}
	text := remedy.Text(d.Tag.Raw, v)
	if text == d.Tag.Raw {
		return analysis.SuggestedFix{}, false
	}
	return analysis.SuggestedFix{
		Message:   msg,
		TextEdits: []analysis.TextEdit{{Pos: p.TagPos, End: p.TagEnd, NewText: []byte(text)}},
	}, true
}
