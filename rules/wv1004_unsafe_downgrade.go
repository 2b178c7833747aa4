package rules

import "github.com/wvlint/wvlint/internal/facts"

// UnsafeDowngrade is WV1004.
var UnsafeDowngrade = &Rule{
	ID: "WV1004", Name: "unsafe-downgrade", Severity: Error,
	Title: "a downgrade that breaks multi-node clusters",
	Tags:  []string{"downgrade", "raft"},
	Doc: Doc{
		Why:    "1.28.13+, 1.29.5+ and 1.30.2+ (and every later minor) store Raft snapshots in a form that 1.27.x before 1.27.26 cannot read: a multi-node cluster downgraded there may never become ready. An error on multi-node deployments, a warning when single-node or unknown.",
		Fix:    "Downgrade to 1.27.27: 1.27.26 reads the new snapshots, and 1.27.27 also fixes the 1.27.23-1.27.26 restore bug.",
		Source: "Weaviate docs, Migration and upgrades (/deploy/migration) and Known issues (/weaviate/release-notes/known-issues, \"Raft snapshot compatibility on downgrade\").",

		AutoFix: "Writes the latest patch of the target's minor, and at least 1.27.26 (the first patch that reads the new snapshots; 1.27.27 today).",
	},
	Example: &Example{File: "values.yaml", From: "1.30.2", Content: `image:
  repo: semitechnologies/weaviate
  tag: 1.27.20
replicas: 3
`,
		Output: []string{"values.yaml:3:8: error: downgrade from 1.30.2 to 1.27.20 may leave this multi-node cluster never ready: 1.27.20 cannot read its Raft snapshots; downgrade to 1.27.27 instead [WV1004 unsafe-downgrade]"},
		Fixed: `image:
  repo: semitechnologies/weaviate
  tag: 1.27.27
replicas: 3
`},
	Run: func(p *Pass) error {
		return each(p, func(c *Change) {
			if c.Ephemeral() || !c.Downgrade() || !facts.UnsafeDowngrade(c.From, c.To()) {
				return
			}
			sev, who := Warning, "a multi-node cluster"
			switch {
			case c.D.Nodes > 1:
				sev, who = Error, "this multi-node cluster"
			case c.D.Nodes == 0:
				who = "a multi-node cluster (the node count is unknown)"
			}
			p.Reportf(c, sev, "downgrade from %s to %s may leave %s never ready: %s cannot read its Raft snapshots; downgrade to %s instead",
				c.From, c.To(), who, c.To(), facts.DowngradeLanding)
		})
	},
}
