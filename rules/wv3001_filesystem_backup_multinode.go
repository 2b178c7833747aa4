package rules

// FilesystemBackupMultinode is WV3001.
var FilesystemBackupMultinode = &Rule{
	ID: "WV3001", Name: "filesystem-backup-multinode", Severity: Warning,
	Title: "backup-filesystem is the only backup of a multi-node deployment",
	Tags:  []string{"backup", "cluster"},
	Doc: Doc{
		Why:    "backup-filesystem writes each node's part of a backup to that node's own disk: it is meant for development and single-node setups, not for multi-node or production clusters.",
		Fix:    "Enable backup-s3, backup-gcs or backup-azure.",
		Source: "Weaviate docs, Backups (/deploy/configuration/backups): filesystem backups are not for multi-node or production use.",
	},
	Example: &Example{File: "values.yaml", From: "", Content: `image:
  repo: semitechnologies/weaviate
  tag: 1.28.16
replicas: 3
backups:
  filesystem:
    enabled: true
`,
		Output: []string{"values.yaml:3:8: warning: backup-filesystem is the only backup module of this 3-node deployment; use backup-s3, backup-gcs or backup-azure [WV3001 filesystem-backup-multinode]"}},
	Run: func(p *Pass) error {
		return each(p, func(c *Change) {
			b := c.D.Backups
			if c.Ephemeral() || c.D.Nodes < 2 || len(b) != 1 || b[0] != "backup-filesystem" {
				return
			}
			p.Reportf(c, Warning, "backup-filesystem is the only backup module of this %d-node deployment; use backup-s3, backup-gcs or backup-azure", c.D.Nodes)
		})
	},
}
