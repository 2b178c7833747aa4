package rules

import "github.com/wvlint/wvlint/internal/version"

// FloatingTag is WV2001.
var FloatingTag = &Rule{
	ID: "WV2001", Name: "floating-tag", Severity: Warning,
	Title: "the image tag floats",
	Tags:  []string{"image"},
	Doc: Doc{
		Why: "`latest`, no tag, a minor-only tag (`1.27`) or a branch tag (`stable-v1.27-*`, `nightly`) moves when Weaviate publishes: a restart can skip minors with nobody deciding to. `latest` is pushed by every release build, including patches of older minors. " +
			"wvlint resolves `latest` (and no tag) to the release whose build pushed `latest` last (the most recent by date, since backports of older minors push it too) and `1.27` (or `1.27-<suffix>`) to the latest 1.27 patch through the release catalog, and every other rule judges that resolution: a move from 1.26.18 to `latest` is checked as the upgrade it is today.",
		Fix:    "Pin a full version such as 1.27.27.",
		Source: "weaviate/weaviate ci/push_docker.sh (image tags published per build).",

		AutoFix: "Writes the release the tag points at today: the latest patch for a minor tag (`1.27`, `stable-v1.27-*`); for `latest` or no tag, the release whose build pushed `latest` last (the most recent by date, since backports of older minors push it too), which the message asks you to check against what runs. `nightly` and other branch tags resolve to no release and get a note instead.",
	},
	Example: &Example{File: "compose.yaml", From: "", Content: `services:
  weaviate:
    image: cr.weaviate.io/semitechnologies/weaviate:1.27
`,
		Output: []string{"compose.yaml:3:53: warning: \"1.27\" names a minor, not a patch release: it stands for 1.27.27 as of the catalog of 2026-08-20 and will move with the next 1.27 patch; pin a full version such as 1.27.27 [WV2001 floating-tag]"},
		Fixed: `services:
  weaviate:
    image: cr.weaviate.io/semitechnologies/weaviate:1.27.27
`},
	Run: func(p *Pass) error {
		return each(p, func(c *Change) {
			k := c.D.Tag.Kind
			if k != version.Floating && k != version.Missing {
				return
			}
			if c.Resolved == nil {
				p.Reportf(c, Warning, "%s; pin a full version", c.D.Tag.Reason)
				return
			}
			moves := "will move with the next release"
			if c.D.Tag.Minor != "" {
				moves = "will move with the next " + c.D.Tag.Minor + " patch"
			}
			p.Reportf(c, Warning, "%s: it stands for %s as of the catalog of %s and %s; pin a full version such as %s",
				c.D.Tag.Reason, c.Resolved, c.resolvedAsOf, moves, c.Resolved)
		})
	},
}
