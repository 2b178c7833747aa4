package app

// WeaviateVersion is the version the tests run (é).
const WeaviateVersion = /* ünïcode */ "1.35.4"
