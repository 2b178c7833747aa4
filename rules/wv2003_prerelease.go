package rules

import "github.com/wvlint/wvlint/internal/version"

// Prerelease is WV2003.
var Prerelease = &Rule{
	ID: "WV2003", Name: "prerelease", Severity: Warning,
	Title: "a pre-release or preview build outside tests",
	Tags:  []string{"image"},
	Doc: Doc{
		Why: "Release candidates, alphas and betas are not supported in production, and there is no upgrade path from them. " +
			"Preview builds (`1.39.0-22948b7`, `preview-<branch>-<sha>`, pushed by Weaviate's CI for pull requests) are unreleased builds of one commit: no release carries their changes as they are.",
		Fix:    "Use a release; keep pre-releases and preview builds to tests (CI service containers and testcontainers are exempt).",
		Source: "Weaviate docs, \"run an unreleased version\" (release candidate images are not supported); weaviate/weaviate ci/push_docker.sh (preview tags).",
	},
	Example: &Example{File: "compose.yaml", From: "", Content: `services:
  weaviate:
    image: cr.weaviate.io/semitechnologies/weaviate:1.39.0-rc.1
`,
		Output: []string{"compose.yaml:3:53: warning: 1.39.0-rc.1 is a pre-release; use a release outside tests [WV2003 prerelease]"}},
	Run: func(p *Pass) error {
		return each(p, func(c *Change) {
			if c.Ephemeral() {
				return
			}
			if c.D.Tag.Kind == version.Preview {
				p.Reportf(c, Warning, "%s; use a release outside tests", c.D.Tag.Reason)
				return
			}
			if v := c.To(); v != nil && v.Prerelease() != "" {
				p.Reportf(c, Warning, "%s is a pre-release; use a release outside tests", v)
			}
		})
	},
}
