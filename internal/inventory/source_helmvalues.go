package inventory

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wvlint/wvlint/internal/imageref"
	"github.com/wvlint/wvlint/internal/yamlx"
)

var helmValuesSource = &Source{
	Name: "helm-values",
	Doc: "Helm values files that name the Weaviate image themselves (the weaviate chart's `image.repo`, or any chart's `image.repository` + `image.tag`, " +
		"`image: repo:tag`, also one level down as in `weaviate.image`), each `values-<env>.yaml` override beside them layered on top, " +
		"and values files `.wvlint.yaml` names as weaviate chart values",
	Reads: yamlFile,
	// A file whose path names weaviate is read without the word in it: it
	// may hold an image.tag that a near miss reports.
	Relevant: func(in *Input) bool {
		return in.Mentions() || pathMentionsWeaviate(in.Path) || in.id.configValues(in.Path)
	},
	WholeFile: func(in *Input) bool { return pathMentionsWeaviate(in.Path) || in.id.configValues(in.Path) },
	Reread:    true,
	Document:  func(_ string, doc *yaml.Node) bool { return !isK8sObject(doc) },
	Extract:   extractValues,
	Examples:  []string{"charts/weaviate/values-prod.yaml"},
}

func pathMentionsWeaviate(p string) bool {
	return strings.Contains(strings.ToLower(filepath.ToSlash(p)), "weaviate")
}

func (c *idContext) configValues(p string) bool {
	_, ok := c.valuesGlob(p)
	return ok
}

// overrideName matches the override files of a values file: values-prod.yaml,
// values.staging.yaml, values_dev.yml.
var overrideName = regexp.MustCompile(`^values[-._][^/]+\.ya?ml$`)

// valuesLike reports whether a file is a Helm values file by its name or
// place: values*.yaml, or any YAML file beside a Chart.yaml.
func valuesLike(in *Input) bool {
	base := filepath.Base(in.Path)
	if strings.HasPrefix(base, "values") {
		return true
	}
	names, _ := in.Load.ReadDir(filepath.Dir(in.Path))
	for _, n := range names {
		if isChartYAML(n) {
			return true
		}
	}
	return false
}

func isBaseValues(base string) bool { return base == "values.yaml" || base == "values.yml" }

// extractValues finds the values files that name a Weaviate image, and
// the values files the configuration names.
func extractValues(in *Input) Found {
	var out Found
	if g, ok := in.id.valuesGlob(in.Path); ok {
		out.Releases = append(out.Releases, Release{ID: "helm:" + filepath.ToSlash(in.Path), Kind: HelmValues,
			Layers: []Layer{{Path: in.Path}}, Evidence: fmt.Sprintf("%s:%d names this file as weaviate chart values", in.id.id.Config, g.Line)})
		return out
	}
	for i, doc := range in.Docs {
		if i > 0 {
			break // values files are one document
		}
		found := false
		for _, at := range imageSpecs(doc) {
			if !at.official && !valuesLike(in) {
				continue // common conventions are read in values files only
			}
			if !weaviateSpec(in.id, yamlx.Path(doc, append(at.keys, "image")...)) {
				continue
			}
			found = true
			out.Releases = append(out.Releases, valuesReleases(in, at)...)
		}
		if !found {
			if nm, ok := nearMiss(in, doc); ok {
				out.NearMisses = append(out.NearMisses, nm)
			}
		}
	}
	return out
}

// imageSpec is where a values document keeps an image: the top level or
// one key down; official when it has the weaviate chart's image.repo.
type imageSpec struct {
	keys     []string
	official bool
}

func imageSpecs(doc *yaml.Node) []imageSpec {
	var out []imageSpec
	add := func(keys []string, img *yaml.Node) {
		if img == nil {
			return
		}
		_, hasRepo := yamlx.Str(yamlx.Get(img, "repo"))
		out = append(out, imageSpec{keys: keys, official: len(keys) == 0 && hasRepo})
	}
	add(nil, yamlx.Get(doc, "image"))
	for _, p := range yamlx.Pairs(doc) {
		if yamlx.IsMap(p.Value) {
			add([]string{p.Key.Value}, yamlx.Get(p.Value, "image"))
		}
	}
	return out
}

// weaviateSpec reports whether an image value names a Weaviate server
// image (the tag decides for a mirror without configuration).
func weaviateSpec(id *idContext, img *yaml.Node) bool {
	var text string
	if s, ok := yamlx.Str(img); ok {
		text = s
	} else if yamlx.IsMap(img) {
		repo, ok := yamlx.Str(yamlx.Get(img, "repository"))
		if !ok {
			repo, ok = yamlx.Str(yamlx.Get(img, "repo"))
		}
		if !ok {
			return false
		}
		text = repo
		if reg, ok := yamlx.Str(yamlx.Get(img, "registry")); ok && reg != "" {
			text = reg + "/" + repo
		}
		if tag, ok := yamlx.Str(yamlx.Get(img, "tag")); ok && tag != "" {
			text += ":" + tag
		}
	} else {
		return false
	}
	if imageref.LooksWeaviate(text) {
		return true
	}
	ref, err := imageref.Parse(text)
	if err != nil {
		return id.mirrorText(text)
	}
	ok, _ := id.image(ref)
	return ok
}

// valuesReleases is the deployment of a values file that names the image,
// and one for each override file beside it (layered on it); an override
// file is layered on the values.yaml beside it.
func valuesReleases(in *Input, at imageSpec) []Release {
	dir, base := filepath.Dir(in.Path), filepath.Base(in.Path)
	mk := func(id string, layers ...string) Release {
		r := Release{ID: id, Kind: HelmValues, Self: true, Generic: !at.official, ImageAt: at.keys}
		for _, l := range layers {
			r.Layers = append(r.Layers, Layer{Path: l})
		}
		return r
	}
	suffix := ""
	if len(at.keys) > 0 {
		suffix = "#" + strings.Join(at.keys, ".")
	}
	names, _ := in.Load.ReadDir(dir)
	baseFile := ""
	for _, n := range names {
		if isBaseValues(n) {
			baseFile = filepath.Join(dir, n)
			break
		}
	}
	if overrideName.MatchString(base) && baseFile != "" {
		return []Release{mk("helm:"+filepath.ToSlash(in.Path)+suffix, baseFile, in.Path)}
	}
	out := []Release{mk("helm:"+filepath.ToSlash(in.Path)+suffix, in.Path)}
	if isBaseValues(base) {
		for _, n := range names {
			if overrideName.MatchString(n) {
				p := filepath.Join(dir, n)
				out = append(out, mk("helm:"+filepath.ToSlash(p)+suffix, in.Path, p))
			}
		}
	}
	return out
}

func nearMiss(in *Input, doc *yaml.Node) (NearMiss, bool) {
	tag := yamlx.Path(doc, "image", "tag")
	text, ok := yamlx.Str(tag)
	if !ok || (!pathMentionsWeaviate(in.Path) && !in.Mentions()) {
		return NearMiss{}, false
	}
	sp := in.YAML.Span(tag)
	return NearMiss{File: in.Path, Line: sp.Line, Column: sp.Col, Message: fmt.Sprintf(
		"image.tag %q is set but nothing ties this file to the weaviate chart; to count it, name it under values: in .wvlint.yaml, "+
			"pass it to the weaviate chart (helm -f, a helmfile, an Argo CD Application), or set image.repo", text)}, true
}
