package rules

import "github.com/wvlint/wvlint/internal/version"

// UnknownVersion is WV2002.
var UnknownVersion = &Rule{
	ID: "WV2002", Name: "unknown-version", Severity: Error,
	Title: "the version is not a Weaviate release",
	Tags:  []string{"image"},
	Doc: Doc{
		Why:    "A version the release catalog does not have (and that is not newer than the catalog) was never published: a typo, a preview build, or text wvlint cannot read, such as an unset variable. Nothing can be checked about it.",
		Fix:    "Use a published release; set the variable the image takes its tag from. If the version is newer than wvlint's catalog, run `wvlint releases update`.",
		Source: "The release catalog: git tags of weaviate/weaviate.",
	},
	Example: &Example{File: "compose.yaml", From: "", Content: `services:
  weaviate:
    image: cr.weaviate.io/semitechnologies/weaviate:1.27.72
`,
		Output: []string{"compose.yaml:3:53: error: 1.27.72 is not a Weaviate release (catalog as of 2026-08-20); use a published version [WV2002 unknown-version]"}},
	Run: func(p *Pass) error {
		return each(p, func(c *Change) {
			t := c.D.Tag
			switch t.Kind {
			case version.Release, version.Prerelease:
				if p.Catalog.Has(t.Version) || p.Catalog.NewerThanCatalog(t.Version) {
					return
				}
				p.Reportf(c, Error, "%s is not a Weaviate release (catalog as of %s); use a published version", t.Version, p.Catalog.AsOf.Format("2006-01-02"))
			case version.Invalid, version.Preview:
				p.Reportf(c, Error, "cannot read the Weaviate version: %s", t.Reason)
			}
		})
	},
}
