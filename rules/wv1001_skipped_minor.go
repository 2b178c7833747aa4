package rules

import (
	"fmt"
	"github.com/wvlint/wvlint/internal/version"
	"strings"

	"github.com/wvlint/wvlint/internal/plan"
)

// SkippedMinor is WV1001.
var SkippedMinor = &Rule{
	ID: "WV1001", Name: "skipped-minor", Severity: Error,
	Title: "an upgrade skips a minor version",
	Tags:  []string{"upgrade"},
	Doc: Doc{
		Why:    "Weaviate supports upgrades one minor version at a time. Each minor migrates data and cluster metadata written by the one before it; skipping one leaves those migrations undone.",
		Fix:    "Upgrade through every minor in between, each on its latest patch, as the message's path shows (also `wvlint plan FROM TO`).",
		Source: "Weaviate docs, Migration and upgrades (/deploy/migration): \"upgrade one minor version at a time\".",

		AutoFix: "Writes the first step of the path (the latest patch of the next minor) where the version is written; the message gives the rest of the path, and `wvlint bump` walks it one change at a time.",
	},
	Example: &Example{File: "compose.yaml", From: "1.25.10", Content: `services:
  weaviate:
    image: cr.weaviate.io/semitechnologies/weaviate:1.27.27
    environment:
      ENABLE_MODULES: backup-s3
`,
		Output: []string{"compose.yaml:3:53: error: upgrade from 1.25.10 to 1.27.27 skips 1.26; upgrade to 1.26.18 first (path: 1.26.18 -> 1.27.27) [WV1001 skipped-minor]"},
		Fixed: `services:
  weaviate:
    image: cr.weaviate.io/semitechnologies/weaviate:1.26.18
    environment:
      ENABLE_MODULES: backup-s3
`},
	Run: func(p *Pass) error {
		return each(p, func(c *Change) {
			if c.Ephemeral() || !c.Upgrade() {
				return
			}
			from, to := c.From, c.To()
			if from.Major() != to.Major() || to.Minor() <= from.Minor()+1 {
				return
			}
			// The path ends on the latest patch of the target's minor, as
			// every step should.
			target := to
			if l, ok := p.Catalog.Latest(version.MinorOf(to)); ok && l.GreaterThan(to) {
				target = l
			}
			pl := plan.Make(from, target, plan.Options{}, p.Catalog)
			var path []string
			for _, s := range pl.Steps {
				path = append(path, s.Version)
			}
			var skipped []string
			for m := from.Minor() + 1; m < to.Minor(); m++ {
				skipped = append(skipped, fmt.Sprintf("%d.%d", from.Major(), m))
			}
			first := ""
			if len(path) > 0 {
				first = path[0]
			}
			p.Reportf(c, Error, "upgrade from %s to %s skips %s; upgrade to %s first (path: %s)",
				from, to, strings.Join(skipped, ", "), first, strings.Join(path, " -> "))
		})
	},
}
