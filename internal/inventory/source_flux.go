package inventory

import (
	"fmt"
	"go.yaml.in/yaml/v3"

	"github.com/wvlint/wvlint/internal/helmval"
	"github.com/wvlint/wvlint/internal/yamlx"
)

var fluxSource = &Source{
	Name:     "flux",
	Doc:      "Flux HelmReleases of the weaviate chart: `spec.chart.spec.version` and `spec.values`",
	Reads:    yamlFile,
	Document: func(_ string, doc *yaml.Node) bool { return isObject(doc, "HelmRelease", "helm.toolkit.fluxcd.io/") },
	Extract: func(in *Input) Found {
		var out Found
		for _, doc := range in.Docs {
			out.Releases = append(out.Releases, fluxHelmRelease(in.YAML, doc)...)
		}
		return out
	},
}

// fluxHelmRelease reads a Flux HelmRelease of the weaviate chart.
func fluxHelmRelease(f *yamlx.File, doc *yaml.Node) []Release {
	cs := yamlx.Path(doc, "spec", "chart", "spec")
	chart, _ := yamlx.Str(yamlx.Get(cs, "chart"))
	if !isWeaviateChart(chart) {
		return nil
	}
	r := Release{ID: "flux:" + objectName(doc), Source: Flux, ChartFile: f.Path, Chart: helmval.FromNode(f, yamlx.Get(cs, "version")),
		Evidence: fmt.Sprintf("%s:%d HelmRelease %s installs the chart %s", f.Path, yamlx.Get(cs, "chart").Line, objectName(doc), chart)}
	if v := yamlx.Path(doc, "spec", "values"); yamlx.IsMap(v) {
		r.Layers = append(r.Layers, Layer{Inline: helmval.FromNode(f, v)})
	}
	return []Release{r}
}
