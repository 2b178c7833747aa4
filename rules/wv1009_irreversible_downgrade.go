package rules

import "github.com/wvlint/wvlint/internal/facts"

// IrreversibleDowngrade is WV1009.
var IrreversibleDowngrade = &Rule{
	ID: "WV1009", Name: "irreversible-downgrade", Severity: Error,
	Title: "a downgrade the data cannot follow",
	Tags:  []string{"downgrade", "raft"},
	Doc: Doc{
		Why: "Some upgrades change data for good. The documented way back from 1.25+ to 1.24 converts Raft metadata with POST /v1/cluster/schema-v1, which is present in 1.25.0-1.34.x and gone from 1.35.0: from 1.35 on there is no way back below 1.25 (an error). " +
			"1.39, on a restart, turns each HNSW commit log into a snapshot file inside the commit log directory and drops the log it covers. 1.35.17+, 1.36.10+ and every 1.37 and 1.38 patch move that file to their snapshot directory on start (\"migrated compact v2 snapshot to snapshot directory\") and load it, so a downgrade from 1.39 to them is not irreversible for this reason (WV1005 still asks for a backup); older patches (1.36.0-1.36.9, 1.35.16 and below) have no such code: a downgrade from 1.39 to them is an error. " +
			"1.39's compactor also keeps the commit logs written after its snapshot as <ts>.sorted files beside it; 1.35.19+, 1.36.13+, 1.37.3+ and 1.38 rename them to <ts>.condensed on start (\"migrated compact v2 sorted file to condensed\"). " +
			"The patches between (1.35.17-1.35.18, 1.36.10-1.36.12, 1.37.0-1.37.2) load them, but once they reach 5% of the snapshot's size (PERSISTENCE_HNSW_SNAPSHOT_MIN_DELTA_COMMITLOGS_SIZE_PERCENTAGE) the snapshot their first start makes is named <ts>.sorted.snapshot, their cleanup cannot parse that name, and the index is rebuilt from the commit logs alone, without the nodes only 1.39's snapshot holds, until the next restart: a warning, since a restart makes it whole",
		Fix: "Restore a backup taken before the upgrade into the older version, or stay and fix forward; from 1.39, downgrade to the latest patch of 1.36, 1.37 or 1.38 (1.36.13+, 1.37.3+, 1.38), or restart each node once more after landing on 1.36.10-1.36.12 or 1.37.0-1.37.2.",
		Source: "Weaviate docs, 1.25 migration guide (/deploy/migration/weaviate-1-25), downgrade section; weaviate/weaviate source: the schema-v1 route in adapters/handlers/rest/raft/handler.go exists through v1.34.x and not in v1.35.0; " +
			"the HNSW read-back is commit 3c3849dfbf \"hnsw: add support for compactv2 downgrades\" (adapters/repos/db/vector/hnsw/commit_logger_snapshot.go migrateCompactV2Snapshot, line 316 action migrate_compact_v2_snapshot, and commit_logger.go skipping .snapshot files), " +
			"found by `git grep migrate_compact_v2_snapshot <tag> -- adapters` in v1.35.17-v1.35.23, v1.36.10-v1.36.23 and every v1.37.x and v1.38.x tag, not in v1.35.16, v1.36.9 or older; v1.39.0 adapters/repos/db/vector/hnsw/compact writes the snapshots. " +
			"Tried with real servers (internal/knowledgetest TestDowngradeFrom139, 2026-12-01): a single 1.39.0 node with 2,000 32-dimensional vectors, restarted once (main.hnsw.commitlog.d then holds <ts>.snapshot and the new log), started on a copy of that data as 1.36.23 logs \"migrated compact v2 snapshot to snapshot directory\", counts 2,000 objects and finds the exact nearest neighbour of 25 of 25 queries; as 1.36.9 it logs \"failed to reload local index\" (\"find commit logger file in directory: strconv.ParseInt: parsing \\\"<ts>.snapshot\\\": invalid syntax\") and answers every query with \"tried to browse non-existing index for Doc\". " +
			"The .sorted rename is commit be2b31a04e (migrateCompactV2SortedFiles, v1.36.13 adapters/repos/db/vector/hnsw/commit_logger_snapshot.go line 331), found by `git grep migrateCompactV2SortedFiles <tag> -- adapters` in every tag from v1.35.19, v1.36.13, v1.37.3 and v1.38.0 on and in none before; the failing name is v1.36.12 commit_logger_snapshot.go snapshotFileName (line 431, trims only \".condensed\") and cleanupSnapshots (line 512, \"parse snapshot time\"), after which startup.go drops the loaded state. " +
			"Tried with real servers (internal/knowledgetest TestDowngradeSortedFrom139, 2026-12-01): 1.39.0 with 2,000 vectors, restarted (snapshot), then 100 more and restarted again leaves a 4,194,329-byte <ts>.snapshot and a 54-55 KB <ts>.sorted; with 700 more, a 292 KB .sorted (7% of the snapshot). " +
			"On the small .sorted with default settings 1.36.10, 1.36.12, 1.36.13 and 1.36.23 all count 2,100 objects and find the exact nearest neighbour of all 2,100. With a snapshot at every start (PERSISTENCE_HNSW_SNAPSHOT_MIN_DELTA_COMMITLOGS_SIZE_PERCENTAGE=0), 1.36.10 and 1.36.12 log \"cleanup previous snapshot: parse snapshot time: strconv.ParseInt: parsing \\\"<ts>.sorted\\\": invalid syntax\" and \"failed to read last snapshot, loading from commit log\", count 2,100 objects and get 712-720 of the 2,000 older objects' nearest neighbours wrong (three runs: 713, 712, 720); on the large .sorted with default settings the same log lines and 2 of 2,000 wrong (most older nodes are linked again after the snapshot). " +
			"After 50 more writes and a restart they load <ts>.sorted.snapshot and all 2,150 are right; 1.36.13 and 1.36.23 log \"migrated compact v2 sorted file to condensed\" and are right on every start.",
	},
	Example: &Example{File: "compose.yaml", From: "1.35.4", Content: `services:
  weaviate:
    image: cr.weaviate.io/semitechnologies/weaviate:1.24.26
`, Output: []string{"compose.yaml:3:53: error: downgrade from 1.35.4 to 1.24.26: a downgrade below 1.25 needs POST /v1/cluster/schema-v1 to turn the Raft metadata back into the old schema, and 1.35.0 removed that endpoint; restore a backup taken on the old version instead [WV1009 irreversible-downgrade]"}},
	Run: func(p *Pass) error {
		return each(p, func(c *Change) {
			if c.Ephemeral() || !c.Downgrade() {
				return
			}
			// The judgement `wvlint plan` refuses by too.
			if why, ok := facts.Irreversible(c.From, c.To()); ok {
				p.Reportf(c, Error, "downgrade from %s to %s: %s", c.From, c.To(), why)
			}
			// Not irreversible, but the first start serves a partial
			// index: a warning, in the words `wvlint plan` warns with.
			if why, ok := facts.SortedCaveat(c.From, c.To()); ok {
				p.Reportf(c, Warning, "downgrade from %s to %s: %s", c.From, c.To(), why)
			}
		})
	},
}
