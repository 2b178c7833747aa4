package rules

// Prerelease is WV2003.
var Prerelease = &Rule{
	ID: "WV2003", Name: "prerelease", Severity: Warning,
	Title: "a pre-release outside tests",
	Tags:  []string{"image"},
	Doc: Doc{
		Why:    "Release candidates, alphas and betas are not supported in production, and there is no upgrade path from them.",
		Fix:    "Use a release; keep pre-releases to tests (CI service containers and testcontainers are exempt).",
		Source: "Weaviate docs, \"run an unreleased version\" (release candidate images are not supported).",
	},
	Example: &Example{File: "compose.yaml", From: "", Content: `services:
  weaviate:
    image: cr.weaviate.io/semitechnologies/weaviate:1.39.0-rc.1
`,
		Output: []string{"compose.yaml:3:53: warning: 1.39.0-rc.1 is a pre-release; use a release outside tests [WV2003 prerelease]"}},
	Run: func(p *Pass) error {
		return each(p, func(c *Change) {
			if v := c.To(); v != nil && v.Prerelease() != "" && !c.Ephemeral() {
				p.Reportf(c, Warning, "%s is a pre-release; use a release outside tests", v)
			}
		})
	},
}
