package inventory

import (
	"fmt"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wvlint/wvlint/internal/helmval"
	"github.com/wvlint/wvlint/internal/yamlx"
)

var helmfileSource = &Source{
	Name:       "helmfile",
	Doc:        "helmfile releases of the weaviate chart: `version`, `values` files and inline values, `set`/`setString`",
	Reads:      yamlFile,
	Document:   func(_ string, doc *yaml.Node) bool { return len(yamlx.Items(yamlx.Get(doc, "releases"))) > 0 },
	Neighbours: siblingsWhere(func(l string) bool { return strings.HasPrefix(l, "helmfile") }),
	// A helmfile above a values file may name it (values: - charts/weaviate/values-prod.yaml).
	Referrers: func(given string, names []string) []string {
		if !givesValues(given) {
			return nil
		}
		return siblingsWhere(func(l string) bool { return strings.HasPrefix(l, "helmfile") })(given, names)
	},
	Extract: func(in *Input) Found {
		var out Found
		for _, doc := range in.Docs {
			out.Releases = append(out.Releases, helmfileReleases(in.YAML, doc)...)
		}
		return out
	},
	Examples: []string{"helmfile.yaml"},
}

// helmfileReleases reads helmfile.yaml releases of the weaviate chart.
func helmfileReleases(f *yamlx.File, doc *yaml.Node) []Release {
	var out []Release
	dir := filepath.Dir(f.Path)
	for _, rel := range yamlx.Items(yamlx.Get(doc, "releases")) {
		chart, _ := yamlx.Str(yamlx.Get(rel, "chart"))
		if !isWeaviateChart(chart) {
			continue
		}
		name, _ := yamlx.Str(yamlx.Get(rel, "name"))
		r := Release{ID: "helmfile:" + filepath.ToSlash(f.Path) + "#" + name, Kind: Helmfile, ChartFile: f.Path,
			Chart:    helmval.FromNode(f, yamlx.Get(rel, "version")),
			Evidence: fmt.Sprintf("%s:%d release %s installs the chart %s", f.Path, yamlx.Get(rel, "chart").Line, name, chart)}
		for _, v := range yamlx.Items(yamlx.Get(rel, "values")) {
			if p, ok := yamlx.Str(v); ok {
				if strings.Contains(p, "{{") || strings.HasSuffix(p, ".gotmpl") {
					continue
				}
				r.Layers = append(r.Layers, Layer{Path: filepath.Join(dir, p), RefAt: f.Span(v)})
			} else if yamlx.IsMap(v) {
				r.Layers = append(r.Layers, Layer{Inline: helmval.FromNode(f, v)})
			}
		}
		r.Sets = append(r.Sets, setParams(f, yamlx.Get(rel, "set"))...)
		r.Sets = append(r.Sets, setParams(f, yamlx.Get(rel, "setString"))...)
		out = append(out, r)
	}
	return out
}

// setParams reads a list of {name, value} overrides (helmfile set, Argo CD
// helm.parameters).
func setParams(f *yamlx.File, list *yaml.Node) []helmval.Set {
	var out []helmval.Set
	for _, sp := range yamlx.Items(list) {
		if k, ok := yamlx.Str(yamlx.Get(sp, "name")); ok {
			if v := yamlx.Get(sp, "value"); v != nil {
				out = append(out, helmval.Set{Key: k, Value: helmval.FromYAML(f, v)})
			}
		}
	}
	return out
}
