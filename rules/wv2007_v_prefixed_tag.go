package rules

import (
	"strings"

	"github.com/wvlint/wvlint/internal/version"
)

// VPrefixedTag is WV2007.
var VPrefixedTag = &Rule{
	ID: "WV2007", Name: "v-prefixed-tag", Severity: Error,
	Title: "an image tag with a leading v, which Weaviate does not publish",
	Tags:  []string{"image"},
	Doc: Doc{
		Why: "Weaviate's git tags are `v1.27.27`, but its images are tagged with the bare version: CI pushes `${DOCKER_REPO}:${weaviate_version}`, the version taken from the OpenAPI spec (`1.27.27`). " +
			"`semitechnologies/weaviate:v1.27.27` does not exist, so the pull fails and the node does not start. The other rules still judge the version it names (1.27.27).",
		Fix:    "Drop the leading v: `1.27.27`.",
		Source: "weaviate/weaviate ci/push_docker.sh (image tag = the version in openapi-specs/schema.json, without a v).",
	},
	Example: &Example{File: "compose.yaml", Content: `services:
  weaviate:
    image: cr.weaviate.io/semitechnologies/weaviate:v1.27.27
`, Output: []string{"compose.yaml:3:53: error: image tag \"v1.27.27\" does not exist: Weaviate tags its images without a leading v, so the pull fails; use 1.27.27 [WV2007 v-prefixed-tag]"}},
	Run: func(p *Pass) error {
		return each(p, func(c *Change) {
			t := c.D.Tag
			if t.Version == nil || (t.Kind != version.Release && t.Kind != version.Prerelease) || !strings.HasPrefix(t.Raw, "v") {
				return
			}
			p.Reportf(c, Error, "image tag %q does not exist: Weaviate tags its images without a leading v, so the pull fails; use %s", t.Raw, t.Version)
		})
	},
}
