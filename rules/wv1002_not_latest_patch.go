package rules

import "github.com/wvlint/wvlint/internal/version"

// NotLatestPatch is WV1002.
var NotLatestPatch = &Rule{
	ID: "WV1002", Name: "not-latest-patch", Severity: Warning,
	Title: "the version is not the latest patch of its minor",
	Tags:  []string{"upgrade", "hygiene"},
	Doc: Doc{
		Why:    "Every upgrade step should land on the newest patch of its minor: patches carry the fixes that make the next step safe. A deployment that does not change is reported as a note.",
		Fix:    "Use the latest patch the message names.",
		Source: "Weaviate docs, Migration and upgrades (/deploy/migration): \"always upgrade to the latest patch version\".",

		AutoFix: "Writes the latest patch of the minor where the version is written: the `.env` line, the `${VAR:-default}` default when nothing overrides it, the kustomize `newTag`, the `ARG` default, the workflow `env` value. A version that only a Helm chart's default sets (no `image.tag`) gets `image.tag` in the values file Helm reads last; the chart version is not bumped (docs/rules.md, \"Helm charts\", says why).",
	},
	Example: &Example{File: "compose.yaml", From: "1.26.18", Content: `services:
  weaviate:
    image: cr.weaviate.io/semitechnologies/weaviate:1.27.5
`,
		Output: []string{"compose.yaml:3:53: warning: 1.27.5 is not the latest patch of 1.27; use 1.27.27 (catalog as of 2026-08-20) [WV1002 not-latest-patch]"},
		Fixed: `services:
  weaviate:
    image: cr.weaviate.io/semitechnologies/weaviate:1.27.27
`},
	Run: func(p *Pass) error {
		return each(p, func(c *Change) {
			to := c.To()
			if to == nil || to.Prerelease() != "" || p.Catalog.NewerThanCatalog(to) || !p.Catalog.Has(to) {
				return
			}
			latest, ok := p.Catalog.Latest(version.MinorOf(to))
			if !ok || !to.LessThan(latest) {
				return
			}
			sev := Warning
			if c.From != nil && c.From.Equal(to) || c.From == nil {
				sev = Note
			}
			p.Reportf(c, sev, "%s is not the latest patch of %s; use %s (catalog as of %s)", to, version.MinorOf(to), latest, p.Catalog.AsOf.Format("2006-01-02"))
		})
	},
}
