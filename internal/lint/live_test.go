package lint

import (
	"testing"

	"github.com/Masterminds/semver/v3"

	"github.com/wvlint/wvlint/internal/compare"
	"github.com/wvlint/wvlint/internal/inventory"
	"github.com/wvlint/wvlint/rules"
)

// TestApplyLive: with --live, what runs now is the cluster's version for
// every deployment but the test ones (a CI service container is not that
// cluster), and its node count where the files do not give one.
func TestApplyLive(t *testing.T) {
	live := &compare.Live{URL: "http://127.0.0.1:8080", Version: semver.MustParse("1.35.2"), Nodes: 3}
	git := semver.MustParse("1.34.20")
	unknown := &rules.Change{D: &inventory.Deployment{ID: "docker:Dockerfile", Platform: inventory.Docker}, From: git}
	declared := &rules.Change{D: &inventory.Deployment{ID: "compose:c#w", Platform: inventory.Docker, Nodes: 1}, From: git}
	ci := &rules.Change{D: &inventory.Deployment{ID: "actions:ci#w", Platform: inventory.Test, Nodes: 1}, From: git, FromWhere: "the base"}
	applyNamed(&compare.Target{Live: live}, []*rules.Change{unknown, declared, ci})
	for _, c := range []*rules.Change{unknown, declared} {
		if c.From != live.Version || c.FromWhere != "the cluster at http://127.0.0.1:8080" {
			t.Errorf("%s: from %s (%s), want the cluster's 1.35.2", c.D.ID, c.From, c.FromWhere)
		}
	}
	if unknown.D.Nodes != 3 || declared.D.Nodes != 1 {
		t.Errorf("nodes: %d where the files say none (want the cluster's 3), %d where they say 1", unknown.D.Nodes, declared.D.Nodes)
	}
	if ci.From != git || ci.FromWhere != "the base" || ci.D.Nodes != 1 {
		t.Errorf("a test deployment took the cluster's version: %s (%s), %d nodes", ci.From, ci.FromWhere, ci.D.Nodes)
	}
}
