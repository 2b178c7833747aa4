package inventory

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wvlint/wvlint/internal/helmval"
	"github.com/wvlint/wvlint/internal/yamlx"
)

var argoSource = &Source{
	Name:  "argocd",
	Doc:   "Argo CD Applications and ApplicationSet templates of the weaviate chart: `targetRevision`, `helm.values`, `valuesObject`, `parameters`, `$ref` value files",
	Reads: yamlFile,
	Document: func(_ string, doc *yaml.Node) bool {
		return isObject(doc, "Application", "argoproj.io/") || isObject(doc, "ApplicationSet", "argoproj.io/")
	},
	// An Application above a values file may name it ($values/envs/prod/
	// values.yaml); Applications have any name, so every YAML file of the
	// directories above is read (their other deployments are not reported
	// for the file given).
	Referrers: func(given string, names []string) []string {
		if !givesValues(given) {
			return nil
		}
		var out []string
		for _, n := range names {
			if yamlFile(strings.ToLower(n)) {
				out = append(out, n)
			}
		}
		return out
	},
	Extract: func(in *Input) Found {
		var out Found
		for _, doc := range in.Docs {
			if isObject(doc, "ApplicationSet", "argoproj.io/") {
				// The template is an Application; the set's name is
				// the stable one (the template's holds placeholders).
				if t := yamlx.Path(doc, "spec", "template"); yamlx.IsMap(t) {
					argoApplication(in.Load, in.YAML, t, "argocd:applicationset/"+objectName(doc), &out)
				}
				continue
			}
			argoApplication(in.Load, in.YAML, doc, "argocd:"+objectName(doc), &out)
		}
		return out
	},
	Examples: []string{"argocd/weaviate.yaml"},
}

// argoApplication reads an Argo CD Application whose source (or one of
// its sources) is the weaviate chart.
func argoApplication(load *Loader, f *yamlx.File, doc *yaml.Node, id string, out *Found) {
	spec := yamlx.Get(doc, "spec")
	sources := yamlx.Items(yamlx.Get(spec, "sources"))
	if src := yamlx.Get(spec, "source"); src != nil {
		sources = append([]*yaml.Node{src}, sources...)
	}
	refs := map[string]bool{}
	for _, src := range sources {
		if ref, ok := yamlx.Str(yamlx.Get(src, "ref")); ok {
			refs[ref] = true
		}
	}
	for _, src := range sources {
		chart, _ := yamlx.Str(yamlx.Get(src, "chart"))
		if !isWeaviateChart(chart) {
			continue
		}
		r := Release{ID: id, Kind: ArgoCD, ChartFile: f.Path, Chart: helmval.FromNode(f, yamlx.Get(src, "targetRevision")),
			Evidence: fmt.Sprintf("%s:%d deploys the chart %s", f.Path, yamlx.Get(src, "chart").Line, chart)}
		if u, ok := yamlx.Str(yamlx.Get(src, "repoURL")); ok && u != "" {
			r.Evidence += " from " + u
		}
		helm := yamlx.Get(src, "helm")
		for _, vf := range yamlx.Items(yamlx.Get(helm, "valueFiles")) {
			p, ok := yamlx.Str(vf)
			if !ok || !strings.HasPrefix(p, "$") {
				continue // inside the chart package: not in this repository
			}
			ref, rest, _ := strings.Cut(strings.TrimPrefix(p, "$"), "/")
			if !refs[ref] {
				continue
			}
			if found := findUp(load, filepath.Dir(f.Path), rest); found != "" {
				r.Layers = append(r.Layers, Layer{Path: found, RefAt: f.Span(vf)})
			} else {
				out.errorf(f.Path, vf.Line, "values file %q not found in the scanned tree", p)
			}
		}
		if v := yamlx.Get(helm, "values"); v != nil && v.Kind == yaml.ScalarNode {
			if inner, ok := embeddedYAML(f, v, out); ok {
				r.Layers = append(r.Layers, Layer{Inline: &inner})
			}
		}
		if v := yamlx.Get(helm, "valuesObject"); yamlx.IsMap(v) {
			r.Layers = append(r.Layers, inlineYAML(f, helm, "valuesObject"))
		}
		r.Sets = setParams(f, yamlx.Get(helm, "parameters"))
		out.Releases = append(out.Releases, r)
	}
}

// embeddedYAML parses a YAML text held in a scalar (Argo CD helm.values)
// with positions in the outer file.
func embeddedYAML(f *yamlx.File, v *yaml.Node, out *Found) (helmval.Value, bool) {
	lineOff, colOff := v.Line-1, v.Column-1
	if v.Style == yaml.LiteralStyle || v.Style == yaml.FoldedStyle {
		lineOff = v.Line
		for l := v.Line + 1; l <= f.Lines().Count(); l++ {
			text := f.Lines().Line(l)
			if strings.TrimSpace(text) != "" {
				colOff = len([]rune(text)) - len([]rune(strings.TrimLeft(text, " ")))
				break
			}
		}
	}
	inner, err := yamlx.ParseAt(f, []byte(v.Value), lineOff, colOff)
	if err != nil {
		var ye *yamlx.Error
		if errors.As(err, &ye) {
			out.errorf(f.Path, ye.Line, "invalid YAML in helm.values: %s", ye.Msg)
		}
	}
	if len(inner.Docs) == 0 || !yamlx.IsMap(inner.Docs[0]) {
		return helmval.Value{}, false
	}
	return helmval.FromYAML(inner, inner.Docs[0]), true
}

// findUp looks for rel under dir and each parent of dir, for Argo CD's
// $ref/path value files that name a path from the repository root.
func findUp(load *Loader, dir, rel string) string {
	for i := 0; i < 20; i++ {
		p := filepath.Join(dir, rel)
		if _, err := load.ReadFile(p); err == nil {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir || dir == "." {
			return ""
		}
		dir = parent
	}
	return ""
}

func objectName(doc *yaml.Node) string {
	ns, _ := yamlx.Str(yamlx.Path(doc, "metadata", "namespace"))
	name, _ := yamlx.Str(yamlx.Path(doc, "metadata", "name"))
	if ns == "" {
		return name
	}
	return ns + "/" + name
}
