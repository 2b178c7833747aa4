// Package weaviatetest runs real Weaviate servers for wvlint's tests: one
// node or a cluster on loopback, as weaviate/weaviate's
// tools/dev/run_dev_server.sh runs one, from the binaries that
// .ci/weaviate-server.sh builds. Every process it starts runs in its own
// process group and is stopped by the test's cleanup.
//
// A missing binary fails the test (it never skips), saying how to build it.
package weaviatetest
