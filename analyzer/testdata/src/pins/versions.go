package pins

// The version every integration test runs, kept in one place.
const weaviateVersion = "1.27.5" // want `1.27.5 is not the latest patch of 1.27; use 1.27.27 .*\[WV1002 not-latest-patch\]`

const weaviateRepo = "semitechnologies/weaviate"
