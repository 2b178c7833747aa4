package rules

import "github.com/wvlint/wvlint/internal/facts"

var syncVersion = facts.MetadataSync.Version

// MetadataSync is WV1007.
var MetadataSync = &Rule{
	ID: "WV1007", Name: "metadata-sync", Severity: Note,
	Title: "check cluster metadata is in sync before upgrading to 1.26+",
	Tags:  []string{"upgrade", "raft"},
	Doc: Doc{
		Why:    "Before upgrading to 1.26 or later, every node's cluster metadata must be synchronized. A file cannot prove it, so this is a reminder (a note: it does not fail a build by default).",
		Fix:    "Poll GET /v1/cluster/statistics until it lists one entry per node and `synchronized` is true, then upgrade.",
		Source: "Weaviate docs, Migration and upgrades (/deploy/migration); weaviate-local-k8s `wait_for_raft_sync`.",
	},
	Example: &Example{File: "compose.yaml", From: "1.25.34", Content: `services:
  weaviate:
    image: cr.weaviate.io/semitechnologies/weaviate:1.26.18
`,
		Output: []string{"compose.yaml:3:53: note: before upgrading to 1.26.18, check GET /v1/cluster/statistics lists every node with synchronized: true [WV1007 metadata-sync]"}},
	Run: func(p *Pass) error {
		return each(p, func(c *Change) {
			if c.Ephemeral() || !c.Upgrade() || c.To().LessThan(syncVersion) || c.From.LessThan(raftVersion) {
				return
			}
			p.Reportf(c, Note, "before upgrading to %s, check GET /v1/cluster/statistics lists every node with synchronized: true", c.To())
		})
	},
}
