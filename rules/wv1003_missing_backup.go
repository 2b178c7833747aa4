package rules

import (
	"fmt"
	"slices"
	"strings"
)

// MissingBackup is WV1003.
var MissingBackup = &Rule{
	ID: "WV1003", Name: "missing-backup", Severity: Error,
	Title: "an upgrade without a backup",
	Tags:  []string{"upgrade", "backup"},
	Doc: Doc{
		Why:    "Take a full backup before every upgrade. A deployment with no backup module (backup-filesystem, backup-s3, backup-gcs, backup-azure) cannot take one: that is an error. With a module but no recorded backup, it is a warning. A `# wvlint:backup` comment counts only when this change adds or changes it: one that was already there at the base revision (absent or different there means new) was left by an earlier upgrade and records that upgrade's backup. With no base revision (`--from`), a comment counts as written. A `Weaviate-Backup:` trailer counts in the commits since the base, so not under `--staged`, which runs before the commit exists. Evidence counts only on a backend the deployment enables: a backup recorded as `gcs/<id>` for a cluster that enables only backup-s3 is a warning.",
		Fix:    "Enable a backup module (ENABLE_MODULES, or backups.<backend>.enabled in the Helm chart), take a backup, and record it: a `# wvlint:backup <backend>/<id>` comment on or above the version line (a new one for each upgrade), a `Weaviate-Backup: <backend>/<id>` commit trailer, or `--backup <backend>/<id>`. The backup call is `POST /v1/backups/<backend>` with `{\"id\": \"<id>\"}`.",
		Source: "Weaviate docs, Migration and upgrades (/deploy/migration) and Backups (/deploy/configuration/backups).",
	},
	Example: &Example{File: "values.yaml", From: "1.26.18", Content: `image:
  repo: semitechnologies/weaviate
  tag: 1.27.27
replicas: 3
`,
		Output: []string{"values.yaml:3:8: error: upgrade from 1.26.18 to 1.27.27 with no backup module enabled; enable one (backup-filesystem, backup-s3, backup-gcs or backup-azure) and take a backup first [WV1003 missing-backup]"}},
	Run: func(p *Pass) error {
		return each(p, func(c *Change) {
			if c.Ephemeral() || !c.Upgrade() {
				return
			}
			if len(c.Backups) > 0 {
				// Evidence counts when it is on a backend the deployment
				// enables: a backup on gcs says nothing about a cluster
				// that can only back up to s3.
				if !c.D.BackupsKnown || len(c.D.Backups) == 0 {
					return
				}
				for _, b := range c.Backups {
					backend, _, _ := strings.Cut(b, "/")
					if slices.Contains(c.D.Backups, "backup-"+backend) {
						return
					}
				}
				p.Reportf(c, Warning, "upgrade from %s to %s: the recorded backup %s is on a backend this deployment does not enable (it enables %s); take the backup with the module it runs and record that one",
					c.From, c.To(), strings.Join(c.Backups, ", "), strings.Join(c.D.Backups, ", "))
				return
			}
			if len(c.D.Backups) == 0 && !c.D.BackupsKnown {
				p.Reportf(c, Warning, "upgrade from %s to %s; wvlint cannot see this deployment's backup modules: make sure one is enabled, take a backup and record it with a \"# wvlint:backup <backend>/<id>\" comment", c.From, c.To())
				return
			}
			if len(c.D.Backups) == 0 {
				p.Reportf(c, Error, "upgrade from %s to %s with no backup module enabled; enable one (backup-filesystem, backup-s3, backup-gcs or backup-azure) and take a backup first", c.From, c.To())
				return
			}
			var calls []string
			backend := ""
			for _, b := range c.D.Backups {
				name := strings.TrimPrefix(b, "backup-")
				if backend == "" {
					backend = name
				}
				calls = append(calls, "POST /v1/backups/"+name)
			}
			record := fmt.Sprintf("a \"# wvlint:backup %s/<id>\" comment on the version line or --backup %s/<id>", backend, backend)
			if c.TrailersRead {
				record = fmt.Sprintf("a \"# wvlint:backup %s/<id>\" comment or a \"Weaviate-Backup: %s/<id>\" commit trailer", backend, backend)
			}
			stale := ""
			if len(c.StaleBackups) > 0 {
				stale = fmt.Sprintf(" (the \"# wvlint:backup %s\" comment was already there at %s: it records an earlier upgrade's backup)", c.StaleBackups[0], c.FromWhere)
			}
			p.Reportf(c, Warning, "upgrade from %s to %s with no recorded backup%s; take one (%s with {\"id\": \"<id>\"}) and record it with %s",
				c.From, c.To(), stale, strings.Join(calls, " or "), record)
		})
	},
}
