package inventory

import (
	"path/filepath"

	"go.yaml.in/yaml/v3"

	"github.com/wvlint/wvlint/internal/helmval"
	"github.com/wvlint/wvlint/internal/yamlx"
)

var helmChartSource = &Source{
	Name:       "helm-chart",
	Doc:        "Helm charts: the weaviate chart's `Chart.yaml`, or an umbrella chart that depends on it, with each `values*.yaml` beside it",
	Reads:      func(p string) bool { return isChartYAML(filepath.Base(p)) },
	Document:   func(p string, _ *yaml.Node) bool { return isChartYAML(filepath.Base(p)) },
	WholeFile:  func(p string) bool { return isChartYAML(filepath.Base(p)) },
	Neighbours: siblingsWhere(func(l string) bool { return l == "chart.yaml" || l == "chart.yml" }),
	Extract: func(in *Input) Found {
		var out Found
		for _, doc := range in.Docs {
			out.Releases = append(out.Releases, chartYAML(in.Load, in.YAML, doc)...)
		}
		return out
	},
}

func isChartYAML(base string) bool { return base == "Chart.yaml" || base == "Chart.yml" }

// chartYAML reads a Chart.yaml: the weaviate chart itself, or an umbrella
// chart that depends on it. Values files beside it are the deployment's.
func chartYAML(load *Loader, f *yamlx.File, doc *yaml.Node) []Release {
	dir := filepath.Dir(f.Path)
	if name, _ := yamlx.Str(yamlx.Get(doc, "name")); name == "weaviate" {
		return []Release{{ID: "helm:" + filepath.ToSlash(dir), Source: HelmValues, ChartFile: f.Path,
			Chart: helmval.FromNode(f, yamlx.Get(doc, "version")), Layers: []Layer{{Path: filepath.Join(dir, "values.yaml")}}}}
	}
	var out []Release
	for _, dep := range yamlx.Items(yamlx.Get(doc, "dependencies")) {
		name, _ := yamlx.Str(yamlx.Get(dep, "name"))
		if name != "weaviate" {
			continue
		}
		key := name
		if alias, ok := yamlx.Str(yamlx.Get(dep, "alias")); ok && alias != "" {
			key = alias
		}
		chart := helmval.FromNode(f, yamlx.Get(dep, "version"))
		files := valuesFiles(load, dir)
		var baseLayer []Layer
		for _, vf := range files {
			if vf == "values.yaml" || vf == "values.yml" {
				baseLayer = []Layer{{Path: filepath.Join(dir, vf), Prefix: []string{key}}}
			}
		}
		if len(files) == 0 {
			out = append(out, Release{ID: "helm:" + filepath.ToSlash(dir) + "#" + key, Source: HelmValues, ChartFile: f.Path, Chart: chart})
		}
		for _, vf := range files {
			layers := append([]Layer(nil), baseLayer...)
			if vf != "values.yaml" && vf != "values.yml" {
				layers = append(layers, Layer{Path: filepath.Join(dir, vf), Prefix: []string{key}})
			}
			out = append(out, Release{ID: "helm:" + filepath.ToSlash(filepath.Join(dir, vf)) + "#" + key, Source: HelmValues,
				ChartFile: f.Path, Chart: chart, Layers: layers})
		}
	}
	return out
}
