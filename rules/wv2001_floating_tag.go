package rules

import "github.com/wvlint/wvlint/internal/version"

// FloatingTag is WV2001.
var FloatingTag = &Rule{
	ID: "WV2001", Name: "floating-tag", Severity: Warning,
	Title: "the image tag floats",
	Tags:  []string{"image"},
	Doc: Doc{
		Why:    "`latest`, no tag, a minor-only tag (`1.27`) or a branch tag (`stable-v1.27-*`, `nightly`) moves when Weaviate publishes: a restart can skip minors with nobody deciding to. `latest` is pushed by every release build, including patches of older minors.",
		Fix:    "Pin a full version such as 1.27.27.",
		Source: "weaviate/weaviate ci/push_docker.sh (image tags published per build).",

		AutoFix: "Writes the release the tag points at today: the latest patch for a minor tag (`1.27`, `stable-v1.27-*`); for `latest` or no tag, the release whose build pushed `latest` last (the most recent by date, since backports of older minors push it too), which the message asks you to check against what runs. `nightly` and other branch tags resolve to no release and get a note instead.",
	},
	Example: &Example{File: "compose.yaml", From: "", Content: `services:
  weaviate:
    image: cr.weaviate.io/semitechnologies/weaviate:latest
`,
		Output: []string{"compose.yaml:3:53: warning: \"latest\" is a moving tag, not a version; pin a full version [WV2001 floating-tag]"},
		Fixed: `services:
  weaviate:
    image: cr.weaviate.io/semitechnologies/weaviate:1.38.11
`},
	Run: func(p *Pass) error {
		return each(p, func(c *Change) {
			if k := c.D.Tag.Kind; k == version.Floating || k == version.Missing {
				p.Reportf(c, Warning, "%s; pin a full version", c.D.Tag.Reason)
			}
		})
	},
}
