// Package plan works out the safe road between two Weaviate versions, by
// the rules of Weaviate's "Migration and upgrades" page: back up first, one
// minor at a time on its latest patch, the one-time Raft migration at 1.25,
// metadata in sync before 1.26+, the restore fix below 1.23.13, and the
// downgrades that break multi-node clusters.
package plan

import (
	"fmt"
	"strings"

	"github.com/Masterminds/semver/v3"

	"github.com/wvlint/wvlint/internal/catalog"
	"github.com/wvlint/wvlint/internal/facts"
	"github.com/wvlint/wvlint/internal/version"
)

// Platform decides how the Raft migration is done.
type Platform string

// Platforms; Unknown plans for both.
const (
	Unknown    Platform = ""
	Docker     Platform = "docker"
	Kubernetes Platform = "kubernetes"
)

// Action kinds: a stable vocabulary for JSON consumers.
const (
	KindBackup        = "backup"
	KindRestore       = "restore"
	KindRaftMigration = "raft-migration"
	KindMetadataSync  = "metadata-sync"
	KindPatch         = "patch"     // move to another patch of the same minor
	KindUpgrade       = "upgrade"   // move to the next minor
	KindDowngrade     = "downgrade" // move down
	KindSchemaV1      = "schema-v1" // convert Raft metadata back for a pre-1.25 version
)

// Action is one thing to do, in order.
type Action struct {
	Kind string `json:"kind"`
	Text string `json:"text"`
}

// Step is one version to run and what to do around moving to it.
type Step struct {
	Version string   `json:"version"`
	Actions []Action `json:"actions"`
}

// Plan is the road from one version to another.
type Plan struct {
	From      string   `json:"from"`
	To        string   `json:"to"`
	Direction string   `json:"direction"` // upgrade, downgrade or none
	Platform  Platform `json:"platform"`
	Nodes     int      `json:"nodes"` // 0 when unknown
	Steps     []Step   `json:"steps"`
	Warnings  []string `json:"warnings"`
	// Refused says why the move must not be made; Alternative is the
	// version to move to instead, when there is one.
	Refused     string `json:"refused,omitempty"`
	Alternative string `json:"alternative,omitempty"`
}

// Options describe the deployment.
type Options struct {
	Platform Platform
	Nodes    int // 0 when unknown
}

// The version facts, from internal/facts.
var (
	raftMinor     = facts.Raft.Version
	syncFrom      = facts.MetadataSync.Version
	restoreFixed  = facts.RestoreFixed.Version
	restorePrefer = facts.RestorePrefer.String()
	downgradeLand = facts.DowngradeLanding.String()
)

// maxMinors bounds a plan: no real upgrade crosses more minors.
const maxMinors = 100

// ParseTarget reads a TO argument: a version, or a minor meaning its latest
// patch.
func ParseTarget(s string, cat *catalog.Catalog) (*semver.Version, error) {
	t := version.Parse(strings.TrimSpace(s))
	if t.Version != nil {
		return t.Version, nil
	}
	if t.Kind == version.Floating && t.Minor != "" && !strings.HasPrefix(s, "stable") {
		if v, ok := cat.Latest(t.Minor); ok {
			return v, nil
		}
		return nil, fmt.Errorf("the catalog (as of %s) knows no release of %s; run 'wvlint releases update'", cat.AsOf.Format("2006-01-02"), t.Minor)
	}
	return nil, fmt.Errorf("%q is not a Weaviate version (want 1.27.5 or 1.27)", s)
}

// Make plans the move from -> to.
func Make(from, to *semver.Version, opt Options, cat *catalog.Catalog) *Plan {
	p := &Plan{From: from.String(), To: to.String(), Platform: opt.Platform, Nodes: opt.Nodes, Steps: []Step{}, Warnings: []string{}}
	for _, v := range []*semver.Version{from, to} {
		switch {
		case v.Prerelease() != "":
			p.warn("%s is a pre-release: Weaviate does not support release candidates in production", v)
		case cat.NewerThanCatalog(v):
			p.warn("%s is newer than the release catalog (as of %s); run 'wvlint releases update' to refresh it", v, cat.AsOf.Format("2006-01-02"))
		case !cat.Has(v):
			p.warn("%s is not a Weaviate release the catalog knows", v)
		}
	}
	switch {
	case from.Equal(to):
		p.Direction = "none"
	case from.LessThan(to) && (from.Major() != to.Major() || to.Minor()-from.Minor() > maxMinors):
		p.Direction = "upgrade"
		p.Refused = fmt.Sprintf("refused: %s and %s are too far apart to plan minor by minor", from, to)
	case from.LessThan(to):
		p.Direction = "upgrade"
		p.upgrade(from, to, opt, cat)
	default:
		p.Direction = "downgrade"
		p.downgrade(from, to, opt, cat)
	}
	return p
}

