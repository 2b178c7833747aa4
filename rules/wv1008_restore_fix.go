package rules

import "github.com/wvlint/wvlint/internal/facts"

var restoreFixed = facts.RestoreFixed.Version

// RestoreFix is WV1008.
var RestoreFix = &Rule{
	ID: "WV1008", Name: "restore-fix", Severity: Warning,
	Title: "an upgrade from before the 1.23.13 restore fix",
	Tags:  []string{"upgrade", "backup"},
	Doc: Doc{
		Why:    "Versions before 1.23.13 could store restored data incorrectly. Data that went through a restore there must be restored again on a fixed version.",
		Fix:    "Back up, upgrade (one minor at a time) to 1.23.13 or later, preferably 1.23.16, and restore that backup there before going further.",
		Source: "Weaviate docs, Migration and upgrades (/deploy/migration) and Backups (/deploy/configuration/backups).",
	},
	Example: &Example{File: "compose.yaml", From: "1.23.10", Content: `services:
  weaviate:
    image: cr.weaviate.io/semitechnologies/weaviate:1.23.16
`,
		Output: []string{"compose.yaml:3:53: warning: upgrade from 1.23.10, before the 1.23.13 backup-restore fix; back up, reach 1.23.16 and restore the backup there [WV1008 restore-fix]"}},
	Run: func(p *Pass) error {
		return each(p, func(c *Change) {
			if c.Ephemeral() || !c.Upgrade() || !c.From.LessThan(restoreFixed) {
				return
			}
			p.Reportf(c, Warning, "upgrade from %s, before the %s backup-restore fix; back up, reach %s and restore the backup there", c.From, restoreFixed, facts.RestorePrefer)
		})
	},
}
