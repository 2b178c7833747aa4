package inventory

import (
	"path/filepath"

	"go.yaml.in/yaml/v3"

	"github.com/wvlint/wvlint/internal/imageref"
	"github.com/wvlint/wvlint/internal/yamlx"
)

var helmValuesSource = &Source{
	Name:     "helm-values",
	Doc:      "Helm values files that name the Weaviate image themselves (`image.repo: semitechnologies/weaviate`)",
	Reads:    yamlFile,
	Document: func(_ string, doc *yaml.Node) bool { return yamlx.IsMap(yamlx.Get(doc, "image")) },
	Extract: func(in *Input) Found {
		var out Found
		for _, doc := range in.Docs {
			repo, _ := yamlx.Str(yamlx.Path(doc, "image", "repo"))
			if imageref.IsWeaviatePath(repo) {
				out.Releases = append(out.Releases, Release{ID: "helm:" + filepath.ToSlash(in.Path), Source: HelmValues, Self: true,
					Layers: []Layer{{Path: in.Path}}})
			}
		}
		return out
	},
}
