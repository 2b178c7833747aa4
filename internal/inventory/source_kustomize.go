package inventory

import (
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wvlint/wvlint/internal/helmval"
	"github.com/wvlint/wvlint/internal/imageref"
	"github.com/wvlint/wvlint/internal/interp"
	"github.com/wvlint/wvlint/internal/pos"
	"github.com/wvlint/wvlint/internal/version"
	"github.com/wvlint/wvlint/internal/yamlx"
)

var kustomizeSource = &Source{
	Name:  "kustomize",
	Doc:   "kustomizations: `images:` entries that retarget a Weaviate image (`newName`, `newTag`, `digest`), with the workloads of their resources; `helmCharts:` entries that inflate the weaviate chart (`version`, `valuesFile`, `additionalValuesFiles`, `valuesInline`)",
	Reads: func(p string) bool { return isKustomization(filepath.Base(p)) },
	// Every kustomization is read, with or without the word weaviate: an
	// overlay that builds a base unchanged decides that the base's pin
	// runs (retarget), whatever it mentions.
	Relevant:   func(*Input) bool { return true },
	WholeFile:  func(*Input) bool { return true },
	Reread:     true,
	Document:   func(p string, _ *yaml.Node) bool { return isKustomization(filepath.Base(p)) },
	Neighbours: siblingsWhere(func(l string) bool { return strings.HasPrefix(l, "kustomization.") }),
	Finish: func(a *Assembly, kept []Kept, deps []Deployment) {
		paths := make([]string, len(kept))
		read := map[string]*kustNode{}
		for i, k := range kept {
			paths[i] = filepath.Clean(k.Path)
			if n := k.Value.(*kustNode); n != nil {
				read[paths[i]] = n
			}
		}
		retarget(a.Load, paths, read, deps)
	},
	Extract: func(in *Input) Found {
		var out Found
		for _, doc := range in.Docs {
			out.merge(kustomizeImages(in.id, in.Load, in.YAML, doc))
			out.Releases = append(out.Releases, kustomizeHelmCharts(in.YAML, doc)...)
		}
		// What retarget needs of the file, read here, in parallel with the
		// other files, rather than in Finish: the patch files it names
		// are parsed now.
		out.Keep = readKustomization(in.Load, filepath.Clean(in.Path))
		return out
	},
	Examples: []string{"k8s/overlays/prod/kustomization.yaml", "kustomization.yml", "Kustomization"},
}

// kustomizeImages handles `images:` entries that retarget a Weaviate image.
// The version is the newTag the user edits; the workloads it retargets (in
// the resources the kustomization builds on) give the node count, the
// backup modules and the pod management policy.
func kustomizeImages(id *idContext, load *Loader, f *yamlx.File, doc *yaml.Node) Found {
	var out Found
	dir := filepath.ToSlash(filepath.Dir(f.Path))
	var bases []Deployment
	var inputs []string
	resolved := false
	for _, im := range yamlx.Items(yamlx.Get(doc, "images")) {
		name, _ := yamlx.Str(yamlx.Get(im, "name"))
		newName, _ := yamlx.Str(yamlx.Get(im, "newName"))
		target := name
		if newName != "" {
			target = newName
		}
		if !id.maybeImageName(name) && !id.maybeImageName(newName) {
			continue
		}
		tid := id
		if isWeaviateImageName(name) && newName != "" && !isWeaviateImageName(newName) {
			tid = id.withMirror(newName, f.Path, im.Line)
		}
		if !resolved {
			bases, inputs = kustomizeResources(id, load, filepath.Dir(f.Path), doc, 0, map[string]bool{})
			resolved = true
		}
		d := Deployment{Kind: Kustomize, Platform: Kubernetes, ID: "kustomize:" + dir + "#" + name, Cluster: "kustomize:" + dir,
			Inputs: append([]string{f.Path}, inputs...)}
		tagN := yamlx.Get(im, "newTag")
		digestN := yamlx.Get(im, "digest")
		switch {
		case tagN != nil && tagN.Kind == yaml.ScalarNode:
			if !resolveImage(tid, yamlWritten(f, tagN), tagged(target, tagN.Value), &d, "sets the image") {
				continue
			}
			d.Evidence = kustomizeEvidence(f.Path, im.Line, name, newName, d.Evidence)
		case digestN != nil && digestN.Kind == yaml.ScalarNode:
			d.setSpan(f.Span(digestN), digestN.Value)
			d.Image = target + "@" + digestN.Value
			d.Reason = "pinned by digest only: the version cannot be read from " + digestN.Value
			d.Tag = version.Tag{Kind: version.Digest, Reason: d.Reason}
			if !isWeaviateImageName(name) && !isWeaviateImageName(newName) && !id.mirrorText(target) {
				continue // a mirror known by its tag alone: a digest says nothing
			}
			d.Evidence = kustomizeEvidence(f.Path, im.Line, name, newName, "")
		default:
			continue // renames the image only; the version is written elsewhere
		}
		if len(bases) == 0 {
			out.Deployments = append(out.Deployments, d)
			continue
		}
		// kustomize sets the images whose name is the entry's name,
		// exactly (registry included): semitechnologies/weaviate does not
		// match cr.weaviate.io/semitechnologies/weaviate.
		matched := 0
		for _, b := range bases {
			if imageName(b.Image) != name {
				continue
			}
			matched++
			k := d
			k.ID = d.ID + "@" + b.ID
			k.Nodes, k.Backups, k.BackupsKnown, k.Env, k.PodManagementPolicy = b.Nodes, b.Backups, b.BackupsKnown, b.Env, b.PodManagementPolicy
			out.Deployments = append(out.Deployments, k)
		}
		if matched == 0 {
			var names []string
			for _, b := range bases {
				if n := imageName(b.Image); !slices.Contains(names, n) {
					names = append(names, n)
				}
			}
			out.notice(f.Path, im.Line, fmt.Sprintf("images: entry %q matches no image of the resources wvlint read (they run %s): kustomize sets an image only when its name is the entry's name, registry included, so this entry changes nothing there; its version is not checked", name, strings.Join(names, ", ")))
		}
	}
	return out
}

