package rules

import (
	"github.com/wvlint/wvlint/internal/version"
	"strings"

	"github.com/wvlint/wvlint/internal/catalog"
)

// supportedMinors is how many minors Weaviate maintains.
const supportedMinors = 3

// newestMinors are the catalog's newest minors that have a release.
func newestMinors(cat *catalog.Catalog, n int) []string {
	ms := cat.Minors()
	var out []string
	for i := len(ms) - 1; i >= 0 && len(out) < n; i-- {
		out = append(out, ms[i])
	}
	return out
}

// UnsupportedMinor is WV2005.
var UnsupportedMinor = &Rule{
	ID: "WV2005", Name: "unsupported-minor", Severity: Warning,
	Title: "a minor Weaviate no longer maintains",
	Tags:  []string{"support"},
	Doc: Doc{
		Why:    "Weaviate fixes bugs and security issues in the latest three minor versions only. A deployment on an older minor gets no fixes; the newest minors are read from the release catalog, as of its date.",
		Fix:    "Plan the upgrade (`wvlint plan FROM TO`), one minor at a time.",
		Source: "Weaviate docs, release notes (/weaviate/release-notes): support policy for the latest three minor versions.",
	},
	Example: &Example{File: "compose.yaml", Content: `services:
  weaviate:
    image: cr.weaviate.io/semitechnologies/weaviate:1.35.23
`, Output: []string{"compose.yaml:3:53: warning: 1.35 is no longer maintained: Weaviate fixes only the latest three minors (1.39, 1.38, 1.37 as of 2026-08-20); plan an upgrade [WV2005 unsupported-minor]"}},
	Run: func(p *Pass) error {
		supported := newestMinors(p.Catalog, supportedMinors)
		if len(supported) < supportedMinors {
			return nil
		}
		return each(p, func(c *Change) {
			v := c.To()
			if v == nil || c.Ephemeral() || p.Catalog.NewerThanCatalog(v) {
				return
			}
			m := version.MinorOf(v)
			for _, s := range supported {
				if s == m {
					return
				}
			}
			// Not this change's doing when the version stays, and the right
			// move when it is the next step of the path up.
			sev, remedy := Warning, "plan an upgrade"
			switch {
			case c.Unchanged():
				sev = Note
			case c.NextStep(p.Catalog):
				sev, remedy = Note, "this move is the right next step: continue one minor at a time"
			}
			p.Reportf(c, sev, "%s is no longer maintained: Weaviate fixes only the latest three minors (%s as of %s); %s",
				m, strings.Join(supported, ", "), p.Catalog.AsOf.Format("2006-01-02"), remedy)
		})
	},
}