func (p *Plan) warn(format string, args ...any) {
	p.Warnings = append(p.Warnings, fmt.Sprintf(format, args...))
}

func (p *Plan) upgrade(from, to *semver.Version, opt Options, cat *catalog.Catalog) {
	// The versions to run, in order: each minor after from's on its latest
	// patch, ending at to.
	var stops []string
	needRestore := from.LessThan(restoreFixed)
	// Below the restore fix in its own minor: its latest patch first, to
	// restore the backup into.
	fixMinor := version.MinorOf(restoreFixed)
	if needRestore && version.MinorOf(from) == fixMinor && !to.LessThan(restoreFixed) && to.Minor() > restoreFixed.Minor() {
		stops = append(stops, latestOr(cat, fixMinor, restorePrefer))
	}
	for m := from.Minor() + 1; from.Major() == to.Major() && m < to.Minor(); m++ {
		stops = append(stops, latestOr(cat, fmt.Sprintf("%d.%d", from.Major(), m), ""))
	}
	stops = append(stops, to.String())

	prev := from
	backupAgain := false
	for i, s := range stops {
		v, err := semver.StrictNewVersion(s)
		step := Step{Version: s}
		add := func(kind, format string, args ...any) {
			step.Actions = append(step.Actions, Action{Kind: kind, Text: fmt.Sprintf(format, args...)})
		}
		if i == 0 {
			add(KindBackup, "take a full backup of %s (a backup module must be enabled to take one)", from)
		}
		if backupAgain {
			add(KindBackup, "take another backup now that %s runs: the Raft migration was a large change", version.MinorOf(raftMinor))
			backupAgain = false
		}
		if err != nil { // a minor past the catalog: "1.40.x"
			add(KindUpgrade, "upgrade to the latest patch of %s (newer than the catalog; run 'wvlint releases update')", strings.TrimSuffix(s, ".x"))
			p.Steps = append(p.Steps, step)
			continue
		}
		crossesRaft := prev.LessThan(raftMinor) && !v.LessThan(raftMinor)
		if crossesRaft && opt.Platform != Docker {
			add(KindRaftMigration, "the one-time Raft migration is manual on Kubernetes: delete the StatefulSet (kubectl delete sts weaviate; the volumes stay), use Helm chart %s or later with podManagementPolicy: Parallel", facts.RaftChart.Version)
		}
		if !v.LessThan(syncFrom) && !prev.LessThan(raftMinor) {
			add(KindMetadataSync, "verify cluster metadata is synchronized: GET /v1/cluster/statistics must list %s with synchronized: true", nodesText(opt.Nodes))
		}
		kind, what := KindUpgrade, "upgrade"
		if v.Minor() == prev.Minor() && v.Major() == prev.Major() {
			kind, what = KindPatch, "move"
		}
		latest, _ := cat.Latest(version.MinorOf(v))
		switch {
		case latest != nil && latest.Equal(v):
			add(kind, "%s to %s, the latest patch of %s", what, v, version.MinorOf(v))
		case latest != nil && latest.GreaterThan(v):
			add(kind, "%s to %s; the latest patch of %s is %s: prefer it", what, v, version.MinorOf(v), latest)
		default:
			add(kind, "%s to %s", what, v)
		}
		if crossesRaft {
			switch opt.Platform {
			case Docker:
				add(KindRaftMigration, "the one-time Raft migration of cluster metadata runs automatically when %s starts", v)
			default:
				add(KindRaftMigration, "verify the migration: GET /v1/cluster/statistics must list %s with synchronized: true", nodesText(opt.Nodes))
			}
			if i < len(stops)-1 {
				backupAgain = true
			} else {
				p.warn("take another backup once %s runs, before any further upgrade (the Raft migration is a large change)", v)
			}
		}
		if needRestore && !v.LessThan(restoreFixed) && prev.LessThan(restoreFixed) {
			add(KindRestore, "restore the backup taken before the upgrade into %s: %s", v, facts.RestoreFixed.Says)
		}
		p.Steps = append(p.Steps, step)
		prev = v
	}
	if needRestore && to.LessThan(restoreFixed) {
		p.warn("%s is still below %s, which fixed a backup-restore bug: continue to %s and restore your backup there", to, restoreFixed, restorePrefer)
	}
	if !prev.LessThan(raftMinor) && from.LessThan(raftMinor) && opt.Platform == Unknown {
		p.warn("the Raft migration is automatic on Docker and manual on Kubernetes: pass --platform to plan for yours")
	}
}

