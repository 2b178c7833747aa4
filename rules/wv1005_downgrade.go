package rules

import (
	"strings"

	"github.com/wvlint/wvlint/internal/facts"
	"github.com/wvlint/wvlint/internal/plan"
)

// Downgrade is WV1005.
var Downgrade = &Rule{
	ID: "WV1005", Name: "downgrade", Severity: Warning,
	Title: "a downgrade",
	Tags:  []string{"downgrade"},
	Doc: Doc{
		Why:    "Downgrades are not covered by Weaviate's upgrade path: data written by the newer version may not be readable by the older one. Some need extra steps (below 1.25, the schema-v1 endpoint).",
		Fix:    "Take a backup first and follow `wvlint plan FROM TO`; prefer fixing forward.",
		Source: "Weaviate docs, Migration and upgrades (/deploy/migration) and the 1.25 migration guide (/deploy/migration/weaviate-1-25).",
	},
	Example: &Example{File: "compose.yaml", From: "1.28.16", Content: `services:
  weaviate:
    image: cr.weaviate.io/semitechnologies/weaviate:1.27.27
`,
		Output: []string{"compose.yaml:3:53: warning: downgrade from 1.28.16 to 1.27.27; take a backup first and see 'wvlint plan 1.28.16 1.27.27' [WV1005 downgrade]"}},
	Run: func(p *Pass) error {
		return each(p, func(c *Change) {
			if c.Ephemeral() || !c.Downgrade() || facts.UnsafeDowngrade(c.From, c.To()) {
				return
			}
			if _, ok := facts.Irreversible(c.From, c.To()); ok {
				return // WV1009 says more
			}
			pl := plan.Make(c.From, c.To(), plan.Options{Nodes: c.D.Nodes}, p.Catalog)
			var notes []string
			if pl.Refused != "" {
				notes = append(notes, strings.TrimPrefix(pl.Refused, "refused: "))
			}
			for _, s := range pl.Steps {
				for _, a := range s.Actions {
					if a.Kind == plan.KindSchemaV1 {
						notes = append(notes, a.Text)
					}
				}
			}
			notes = append(notes, pl.Warnings...)
			msg := "take a backup first and see 'wvlint plan " + c.From.String() + " " + c.To().String() + "'"
			if len(notes) > 0 {
				msg = strings.Join(notes, "; ")
			}
			p.Reportf(c, Warning, "downgrade from %s to %s; %s", c.From, c.To(), msg)
		})
	},
}
