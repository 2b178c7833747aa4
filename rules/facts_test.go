package rules_test

import (
	"strings"
	"testing"

	"github.com/wvlint/wvlint/internal/facts"
	"github.com/wvlint/wvlint/internal/version"
	"github.com/wvlint/wvlint/rules"
)

// TestDocsQuoteFacts: the rules' messages take Weaviate's version
// boundaries from internal/facts, but their documentation (titles, why,
// fix) is prose that quotes them. When a fact is corrected this test
// names the prose to correct with it.
func TestDocsQuoteFacts(t *testing.T) {
	docText := func(r *rules.Rule) string {
		return strings.Join([]string{r.Title, r.Doc.Why, r.Doc.Fix, r.Doc.AutoFix}, "\n")
	}
	blocked := facts.RestoreBlocked[0].String() + "-" + facts.RestoreBlocked[1].String()
	for _, tt := range []struct {
		rule  *rules.Rule
		texts []string
	}{
		{rules.UnsafeDowngrade, []string{facts.DowngradeSafe.Version.String(), facts.DowngradeLanding.String(), blocked}},
		{rules.RaftMigration, []string{version.MinorOf(facts.Raft.Version), facts.RaftChart.Version.String()}},
		{rules.MetadataSync, []string{version.MinorOf(facts.MetadataSync.Version)}},
		{rules.RestoreFix, []string{facts.RestoreFixed.Version.String(), facts.RestorePrefer.String()}},
		{rules.IrreversibleDowngrade, []string{facts.SchemaV1Gone.Version.String(), version.MinorOf(facts.OneWayStorage.Version)}},
	} {
		doc := docText(tt.rule)
		for _, s := range tt.texts {
			if !strings.Contains(doc, s) {
				t.Errorf("%s's documentation does not say %s, which internal/facts holds: correct the prose with the fact", tt.rule.ID, s)
			}
		}
	}
}
