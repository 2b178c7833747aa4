package rules

import (
	"time"

	"github.com/wvlint/wvlint/internal/catalog"
	"github.com/wvlint/wvlint/internal/version"
)

// UnknownVersion is WV2002.
var UnknownVersion = &Rule{
	ID: "WV2002", Name: "unknown-version", Severity: Error,
	Title: "the version is not a Weaviate release",
	Tags:  []string{"image"},
	Doc: Doc{
		Why: "A version the release catalog shows cannot exist was never published: a typo, or text wvlint cannot read, such as an unset variable. Nothing can be checked about it (an error). " +
			"A version the catalog does not list but that may have been published after the catalog's date (a patch past the latest of a minor still receiving patches, a newer minor) is newer than the catalog: a note, and the other rules treat it as the newest patch of its minor. " +
			"A Helm chart version newer than the chart table is a note too: the Weaviate version it deploys by default is not known until the table is refreshed, so the upgrade path of that deployment is not checked. " +
			"An image pinned by digest alone (`weaviate@sha256:...`) names no version: a warning, since no upgrade rule can judge the move to it; a tag beside the digest (`weaviate:1.27.27@sha256:...`) keeps both the exact image and the version.",
		Fix:    "Use a published release; set the variable the image takes its tag from. If the version or chart is newer than wvlint's catalog, run `wvlint releases update` (or point `--releases` at a newer table).",
		Source: "The release catalog: git tags of weaviate/weaviate, and the weaviate-helm chart repository's index.",
	},
	Example: &Example{File: "compose.yaml", From: "", Content: `services:
  weaviate:
    image: cr.weaviate.io/semitechnologies/weaviate:1.27.72
`,
		Output: []string{"compose.yaml:3:53: error: 1.27.72 is not a Weaviate release: 1.27 stopped receiving patches at 1.27.27 (2025-05-19), long before the catalog's date 2026-08-20; use a published version [WV2002 unknown-version]"}},
	Run: func(p *Pass) error {
		return each(p, func(c *Change) {
			t := c.D.Tag
			switch t.Kind {
			case version.Release, version.Prerelease:
				switch st, why := p.Catalog.Standing(t.Version); st {
				case catalog.Newer:
					p.Reportf(c, Note, "%s; run 'wvlint releases update' to check it against the newer releases", why)
				case catalog.Impossible:
					p.Reportf(c, Error, "%s is not a Weaviate release: %s; use a published version", t.Version, why)
				}
			case version.Digest:
				// No tag beside the digest: nothing says which version the
				// image is, so no rule can judge the move to it.
				what := "no upgrade rule can check this deployment"
				if c.From != nil {
					what = "the upgrade from " + c.From.String() + " cannot be checked"
				}
				p.Reportf(c, Warning, "%s, so %s; keep the tag beside the digest (weaviate:<version>@<digest>, for example weaviate:1.27.27@sha256:...)", t.Reason, what)
			case version.Invalid:
				if c.D.Chart != "" && t.Version == nil && p.Catalog.ChartStanding(c.D.Chart) == catalog.Newer {
					p.Reportf(c, Note, "Helm chart %s is newer than the chart table of %s: the Weaviate version it deploys by default is not known, so its upgrade path is not checked; run 'wvlint releases update' or set image.tag",
						c.D.Chart, p.Catalog.ChartsAsOf.Format(time.DateOnly))
					return
				}
				p.Reportf(c, Error, "cannot read the Weaviate version: %s", t.Reason)
			}
		})
	},
}
