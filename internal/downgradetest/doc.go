// Package downgradetest holds an experiment with real Weaviate servers,
// not part of `make test`: a single 1.39.0 node with an HNSW index,
// restarted once (1.39 then turns the commit log into a snapshot file
// inside the commit log directory), is started as an older version on the
// same data. It proves both sides of WV1009's claim: a version with the
// migrate_compact_v2_snapshot read-back (1.36.10, 1.38.11) has every
// object and finds every nearest neighbour, and one without it (1.36.9)
// does not.
//
// Run it with `make downgrade-test`, which builds the servers it needs
// into ~/.cache/wvlint/weaviate/vVERSION (about 5 minutes each with a warm
// Go build cache, 15-20 the first time) and runs
//
//	go test -tags weaviate_downgrade -v ./internal/downgradetest
//
// WVLINT_WEAVIATE_DIR overrides the servers' directory.
package downgradetest