func nodesText(n int) string {
	switch n {
	case 0:
		return "every node"
	case 1:
		return "the node"
	}
	return fmt.Sprintf("all %d nodes", n)
}

// latestOr returns the latest patch of minor, or fallback, or "minor.x" when
// the catalog does not know the minor.
func latestOr(cat *catalog.Catalog, minor, fallback string) string {
	if v, ok := cat.Latest(minor); ok {
		return v.String()
	}
	if fallback != "" {
		return fallback
	}
	return minor + ".x"
}

// restoreBlocked127 is the 1.27 range where a node can hang at startup,
// "waiting for database to be restored" (facts.RestoreBlocked).
var restoreBlocked127 = facts.RestoreBlocked

// restoreBlockedText is that range as messages write it ("1.27.23-1.27.26").
var restoreBlockedText = restoreBlocked127[0].String() + "-" + restoreBlocked127[1].String()

func (p *Plan) downgrade(from, to *semver.Version, opt Options, cat *catalog.Catalog) {
	step := Step{Version: to.String()}
	add := func(kind, format string, args ...any) {
		step.Actions = append(step.Actions, Action{Kind: kind, Text: fmt.Sprintf(format, args...)})
	}
	add(KindBackup, "take a full backup of %s before downgrading", from)
	if facts.UnsafeDowngrade(from, to) {
		why := fmt.Sprintf("%s stores Raft snapshots that %s cannot read: a multi-node cluster may never become ready (fixed in %s)", from, to, facts.DowngradeSafe.Version)
		switch {
		case opt.Nodes > 1:
			p.Refused = "refused: " + why
			p.Alternative = downgradeLand
			p.warn("downgrade to %s instead: %s reads the new snapshots and %s also fixes the %s restore bug", downgradeLand, facts.DowngradeSafe.Version, downgradeLand, restoreBlockedText)
		case opt.Nodes == 1:
			p.warn("%s; this single node is not affected, but %s is the safe landing for any cluster", why, downgradeLand)
		default:
			p.warn("%s; if this is a multi-node cluster, downgrade to %s instead", why, downgradeLand)
		}
	}
	why, irreversible := facts.Irreversible(from, to)
	if irreversible {
		p.Refused = fmt.Sprintf("refused: downgrade from %s to %s: %s", from, to, why)
	}
	if caveat, ok := facts.SortedCaveat(from, to); ok {
		p.warn("%s", caveat) // WV1009's warning, in the same words
	}
	if !from.LessThan(raftMinor) && to.LessThan(raftMinor) {
		if !irreversible {
			add(KindSchemaV1, "convert the Raft metadata back: POST /v1/cluster/schema-v1 on the running %s cluster (expect HTTP 200)", from)
			if opt.Platform != Docker {
				add(KindSchemaV1, "on Kubernetes, delete the StatefulSet (kubectl delete sts weaviate; the volumes stay) before deploying %s", to)
			}
		}
	}
	latest, _ := cat.Latest(version.MinorOf(to))
	if latest != nil && latest.GreaterThan(to) && to.Prerelease() == "" && !facts.UnsafeDowngrade(from, to) {
		why := "the latest patch of a minor carries every fix made to it, and Weaviate's upgrade path starts from it"
		if !to.LessThan(restoreBlocked127[0]) && !restoreBlocked127[1].LessThan(to) {
			why = fmt.Sprintf("%s has a known issue that %s fixes (%s: a node can hang at startup, stuck \"waiting for database to be restored\")", to, downgradeLand, restoreBlockedText)
		}
		add(KindDowngrade, "downgrade to %s; the latest patch of %s is %s: prefer it", to, version.MinorOf(to), latest)
		p.warn("%s is not the latest patch of %s: downgrade to %s instead; %s", to, version.MinorOf(to), latest, why)
		if p.Alternative == "" {
			p.Alternative = latest.String()
		}
	} else {
		add(KindDowngrade, "downgrade to %s", to)
	}
	if p.Refused != "" {
		return
	}
	p.Steps = append(p.Steps, step)
}
