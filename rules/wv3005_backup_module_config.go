package rules

import (
	"path"
	"strings"
)

// BackupModuleConfig is WV3005.
var BackupModuleConfig = &Rule{
	ID: "WV3005", Name: "backup-module-config", Severity: Error,
	Title: "a backup module without the setting it needs",
	Tags:  []string{"config", "backup"},
	Doc: Doc{
		Why:    "Each backup module needs a setting to start: backup-filesystem an absolute BACKUP_FILESYSTEM_PATH, backup-s3 BACKUP_S3_BUCKET, backup-gcs BACKUP_GCS_BUCKET, backup-azure BACKUP_AZURE_CONTAINER and AZURE_STORAGE_ACCOUNT or AZURE_STORAGE_CONNECTION_STRING. Without it the module fails to initialise and Weaviate refuses to start. Settings that may come from env_file or envFrom are not judged.",
		Fix:    "Set the variable the message names (in the Helm chart: backups.<backend>.envconfig, or secrets for the Azure account).",
		Source: "Weaviate docs, Backups (/deploy/configuration/backups); weaviate/weaviate v1.39.0 modules/backup-*/module.go.",
	},
	Example: &Example{File: "compose.yaml", Content: `services:
  weaviate:
    image: cr.weaviate.io/semitechnologies/weaviate:1.28.16
    environment:
      CLUSTER_HOSTNAME: node1
      ENABLE_MODULES: backup-s3
`, Output: []string{"compose.yaml:6:23: error: backup-s3 needs BACKUP_S3_BUCKET; Weaviate refuses to start without it [WV3005 backup-module-config]"}},
	Run: func(p *Pass) error {
		return each(p, func(c *Change) {
			if c.Ephemeral() || c.D.EnvOpaque || c.To() == nil {
				return
			}
			env := c.D.Env
			set := func(name string) bool {
				e, ok := env[name]
				return ok && (e.Opaque || strings.TrimSpace(e.Value) != "")
			}
			// Point at the module list, where the module is turned on.
			where := env["ENABLE_MODULES"].Span
			for _, b := range c.D.Backups {
				switch b {
				case "backup-filesystem":
					if e, ok := env["BACKUP_FILESYSTEM_PATH"]; !ok || (!e.Opaque && !path.IsAbs(strings.TrimSpace(e.Value))) {
						p.ReportAtf(c, where, Error, "backup-filesystem needs BACKUP_FILESYSTEM_PATH set to an absolute path; Weaviate refuses to start without it")
					}
				case "backup-s3":
					if !set("BACKUP_S3_BUCKET") {
						p.ReportAtf(c, where, Error, "backup-s3 needs BACKUP_S3_BUCKET; Weaviate refuses to start without it")
					}
				case "backup-gcs":
					if !set("BACKUP_GCS_BUCKET") {
						p.ReportAtf(c, where, Error, "backup-gcs needs BACKUP_GCS_BUCKET; Weaviate refuses to start without it")
					}
				case "backup-azure":
					if !set("BACKUP_AZURE_CONTAINER") {
						p.ReportAtf(c, where, Error, "backup-azure needs BACKUP_AZURE_CONTAINER; Weaviate refuses to start without it")
					}
					if !set("AZURE_STORAGE_ACCOUNT") && !set("AZURE_STORAGE_CONNECTION_STRING") {
						p.ReportAtf(c, where, Error, "backup-azure needs AZURE_STORAGE_ACCOUNT or AZURE_STORAGE_CONNECTION_STRING; Weaviate refuses to start without one")
					}
				}
			}
		})
	},
}
