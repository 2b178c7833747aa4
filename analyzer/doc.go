// Package analyzer is a go/analysis analyzer for Weaviate images pinned in
// Go code, as integration tests and tools do with testcontainers-go:
//
//	weaviate.Run(ctx, "semitechnologies/weaviate:1.28.2")
//	weaviate.RunContainer(ctx, testcontainers.WithImage("semitechnologies/weaviate:1.28.2"))
//	testcontainers.ContainerRequest{Image: "semitechnologies/weaviate:1.28.2"}
//	const weaviateImage = "semitechnologies/weaviate:" + weaviateVersion
//
// Constants and package-level variables are followed to the literal that
// holds the tag, so a diagnostic points at the text to edit. Go pins are
// test deployments: the single-version rules apply (WV2001 floating-tag,
// WV1002 not-latest-patch, WV2002 unknown-version); pre-releases are fine in
// tests and the upgrade-path rules do not apply. Each diagnostic's Category
// is its rule ID and its URL the rule's documentation; WV1002 (and a
// minor-only tag) comes with a suggested fix that moves the pin to the
// latest patch of its minor.
//
// It runs inside wvlint (Go files are read like any other source), as a vet
// tool (cmd/wvlint-vet: go vet -vettool=$(which wvlint-vet) ./...), and as a
// golangci-lint module plugin (package analyzer/golangci).
package analyzer
