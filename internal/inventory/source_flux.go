package inventory

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wvlint/wvlint/internal/helmval"
	"github.com/wvlint/wvlint/internal/yamlx"
)

var fluxSource = &Source{
	Name: "flux",
	Doc: "Flux HelmReleases of the weaviate chart: `spec.chart.spec.version`, or `spec.chartRef` to an OCIRepository " +
		"(its `spec.ref.tag` or `semver`, in the same file or another), and `spec.values`",
	Reads: yamlFile,
	Document: func(_ string, doc *yaml.Node) bool {
		return isObject(doc, "HelmRelease", "helm.toolkit.fluxcd.io/") || isObject(doc, "OCIRepository", "source.toolkit.fluxcd.io/")
	},
	Extract: func(in *Input) Found {
		var kept fluxKept
		for _, doc := range in.Docs {
			if isObject(doc, "OCIRepository", "source.toolkit.fluxcd.io/") {
				kept.repos = append(kept.repos, ociRepo{file: in.YAML, doc: doc})
			} else {
				kept.releases = append(kept.releases, fluxRelease{file: in.YAML, doc: doc})
			}
		}
		return Found{Keep: kept}
	},
	Assemble: assembleFlux,
	Examples: []string{"clusters/prod/weaviate.yaml"},
}

type fluxKept struct {
	repos    []ociRepo
	releases []fluxRelease
}

type ociRepo struct {
	file *yamlx.File
	doc  *yaml.Node
}

type fluxRelease struct {
	file *yamlx.File
	doc  *yaml.Node
}

// assembleFlux pairs HelmReleases with the OCIRepositories their chartRef
// names, across files.
func assembleFlux(_ *Assembly, kept []Kept) Found {
	repos := map[string]ociRepo{}
	for _, k := range kept {
		for _, r := range k.Value.(fluxKept).repos {
			repos[objectKey(r.doc, "")] = r
		}
	}
	var out Found
	for _, k := range kept {
		for _, hr := range k.Value.(fluxKept).releases {
			out.Releases = append(out.Releases, fluxHelmRelease(hr.file, hr.doc, repos, &out)...)
		}
	}
	return out
}

// objectKey is namespace/name, the namespace defaulting to ns.
func objectKey(doc *yaml.Node, ns string) string {
	if n, ok := yamlx.Str(yamlx.Path(doc, "metadata", "namespace")); ok && n != "" {
		ns = n
	}
	name, _ := yamlx.Str(yamlx.Path(doc, "metadata", "name"))
	return ns + "/" + name
}

// fluxHelmRelease reads a Flux HelmRelease of the weaviate chart.
func fluxHelmRelease(f *yamlx.File, doc *yaml.Node, repos map[string]ociRepo, out *Found) []Release {
	r := Release{ID: "flux:" + objectName(doc), Kind: Flux, ChartFile: f.Path}
	if ref := yamlx.Path(doc, "spec", "chartRef"); ref != nil {
		kind, _ := yamlx.Str(yamlx.Get(ref, "kind"))
		if kind != "OCIRepository" {
			return nil
		}
		ns, _ := yamlx.Str(yamlx.Path(doc, "metadata", "namespace"))
		if n, ok := yamlx.Str(yamlx.Get(ref, "namespace")); ok && n != "" {
			ns = n
		}
		name, _ := yamlx.Str(yamlx.Get(ref, "name"))
		repo, ok := repos[ns+"/"+name]
		if !ok {
			if strings.Contains(strings.ToLower(name), "weaviate") {
				at := ref.Line
				if n := yamlx.Get(ref, "name"); n != nil {
					at = n.Line // the name that is not found
				}
				out.notice(f.Path, at, fmt.Sprintf("HelmRelease %s takes its chart from OCIRepository %s, which is not in the scanned files: its Weaviate version is not checked", objectName(doc), name))
			}
			return nil
		}
		url, _ := yamlx.Str(yamlx.Path(repo.doc, "spec", "url"))
		if !isWeaviateChart(strings.TrimPrefix(url, "oci://")) {
			return nil
		}
		ver := yamlx.Path(repo.doc, "spec", "ref", "tag")
		if ver == nil {
			ver = yamlx.Path(repo.doc, "spec", "ref", "semver")
		}
		urlN := yamlx.Path(repo.doc, "spec", "url")
		r.ChartFile = repo.file.Path
		r.Inputs = []string{f.Path}
		r.Chart = helmval.FromNode(repo.file, ver)
		at := ref.Line
		if n := yamlx.Get(ref, "name"); n != nil {
			at = n.Line
		}
		r.Evidence = fmt.Sprintf("%s:%d OCIRepository %s pulls the chart %s, which HelmRelease %s (%s:%d) installs",
			repo.file.Path, urlN.Line, name, url, objectName(doc), f.Path, at)
	} else {
		cs := yamlx.Path(doc, "spec", "chart", "spec")
		chart, _ := yamlx.Str(yamlx.Get(cs, "chart"))
		if !isWeaviateChart(chart) {
			return nil
		}
		r.Chart = helmval.FromNode(f, yamlx.Get(cs, "version"))
		r.Evidence = fmt.Sprintf("%s:%d HelmRelease %s installs the chart %s", f.Path, yamlx.Get(cs, "chart").Line, objectName(doc), chart)
	}
	if v := yamlx.Path(doc, "spec", "values"); yamlx.IsMap(v) {
		r.Layers = append(r.Layers, inlineYAML(f, yamlx.Get(doc, "spec"), "values"))
	}
	return []Release{r}
}