// kustomizeHelmCharts reads helmCharts: entries that inflate the weaviate
// chart: the chart version decides the default tag, as in a Chart.yaml
// dependency; valuesFile, then additionalValuesFiles, then valuesInline
// are the values layers (kustomize merges the inline values last).
func kustomizeHelmCharts(f *yamlx.File, doc *yaml.Node) []Release {
	var out []Release
	dir := filepath.Dir(f.Path)
	for _, hc := range yamlx.Items(yamlx.Get(doc, "helmCharts")) {
		nameN := yamlx.Get(hc, "name")
		name, _ := yamlx.Str(nameN)
		if !isWeaviateChart(name) {
			continue
		}
		rel := name
		if r, ok := yamlx.Str(yamlx.Get(hc, "releaseName")); ok && r != "" {
			rel = r
		}
		ev := fmt.Sprintf("%s:%d helmCharts: inflates the chart %s", f.Path, nameN.Line, name)
		if v, ok := yamlx.Str(yamlx.Get(hc, "version")); ok {
			ev += " " + v
		}
		if repo, ok := yamlx.Str(yamlx.Get(hc, "repo")); ok && repo != "" {
			ev += " from " + repo
		}
		r := Release{ID: "kustomize:" + filepath.ToSlash(dir) + "#helm/" + rel, Kind: Kustomize, ChartFile: f.Path,
			Chart: helmval.FromNode(f, yamlx.Get(hc, "version")), Evidence: ev}
		files := []*yaml.Node{yamlx.Get(hc, "valuesFile")}
		files = append(files, yamlx.Items(yamlx.Get(hc, "additionalValuesFiles"))...)
		for _, vf := range files {
			if p, ok := yamlx.Str(vf); ok && p != "" && !strings.Contains(p, "://") {
				r.Layers = append(r.Layers, Layer{Path: filepath.Join(dir, p), RefAt: f.Span(vf)})
			}
		}
		if v := yamlx.Get(hc, "valuesInline"); yamlx.IsMap(v) {
			r.Layers = append(r.Layers, Layer{Inline: helmval.FromNode(f, v)})
		}
		out = append(out, r)
	}
	return out
}

func kustomizeEvidence(file string, line int, name, newName, imageEvidence string) string {
	ev := fmt.Sprintf("%s:%d images: entry for %s", file, line, name)
	if newName != "" {
		ev += " (as " + newName + ")"
	}
	if i := strings.Index(imageEvidence, ", "); i >= 0 && !strings.Contains(imageEvidence, file+":") {
		ev += imageEvidence[i:]
	}
	return ev
}

// maybeImageName reports whether an image name (without a tag) may be a
// Weaviate server image: its own path, a configured mirror, or a name
// whose last path element is weaviate (the tag decides).
func (c *idContext) maybeImageName(s string) bool {
	if s == "" {
		return false
	}
	return isWeaviateImageName(s) || path.Base(imageName(s)) == "weaviate" || c.mirrorText(s)
}

// tagged is the expansion of "target:" + a tag written in its own scalar:
// the tag's code points map to offsets 0.. of that scalar.
func tagged(target, tag string) interp.Result {
	n := pos.RuneLen(target) + 1
	return interp.Result{Text: target + ":" + tag, Segments: []interp.Segment{
		{Out: 0, Len: n, SrcOff: -n},
		{Out: n, Len: pos.RuneLen(tag), SrcOff: 0},
	}}
}

// kustomizeResources finds the Weaviate workloads among a kustomization's
// resources, following nested kustomizations (remote ones are not fetched).
func kustomizeResources(id *idContext, load *Loader, dir string, doc *yaml.Node, depth int, seen map[string]bool) (deps []Deployment, inputs []string) {
	if depth > 10 {
		return nil, nil
	}
	for _, r := range kustomizeRefs(load, dir, doc) {
		if seen[r.path] {
			continue
		}
		seen[r.path] = true
		if r.kust != nil {
			d, in := kustomizeResources(id, load, r.path, r.kust.Docs[0], depth+1, seen)
			deps, inputs = append(deps, d...), append(append(inputs, r.kust.Path), in...)
		} else if f, err := load.YAML(r.path); err == nil {
			deps = append(deps, workloadsIn(id, f)...)
			inputs = append(inputs, r.path)
		}
	}
	return deps, inputs
}

func isWeaviateImageName(s string) bool {
	if s == "" {
		return false
	}
	if i := strings.IndexAny(s, "@"); i >= 0 {
		s = s[:i]
	}
	slash := strings.LastIndexByte(s, '/')
	if c := strings.LastIndexByte(s, ':'); c > slash {
		s = s[:c]
	}
	return imageref.IsWeaviatePath(s)
}
