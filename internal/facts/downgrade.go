package facts

import "github.com/Masterminds/semver/v3"

// snapshotChanged is, per minor, the first patch that writes Raft
// snapshots 1.27 before DowngradeSafe cannot read (every later minor
// does). Source: DowngradeSafe.
var snapshotChanged = map[uint64]uint64{28: 13, 29: 5, 30: 2}

// hnswReadBack is, per minor, the first patch that reads back the HNSW
// snapshots 1.39 writes into the commit log directory: the
// migrate_compact_v2_snapshot code of weaviate/weaviate commit 3c3849dfbf
// (adapters/repos/db/vector/hnsw/commit_logger_snapshot.go), found by `git
// grep migrate_compact_v2_snapshot <tag> -- adapters` in v1.35.17+,
// v1.36.10+ and every 1.37 and 1.38 tag; not in v1.35.16, v1.36.9 or any
// older tag.
var hnswReadBack = map[uint64]uint64{35: 17, 36: 10, 37: 0, 38: 0}

// HNSWReadBackFirst names the first patches that read 1.39's HNSW
// snapshots back, for messages.
const HNSWReadBackFirst = "1.35.17+, 1.36.10+, 1.37 and 1.38"

// sortedRename is, per minor, the first patch that renames the .sorted
// commit logs 1.39's compactor keeps beside its snapshot
// (main.hnsw.commitlog.d/<ts>.sorted) to <ts>.condensed before loading
// them: weaviate/weaviate commit be2b31a04e, migrateCompactV2SortedFiles
// in adapters/repos/db/vector/hnsw/commit_logger_snapshot.go (v1.36.13
// line 331, logging "migrated compact v2 sorted file to condensed"), found
// by `git grep migrateCompactV2SortedFiles <tag> -- adapters` in every tag
// from v1.35.19, v1.36.13, v1.37.3 and v1.38.0 on, not in v1.35.18,
// v1.36.12, v1.37.2 or older.
//
// A patch with the snapshot read-back but not this rename (1.35.17-1.35.18,
// 1.36.10-1.36.12, 1.37.0-1.37.2) loads a .sorted file as a commit log,
// but the snapshot it makes at startup from it is named <ts>.sorted.snapshot
// (snapshotFileName trims only ".condensed"), which its own snapshot
// cleanup cannot parse ("cleanup previous snapshot: parse snapshot time:
// strconv.ParseInt: parsing \"<ts>.sorted\": invalid syntax", v1.36.12
// commit_logger_snapshot.go line 512); startup.go then drops the state it
// loaded ("failed to read last snapshot, loading from commit log") and
// builds the index from the commit logs alone, which lack every node only
// 1.39's snapshot holds. The next start loads the <ts>.sorted.snapshot and
// is whole again.
//
// Tried with real servers (internal/knowledgetest TestDowngradeSortedFrom139,
// 2026-12-01): 1.39.0 data with 2,000 vectors in a 4,194,329-byte snapshot
// and 100 more in a 54 KB .sorted file. With default settings (no
// startup snapshot: the delta is 1% of the snapshot) 1.36.10, 1.36.12,
// 1.36.13 and 1.36.23 find every nearest neighbour. With
// PERSISTENCE_HNSW_SNAPSHOT_MIN_DELTA_COMMITLOGS_SIZE_PERCENTAGE=0, 1.36.10
// and 1.36.12 log the parse error and "failed to read last snapshot,
// loading from commit log" and get 712-720 (three runs) of the 2,000
// older objects' nearest neighbours wrong on their first start (all 2,100
// objects counted), none after a restart; with 700 more in a 292 KB
// .sorted (7%) and default settings, the same lines and 2 of 2,000 wrong. 1.36.13 and 1.36.23 log
// "migrated compact v2 sorted file to condensed" and are right every time.
var sortedRename = map[uint64]uint64{35: 19, 36: 13, 37: 3, 38: 0}

// SortedRenameFirst names the first patches that rename 1.39's .sorted
// commit logs, for messages.
const SortedRenameFirst = "1.35.19+, 1.36.13+, 1.37.3+ and 1.38"

