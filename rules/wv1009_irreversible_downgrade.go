package rules

import "github.com/Masterminds/semver/v3"

var (
	schemaV1Gone  = semver.MustParse("1.35.0")
	oneWayStorage = semver.MustParse("1.39.0")
)

// irreversible reports whether a downgrade cannot be undone by the usual
// means, and at which severity.
func irreversible(from, to *semver.Version) (Severity, string, bool) {
	switch {
	case !from.LessThan(schemaV1Gone) && to.LessThan(raftVersion):
		return Error, "a downgrade below 1.25 needs POST /v1/cluster/schema-v1 to turn the Raft metadata back into the old schema, and 1.35.0 removed that endpoint; restore a backup taken on the old version instead", true
	case !from.LessThan(oneWayStorage) && to.LessThan(oneWayStorage):
		return Warning, "1.39 moved HNSW snapshots into the commit log on first start, a one-way file change; a downgrade below 1.39 is not confirmed safe: restore a backup taken on the old version, or test the downgrade on a copy", true
	}
	return Note, "", false
}

// IrreversibleDowngrade is WV1009.
var IrreversibleDowngrade = &Rule{
	ID: "WV1009", Name: "irreversible-downgrade", Severity: Error,
	Title: "a downgrade the data cannot follow",
	Tags:  []string{"downgrade", "raft"},
	Doc: Doc{
		Why:    "Some upgrades change data for good. The documented way back from 1.25+ to 1.24 converts Raft metadata with POST /v1/cluster/schema-v1, which is present in 1.25.0-1.34.x and gone from 1.35.0: from 1.35 on there is no way back below 1.25 (an error). 1.39 moves HNSW snapshot files into the commit log on first start; whether an older version reads the result is not confirmed (a warning).",
		Fix:    "Restore a backup taken before the upgrade into the older version, or stay and fix forward.",
		Source: "Weaviate docs, 1.25 migration guide (/deploy/migration/weaviate-1-25), downgrade section; weaviate/weaviate source: the schema-v1 route in adapters/handlers/rest/raft/handler.go exists through v1.34.x and not in v1.35.0; docs storage concepts, pre-v1.39 configuration, and v1.39.0 adapters/repos/db/vector/hnsw/compact/migrator.go.",
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
			if sev, why, ok := irreversible(c.From, c.To()); ok {
				p.Reportf(c, sev, "downgrade from %s to %s: %s", c.From, c.To(), why)
			}
		})
	},
}
