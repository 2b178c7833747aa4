package rules

import "github.com/wvlint/wvlint/internal/facts"

// IrreversibleDowngrade is WV1009.
var IrreversibleDowngrade = &Rule{
	ID: "WV1009", Name: "irreversible-downgrade", Severity: Error,
	Title: "a downgrade the data cannot follow",
	Tags:  []string{"downgrade", "raft"},
	Doc: Doc{
		Why: "Some upgrades change data for good. The documented way back from 1.25+ to 1.24 converts Raft metadata with POST /v1/cluster/schema-v1, which is present in 1.25.0-1.34.x and gone from 1.35.0: from 1.35 on there is no way back below 1.25 (an error). " +
			"1.39, on a restart, turns each HNSW commit log into a snapshot file inside the commit log directory and drops the log it covers. 1.35.17+, 1.36.10+ and every 1.37 and 1.38 patch move that file to their snapshot directory on start (\"migrated compact v2 snapshot to snapshot directory\") and load it, so a downgrade from 1.39 to them is not irreversible for this reason (WV1005 still asks for a backup); older patches (1.36.0-1.36.9, 1.35.16 and below) have no such code: a downgrade from 1.39 to them is an error. Not judged yet: the \".sorted\" commit logs 1.39's compactor also writes are renamed only from 1.35.19, 1.36.13, 1.37.3 and 1.38.0 (commit be2b31a04e), so 1.36.13+ is the safer landing.",
		Fix: "Restore a backup taken before the upgrade into the older version, or stay and fix forward; from 1.39, downgrade to 1.36.10+, 1.37 or 1.38 instead.",
		Source: "Weaviate docs, 1.25 migration guide (/deploy/migration/weaviate-1-25), downgrade section; weaviate/weaviate source: the schema-v1 route in adapters/handlers/rest/raft/handler.go exists through v1.34.x and not in v1.35.0; " +
			"the HNSW read-back is commit 3c3849dfbf \"hnsw: add support for compactv2 downgrades\" (adapters/repos/db/vector/hnsw/commit_logger_snapshot.go migrateCompactV2Snapshot, line 316 action migrate_compact_v2_snapshot, and commit_logger.go skipping .snapshot files), " +
			"found by `git grep migrate_compact_v2_snapshot <tag> -- adapters` in v1.35.17-v1.35.23, v1.36.10-v1.36.23 and every v1.37.x and v1.38.x tag, not in v1.35.16, v1.36.9 or older; v1.39.0 adapters/repos/db/vector/hnsw/compact writes the snapshots. " +
			"Tried with real servers (internal/knowledgetest TestDowngradeFrom139, 2026-12-01): a single 1.39.0 node with 2,000 32-dimensional vectors, restarted once (main.hnsw.commitlog.d then holds <ts>.snapshot and the new log), started on a copy of that data as 1.36.23 logs \"migrated compact v2 snapshot to snapshot directory\", counts 2,000 objects and finds the exact nearest neighbour of 25 of 25 queries; as 1.36.9 it logs \"failed to reload local index\" (\"find commit logger file in directory: strconv.ParseInt: parsing \\\"<ts>.snapshot\\\": invalid syntax\") and answers every query with \"tried to browse non-existing index for Doc\".",
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
		})
	},
}
