package inventory

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/Masterminds/semver/v3"
	"go.yaml.in/yaml/v3"

	"github.com/wvlint/wvlint/internal/catalog"
	"github.com/wvlint/wvlint/internal/helmval"
	"github.com/wvlint/wvlint/internal/imageref"
	"github.com/wvlint/wvlint/internal/yamlx"
)

var helmChartSource = &Source{
	Name:       "helm-chart",
	Doc:        "Helm charts: the weaviate chart's `Chart.yaml`, or an umbrella chart that depends on it, with each `values*.yaml` beside it",
	Reads:      func(p string) bool { return isChartYAML(filepath.Base(p)) },
	Document:   func(p string, _ *yaml.Node) bool { return isChartYAML(filepath.Base(p)) },
	WholeFile:  func(in *Input) bool { return isChartYAML(filepath.Base(in.Path)) },
	Neighbours: siblingsWhere(func(l string) bool { return l == "chart.yaml" || l == "chart.yml" }),
	Extract: func(in *Input) Found {
		var out Found
		for _, doc := range in.Docs {
			out.Releases = append(out.Releases, chartYAML(in.id, in.Load, in.YAML, doc)...)
		}
		return out
	},
	Examples: []string{"charts/weaviate/Chart.yaml", "Chart.yml"},
}

// chartYAML reads a Chart.yaml: an umbrella chart that depends on the
// weaviate chart (whatever its own name: a wrapper named weaviate is an
// umbrella too), or a copy of the weaviate chart itself, recognised by its
// own values (image.repo is the server image) or its home. Each values
// file beside it is a deployment, overrides layered on values.yaml. A
// chart named weaviate that is neither is a chart of the user's: its
// values are read by their conventions (helm-values).
func chartYAML(id *idContext, load *Loader, f *yamlx.File, doc *yaml.Node) []Release {
	dir := filepath.Dir(f.Path)
	var out []Release
	for _, dep := range yamlx.Items(yamlx.Get(doc, "dependencies")) {
		nameN := yamlx.Get(dep, "name")
		name, _ := yamlx.Str(nameN)
		if name != "weaviate" {
			continue
		}
		key := name
		if alias, ok := yamlx.Str(yamlx.Get(dep, "alias")); ok && alias != "" {
			key = alias
		}
		chart := helmval.FromNode(f, yamlx.Get(dep, "version"))
		ev := fmt.Sprintf("%s:%d depends on the weaviate chart", f.Path, nameN.Line)
		if v, ok := yamlx.Str(yamlx.Get(dep, "version")); ok {
			ev += " " + v
		}
		if repo, ok := yamlx.Str(yamlx.Get(dep, "repository")); ok && repo != "" {
			ev += " from " + repo
		}
		files := valuesFiles(load, dir)
		var baseLayer []Layer
		for _, vf := range files {
			if isBaseValues(vf) {
				baseLayer = []Layer{{Path: filepath.Join(dir, vf), Prefix: []string{key}}}
			}
		}
		if len(files) == 0 {
			out = append(out, Release{ID: "helm:" + filepath.ToSlash(dir) + "#" + key, Kind: HelmValues, ChartFile: f.Path, Chart: chart, Evidence: ev})
		}
		for _, vf := range files {
			layers := append([]Layer(nil), baseLayer...)
			if !isBaseValues(vf) {
				layers = append(layers, Layer{Path: filepath.Join(dir, vf), Prefix: []string{key}})
			}
			out = append(out, Release{ID: "helm:" + filepath.ToSlash(filepath.Join(dir, vf)) + "#" + key, Kind: HelmValues,
				ChartFile: f.Path, Chart: chart, Layers: layers, Evidence: ev})
		}
	}
	if len(out) > 0 {
		return out
	}
	nameN := yamlx.Get(doc, "name")
	if name, _ := yamlx.Str(nameN); name != "weaviate" {
		return nil
	}
	ev, ok := officialChart(id, load, f, doc, dir)
	if !ok {
		return nil
	}
	chart := helmval.FromNode(f, yamlx.Get(doc, "version"))
	base := filepath.Join(dir, "values.yaml")
	out = append(out, Release{ID: "helm:" + filepath.ToSlash(dir), Kind: HelmValues, ChartFile: f.Path,
		Chart: chart, Layers: []Layer{{Path: base}}, Evidence: ev})
	for _, vf := range valuesFiles(load, dir) {
		if overrideName.MatchString(vf) {
			p := filepath.Join(dir, vf)
			out = append(out, Release{ID: "helm:" + filepath.ToSlash(p), Kind: HelmValues, ChartFile: f.Path,
				Chart: chart, Layers: []Layer{{Path: base}, {Path: p}}, Evidence: ev})
		}
	}
	return out
}

// officialChart tells a copy of the weaviate chart (its values.yaml names
// the server image in image.repo, its home is Weaviate's, or, without
// values of its own, its version is one of the weaviate chart's) from a
// chart of the user's that is only named weaviate.
func officialChart(id *idContext, load *Loader, f *yamlx.File, doc *yaml.Node, dir string) (string, bool) {
	nameLine := yamlx.Get(doc, "name").Line
	vf, _ := load.YAML(filepath.Join(dir, "values.yaml"))
	if vf != nil && len(vf.Docs) > 0 {
		if repo := yamlx.Path(vf.Docs[0], "image", "repo"); repo != nil {
			if s, _ := yamlx.Str(repo); imageref.IsWeaviatePath(s) {
				return fmt.Sprintf("%s:%d is the weaviate chart: %s:%d sets image.repo %s", f.Path, nameLine, vf.Path, repo.Line, s), true
			}
		}
	}
	for _, k := range []string{"home", "sources"} {
		n := yamlx.Get(doc, k)
		for _, v := range append([]*yaml.Node{n}, yamlx.Items(n)...) {
			if s, ok := yamlx.Str(v); ok && (strings.Contains(s, "github.com/weaviate/weaviate") || strings.Contains(s, "weaviate.github.io/weaviate-helm")) {
				return fmt.Sprintf("%s:%d is the weaviate chart (%s %s)", f.Path, v.Line, k, s), true
			}
		}
	}
	// Values in another chart's conventions (image: "repo:tag",
	// image.repository, another image.repo) say it is not.
	if vf != nil && len(vf.Docs) > 0 {
		if img := yamlx.Get(vf.Docs[0], "image"); img != nil {
			if _, ok := yamlx.Str(img); ok || yamlx.Get(img, "repository") != nil || yamlx.Get(img, "repo") != nil {
				return "", false
			}
		}
	}
	// Only a chart version of the weaviate chart's Weaviate 1.x era (its
	// appVersion 1.0.0 or later, chart 12.0.0 on, as the catalog's chart
	// table says) is telling: 0.1.0, the version every new chart starts at,
	// is also one of its 2019 releases.
	if v, ok := yamlx.Str(yamlx.Get(doc, "version")); ok && id.cat != nil {
		if ch, known := id.cat.Chart(strings.TrimPrefix(v, "v")); known && deploysWeaviate1(ch) {
			return fmt.Sprintf("%s:%d is the weaviate chart: named weaviate at %s, a weaviate chart version", f.Path, nameLine, v), true
		}
	}
	return "", false
}

// deploysWeaviate1 reports whether a weaviate chart version deploys
// Weaviate 1.0 or later by default (its appVersion).
func deploysWeaviate1(ch catalog.Chart) bool {
	app, err := semver.NewVersion(strings.TrimPrefix(ch.AppVersion, "v"))
	return err == nil && app.Major() >= 1
}
