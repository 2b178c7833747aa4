// Package knowledgetest holds experiments with real Weaviate servers that
// prove what the knowledge rules claim, run by `make knowledge-test` and
// not part of `make test` (they build several servers: about 5 minutes
// each with a warm Go build cache, 15-20 the first time, into the cache
// the live tests share, ~/.cache/wvlint/weaviate/vVERSION or
// $WVLINT_WEAVIATE_DIR). The tests carry the build tag weaviate_knowledge:
//
//	go test -tags weaviate_knowledge -v ./internal/knowledgetest
//
// TestDowngradeFrom139 (WV1009): a single 1.39.0 node with an HNSW index,
// restarted once (1.39 then turns the commit log into a snapshot file
// inside the commit log directory), is started as an older version on the
// same data: a version with the migrate_compact_v2_snapshot read-back
// (1.38.11, 1.36.10) has every object and finds every nearest neighbour,
// one without it (1.36.9) does not. DOWNGRADE_TARGETS picks the versions.
//
// TestDowngradeSortedFrom139 (WV1009's warning): 1.39.0 data that also
// holds a <ts>.sorted commit log beside the snapshot (written after it,
// restarted once more) is started as 1.36.10 and 1.36.12 (read-back, no
// rename of .sorted files) and 1.36.13 and 1.36.23 (which rename them),
// with default settings and with a snapshot at every start, and again
// after writing with the older version; every object's nearest neighbour
// is checked on both starts. SORTED_TARGETS picks the versions.
//
// TestRaftVoters (WV3004) and TestRenamedSingleNode (WV3003) start one
// server (KNOWLEDGE_RAFT_VERSION, default 1.36.23) with the settings the
// rules judge.
package knowledgetest
