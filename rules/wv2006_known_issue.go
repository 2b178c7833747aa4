package rules

import (
	"github.com/wvlint/wvlint/internal/commalist"
	"github.com/wvlint/wvlint/internal/version"
	"strings"
)

// KnownIssueRule is WV2006.
var KnownIssueRule = &Rule{
	ID: "WV2006", Name: "known-issue", Severity: Warning,
	Title: "the version has a known issue that a newer patch fixes",
	Tags:  []string{"known-issue"},
	Doc: Doc{
		Why:    "Weaviate lists known issues with the versions they affect and the versions that fix them: a node hanging at startup (\"waiting for database to be restored\") after a failed Raft log entry on 1.27.23-1.27.26 (fixed in 1.27.27), read repair writing partial objects on replicated clusters (fixed in 1.37.14 and 1.38.7), a Raft snapshot of an empty schema crashing the server (1.28.13 to 1.31.1, in the ranges the code has), tenant deletion timing out with a misconfigured offload-s3, and more. The table is data (rules/data/known-issues.tsv) with its source; its ranges and summaries are checked against weaviate/weaviate's tags.",
		Fix:    "Move to the fixed version the message names (the latest patch of the minor is best).",
		Source: "Weaviate docs, Known issues (/weaviate/release-notes/known-issues), \"Last Updated: August 2026\"; weaviate/weaviate fixes 409d327cec (restore-blocked: cluster/store_apply.go), 3e46da7829 (empty-collection-panic, which came with 527c761db6: cluster/fsm/snapshot.go, cluster/schema/snapshot.go) and 2a9e88f528 (tenant-deletion-deadline: adapters/repos/db/migrator.go), each range checked tag by tag (rules/data/known-issues.tsv says how).",
	},
	Example: &Example{File: "compose.yaml", Content: `services:
  weaviate:
    image: cr.weaviate.io/semitechnologies/weaviate:1.27.24
`, Output: []string{"compose.yaml:3:53: warning: 1.27.24 has a known issue: a node can hang at startup, stuck \"waiting for database to be restored\", when the last Raft log entry it applied before a restart had failed (not a backup restore); fixed in 1.27.27 [WV2006 known-issue]"}},
	Run: func(p *Pass) error {
		return each(p, func(c *Change) {
			v := c.To()
			if v == nil || c.Ephemeral() || v.Prerelease() != "" {
				return
			}
			for _, k := range KnownIssues() {
				if !k.Affects(v) || p.Catalog.NewerThanCatalog(k.Fixed) {
					continue
				}
				switch {
				case k.AppliesTo == "multi-node" && c.D.Nodes < 2:
					continue
				case strings.HasPrefix(k.AppliesTo, "module:"):
					mods := c.D.Env["ENABLE_MODULES"].Value
					if !commalist.Contains(mods, strings.TrimPrefix(k.AppliesTo, "module:")) {
						continue
					}
				}
				// A fix only in a later minor cannot be reached in one step:
				// a note that names that minor. The version staying as it
				// was is not this change's doing: a note too.
				switch {
				case version.MinorOf(k.Fixed) != version.MinorOf(v):
					p.Reportf(c, Note, "%s has a known issue: %s; fixed only in a later minor, %s (%s), reached one minor at a time", v, k.Summary, version.MinorOf(k.Fixed), k.Fixed)
				case c.Unchanged():
					p.Reportf(c, Note, "%s has a known issue: %s; fixed in %s", v, k.Summary, k.Fixed)
				default:
					p.Reportf(c, Warning, "%s has a known issue: %s; fixed in %s", v, k.Summary, k.Fixed)
				}
			}
		})
	},
}