// RenamesSortedLogs reports whether v renames the .sorted commit logs 1.39
// leaves before loading them (1.35.19+, 1.36.13+, 1.37.3+, 1.38, 1.39 and
// later, which write them).
func RenamesSortedLogs(v *semver.Version) bool { return since(sortedRename, v) }

// since reports whether v is at least the first patch a table names for
// its minor, or 1.39 or later (which wrote the files).
func since(first map[uint64]uint64, v *semver.Version) bool {
	if !v.LessThan(OneWayStorage.Version) {
		return true
	}
	p, ok := first[v.Minor()]
	return ok && v.Major() == 1 && v.Patch() >= p
}

// SortedCaveat says what a downgrade from -> to costs when to reads 1.39's
// HNSW snapshot back but not the .sorted commit logs beside it ("" and
// false otherwise): not irreversible (a restart makes the index whole),
// but the first start serves vector search from a partial index.
func SortedCaveat(from, to *semver.Version) (string, bool) {
	if !to.LessThan(from) || from.LessThan(OneWayStorage.Version) || !ReadsHNSWSnapshots(to) || RenamesSortedLogs(to) {
		return "", false
	}
	return to.String() + " reads 1.39's HNSW snapshot back but not the .sorted commit logs 1.39 keeps beside it: when they reach " +
		"PERSISTENCE_HNSW_SNAPSHOT_MIN_DELTA_COMMITLOGS_SIZE_PERCENTAGE (5%) of the snapshot, its first start names the snapshot it makes <ts>.sorted.snapshot, fails on that name " +
		"(\"cleanup previous snapshot: parse snapshot time\") and serves vector search from the commit logs alone, missing the nodes only the snapshot holds, until the next restart; " +
		"downgrade to a patch that renames those logs first (" + SortedRenameFirst + ": the latest patch of each of those minors does), or restart each node once more after the downgrade", true
}

// SnapshotChanged reports whether v stores Raft snapshots in the form that
// 1.27.x below 1.27.26 cannot read (1.28.13+, 1.29.5+, 1.30.2+, 1.31+).
func SnapshotChanged(v *semver.Version) bool {
	if v.Major() != 1 {
		return v.Major() > 1
	}
	if p, ok := snapshotChanged[v.Minor()]; ok {
		return v.Patch() >= p
	}
	return v.Minor() > 30
}

// UnsafeDowngrade reports whether moving from -> to lands a cluster with
// new Raft snapshots on a version that cannot read them.
func UnsafeDowngrade(from, to *semver.Version) bool {
	return SnapshotChanged(from) && to.LessThan(DowngradeSafe.Version) && !to.LessThan(Raft.Version)
}

// ReadsHNSWSnapshots reports whether v reads back the HNSW snapshot files
// 1.39 leaves in the commit log directory (main.hnsw.commitlog.d/<id>.snapshot,
// whose commit log 1.39 has dropped). A version that does not cannot
// follow a downgrade from 1.39.
func ReadsHNSWSnapshots(v *semver.Version) bool { return since(hnswReadBack, v) }

// Irreversible says why a downgrade from -> to cannot be undone by the
// usual means ("" and false when it can): the one judgement `wvlint plan`
// refuses by and WV1009 reports.
func Irreversible(from, to *semver.Version) (string, bool) {
	switch {
	case !to.LessThan(from):
		return "", false
	case !from.LessThan(SchemaV1Gone.Version) && to.LessThan(Raft.Version):
		return "a downgrade below 1.25 needs POST /v1/cluster/schema-v1 to turn the Raft metadata back into the old schema, and " +
			SchemaV1Gone.Version.String() + " removed that endpoint; restore a backup taken on the old version instead", true
	case !from.LessThan(OneWayStorage.Version) && !ReadsHNSWSnapshots(to):
		return "1.39 turns each HNSW commit log into a snapshot file inside the commit log directory (main.hnsw.commitlog.d/<id>.snapshot) and drops the log it covers, and " +
			to.String() + " has no code to read that file back (" + HNSWReadBackFirst + " have it); downgrade to one of those, or restore a backup taken on the old version", true
	}
	return "", false
}
