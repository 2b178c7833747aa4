// Package facts is wvlint's one home for what Weaviate's upgrades are
// known to do, each fact with where Weaviate says so. The planner
// (internal/plan), the rules (rules/) and the readers (internal/inventory)
// take their version boundaries from here, so that `wvlint plan` and
// `wvlint` cannot disagree after one of them is corrected. Like
// staticcheck's knowledge/ package, it holds data and the few predicates
// over it, nothing else.
package facts

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/Masterminds/semver/v3"
)

// Fact is one version boundary: what changes at Version, and the source.
type Fact struct {
	Version *semver.Version
	Says    string
	Source  string
}

// v parses a fact's version without a regexp (semver.MustParse runs one:
// the facts are built when the program starts).
func v(s string) *semver.Version {
	ver, err := semver.StrictNewVersion(s)
	if err != nil {
		panic(err)
	}
	return ver
}

// The upgrade facts.
var (
	// Raft is the first version that keeps cluster metadata in Raft,
	// migrated once on first start.
	Raft = Fact{v("1.25.0"), "cluster metadata moves to Raft, migrated once on first start (automatic on Docker, manual on Kubernetes)",
		"Weaviate docs, Migration and upgrades (/deploy/migration) and the 1.25 migration guide (/deploy/migration/weaviate-1-25)"}

	// MetadataSync is the first version to which an upgrade must start
	// from cluster metadata in sync on every node.
	MetadataSync = Fact{v("1.26.0"), "before upgrading to 1.26 or later, GET /v1/cluster/statistics must list every node with synchronized: true",
		"Weaviate docs, Migration and upgrades (/deploy/migration), \"1.26 and later\""}

	// RestoreFixed is the first version that restores backups correctly;
	// RestorePrefer the 1.23 patch to restore into.
	RestoreFixed = Fact{v("1.23.13"), "versions before 1.23.13 could store restored data incorrectly",
		"Weaviate docs, Migration and upgrades (/deploy/migration), the 1.23.13 backup-restore fix"}
	RestorePrefer = v("1.23.16")

	// SchemaV1Gone is the first version without POST /v1/cluster/schema-v1,
	// the documented way to turn Raft metadata back for a pre-1.25 version.
	SchemaV1Gone = Fact{v("1.35.0"), "POST /v1/cluster/schema-v1 is gone: no way back below 1.25",
		"Weaviate docs, 1.25 migration guide (/deploy/migration/weaviate-1-25), downgrade section; weaviate/weaviate adapters/handlers/rest/raft/handler.go has the schema-v1 route through v1.34.x, not in v1.35.0"}

	// OneWayStorage is the first version that rewrites HNSW commit logs
	// into snapshot files older patches cannot read back.
	OneWayStorage = Fact{v("1.39.0"), "HNSW commit logs become snapshot files inside the commit log directory, the logs they cover dropped",
		"weaviate/weaviate v1.39.0 adapters/repos/db/vector/hnsw/compact; the read-back is commit 3c3849dfbf \"hnsw: add support for compactv2 downgrades\" (commit_logger_snapshot.go migrateCompactV2Snapshot)"}

	// DowngradeSafe is the first 1.27 patch that reads the Raft snapshots
	// 1.28.13+, 1.29.5+ and 1.30.2+ write; DowngradeLanding the one to
	// downgrade to (it also fixes RestoreBlocked).
	DowngradeSafe = Fact{v("1.27.26"), "1.27.26 reads the Raft snapshots of 1.28.13+, 1.29.5+, 1.30.2+ and later minors",
		"Weaviate docs, Known issues (/weaviate/release-notes/known-issues), \"Raft snapshot compatibility on downgrade\""}
	DowngradeLanding = v("1.27.27")

	// RaftChart is the first weaviate Helm chart that deploys the
	// StatefulSet with podManagementPolicy: Parallel, which the Raft
	// migration on Kubernetes needs.
	RaftChart = Fact{v("17.0.0"), "the weaviate Helm chart sets podManagementPolicy: Parallel",
		"weaviate-helm README and CHANGELOG, chart 17.0.0; Weaviate 1.25 migration guide (/deploy/migration/weaviate-1-25)"}
)

// BackupList is where GET /v1/backups/{backend} (the list of a backend's
// backups) exists: from these patches of 1.24, 1.25 and 1.26 (a backport),
// and every 1.27.0 and later.
var BackupList = Fact{v("1.27.0"), "GET /v1/backups/{backend} lists a backend's backups (backported to 1.24.25, 1.25.17 and 1.26.5)",
	"weaviate/weaviate openapi-specs/schema.json at every patch tag: the list path first appears in v1.24.25, v1.25.17, v1.26.5 and v1.27.0"}

var backupListBackports = map[uint64]uint64{24: 25, 25: 17, 26: 5}

// BackupListFrom names the first patches that serve the list, for
// messages: "1.24.25, 1.25.17, 1.26.5 and 1.27.0".
func BackupListFrom() string {
	var out []string
	for _, m := range slices.Sorted(maps.Keys(backupListBackports)) {
		out = append(out, fmt.Sprintf("1.%d.%d", m, backupListBackports[m]))
	}
	return strings.Join(out, ", ") + " and " + BackupList.Version.String()
}

// HasBackupList reports whether v serves GET /v1/backups/{backend}.
func HasBackupList(v *semver.Version) bool {
	if v.Major() != 1 {
		return v.Major() > 1
	}
	if p, ok := backupListBackports[v.Minor()]; ok {
		return v.Patch() >= p
	}
	return !v.LessThan(BackupList.Version)
}

// RestoreBlocked is the 1.27 range whose restores can block at startup
// ("waiting for database to be restored"), fixed in 1.27.27.
var RestoreBlocked = [2]*semver.Version{v("1.27.23"), v("1.27.26")}

// RestoreBlockedSource is where RestoreBlocked comes from.
const RestoreBlockedSource = "Weaviate docs, Known issues (/weaviate/release-notes/known-issues), \"Database restoration blocked\": 1.27.23-1.27.26, fixed in 1.27.27"

// All lists the facts, for documentation and tests.
func All() []Fact {
	return []Fact{Raft, MetadataSync, RestoreFixed, SchemaV1Gone, OneWayStorage, DowngradeSafe, RaftChart, BackupList}
}
