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
func ReadsHNSWSnapshots(v *semver.Version) bool {
	if !v.LessThan(OneWayStorage.Version) {
		return true
	}
	p, ok := hnswReadBack[v.Minor()]
	return ok && v.Major() == 1 && v.Patch() >= p
}

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
