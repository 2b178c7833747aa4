package inventory

import (
	"bytes"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wvlint/wvlint/internal/yamlx"
)

// A kustomize base is built by the kustomizations that list it (overlays);
// those no other kustomization lists are the ones applied (the leaves).
// An overlay retargets a pin when it, or a kustomization between it and
// the pin, replaces the pin's image version: an `images:` entry for the
// image with a newTag or digest, or a strategic-merge patch (`patches:`
// path, `patchesStrategicMerge:`) that sets the container's image. A pin
// every leaf retargets never runs: retarget marks it (RetargetedBy), and
// the rules judge what runs instead. A pin some leaf builds unchanged, or
// that no kustomization builds, keeps its findings. Inline patches and
// JSON 6902 patches are not read: a base they retarget keeps its findings.

// kustNode is one kustomization as retarget needs it.
type kustNode struct {
	path, dir string
	subs      []string // kustomization files among its resources
	files     []string // other resource files
	images    []kustImage
	patches   []kustPatch
}

type kustImage struct {
	name     string
	evidence string // "overlays/prod/kustomization.yaml:8 sets newTag 1.36.23"
}

// kustPatch is one container image a strategic-merge patch sets.
type kustPatch struct {
	file             string // the patch file
	kind, name, ns   string // the object it patches ("" ns: any)
	container, image string
	at, evidence     string     // "overlays/staging/image.yaml:10", with " (image ...)"
	doc              *yaml.Node // the patched object, for the replicas and policy it sets
}

// retarget marks the pins every applied kustomization retargets, and
// turns the workloads that patch files declare into the deployments of
// the overlays that apply them. read holds the kustomizations the scan
// has read already (readKustomization); the others are read here.
func retarget(load *Loader, kustomizations []string, read map[string]*kustNode, deps []Deployment) {
	if len(kustomizations) == 0 {
		return
	}
	nodes := map[string]*kustNode{}
	get := func(p string) *kustNode {
		p = filepath.Clean(p)
		if n, ok := nodes[p]; ok {
			return n
		}
		if n := read[p]; n != nil {
			nodes[p] = n
			return n
		}
		nodes[p] = nil // a cycle reads as no kustomization
		n := readKustomization(load, p)
		nodes[p] = n
		return n
	}
	listed := map[string]bool{}
	var roots []*kustNode
	for _, k := range kustomizations {
		if n := get(k); n != nil {
			roots = append(roots, n)
			for _, s := range n.subs {
				listed[s] = true
			}
		}
	}
	byFile := map[string][]int{}
	for i := range deps {
		byFile[filepath.Clean(deps[i].File)] = append(byFile[filepath.Clean(deps[i].File)], i)
	}
	resource := map[string]bool{}
	for _, n := range nodes {
		if n != nil {
			for _, f := range n.files {
				resource[f] = true
			}
		}
	}
	// Patch files are not resources: the workloads they declare run only
	// as the overlay builds them, over the base's.
	patchDeps(get, roots, deps, byFile, resource)

	type use struct{ by string } // "" when this use runs the pin unchanged
	uses := map[int][]use{}
	var walk func(n *kustNode, above []*kustNode, depth int)
	walk = func(n *kustNode, above []*kustNode, depth int) {
		if depth > 10 {
			return
		}
		for _, i := range byFile[n.path] {
			if deps[i].Kind == Kustomize {
				uses[i] = append(uses[i], use{retargetedBy(above, &deps[i])})
			}
		}
		withN := append(append([]*kustNode{}, above...), n)
		for _, f := range n.files {
			for _, i := range byFile[f] {
				if deps[i].Kind == K8s {
					uses[i] = append(uses[i], use{retargetedBy(withN, &deps[i])})
				}
			}
		}
		for _, s := range n.subs {
			if sn := get(s); sn != nil {
				walk(sn, withN, depth+1)
			}
		}
	}
	for _, n := range roots {
		if !listed[n.path] {
			walk(n, nil, 0)
		}
	}
	for i, us := range uses {
		var by []string
		seen := map[string]bool{}
		for _, u := range us {
			if u.by == "" {
				by = nil
				break
			}
			if !seen[u.by] {
				seen[u.by] = true
				by = append(by, u.by)
			}
		}
		sort.Strings(by)
		deps[i].RetargetedBy = by
	}
}

// retargetedBy is the evidence of the nearest-to-the-leaf kustomization in
// chain (leaf first) that replaces d's image version, "" when none does.
func retargetedBy(chain []*kustNode, d *Deployment) string {
	kind, obj, container := workloadOf(d.ID)
	name := imageName(d.Image)
	for _, k := range chain {
		for _, im := range k.images {
			if im.name == name {
				return im.evidence
			}
		}
		for _, p := range k.patches {
			if p.matches(kind, obj, container) {
				return p.evidence
			}
		}
	}
	return ""
}

// workloadOf reads the workload and container a deployment ID names:
// "k8s:StatefulSet/search/weaviate#weaviate", also after the "@" of a
// kustomize deployment's ID.
func workloadOf(id string) (kind, obj, container string) {
	if i := strings.LastIndex(id, "@k8s:"); i >= 0 {
		id = id[i+1:]
	}
	rest, ok := strings.CutPrefix(id, "k8s:")
	if !ok {
		return "", "", ""
	}
	rest, container, _ = strings.Cut(rest, "#")
	kind, obj, _ = strings.Cut(rest, "/")
	return kind, obj, container
}

func (p kustPatch) matches(kind, obj, container string) bool {
	if kind == "" || p.kind != kind || p.container != container {
		return false
	}
	ns, name, ok := strings.Cut(obj, "/")
	if !ok {
		ns, name = "", obj
	}
	return p.name == name && (p.ns == "" || ns == "" || p.ns == ns)
}

func readKustomization(load *Loader, p string) *kustNode {
	if !isKustomization(filepath.Base(p)) {
		return nil
	}
	f, err := load.YAML(p)
	if err != nil || len(f.Docs) == 0 {
		return nil
	}
	doc := f.Docs[0]
	dir := filepath.Dir(p)
	n := &kustNode{path: p, dir: dir}
	for _, r := range kustomizeRefs(load, dir, doc) {
		if r.kust != nil {
			n.subs = append(n.subs, filepath.Clean(r.kust.Path))
		} else {
			n.files = append(n.files, filepath.Clean(r.path))
		}
	}
	for _, im := range yamlx.Items(yamlx.Get(doc, "images")) {
		name, _ := yamlx.Str(yamlx.Get(im, "name"))
		if name == "" {
			continue
		}
		if t := yamlx.Get(im, "newTag"); t != nil && t.Kind == yaml.ScalarNode {
			n.images = append(n.images, kustImage{name, fmt.Sprintf("%s:%d sets newTag %s", p, t.Line, t.Value)})
		} else if dg := yamlx.Get(im, "digest"); dg != nil && dg.Kind == yaml.ScalarNode {
			n.images = append(n.images, kustImage{name, fmt.Sprintf("%s:%d sets digest %s", p, dg.Line, dg.Value)})
		}
	}
	var patchFiles []string
	for _, pn := range yamlx.Items(yamlx.Get(doc, "patches")) {
		if yamlx.Get(pn, "target") != nil {
			continue // a target selects by more than kind and name: not read
		}
		if rel, ok := yamlx.Str(yamlx.Get(pn, "path")); ok && rel != "" {
			patchFiles = append(patchFiles, filepath.Join(dir, rel))
		}
	}
	for _, pn := range yamlx.Items(yamlx.Get(doc, "patchesStrategicMerge")) {
		if rel, ok := yamlx.Str(pn); ok && rel != "" && !strings.Contains(rel, "\n") {
			patchFiles = append(patchFiles, filepath.Join(dir, rel))
		}
	}
	for _, pf := range patchFiles {
		n.patches = append(n.patches, readPatch(load, pf)...)
	}
	return n
}

// readPatch reads the container images a strategic-merge patch file sets.
func readPatch(load *Loader, p string) []kustPatch {
	f, err := load.YAMLIf(p, maySetImage)
	if err != nil || f == nil {
		return nil
	}
	var out []kustPatch
	for _, doc := range f.Docs {
		kind, _ := yamlx.Str(yamlx.Get(doc, "kind"))
		path := podSpecPath[kind]
		if path == nil {
			continue
		}
		name, _ := yamlx.Str(yamlx.Path(doc, "metadata", "name"))
		ns, _ := yamlx.Str(yamlx.Path(doc, "metadata", "namespace"))
		spec := yamlx.Path(doc, path...)
		for _, list := range []string{"initContainers", "containers"} {
			for _, c := range yamlx.Items(yamlx.Get(spec, list)) {
				img := yamlx.Get(c, "image")
				cname, _ := yamlx.Str(yamlx.Get(c, "name"))
				if img == nil || img.Kind != yaml.ScalarNode || cname == "" {
					continue
				}
				at := fmt.Sprintf("%s:%d", p, img.Line)
				out = append(out, kustPatch{file: filepath.Clean(p), kind: kind, name: name, ns: ns, container: cname, image: img.Value,
					at: at, evidence: at + " sets image " + img.Value, doc: doc})
			}
		}
	}
	return out
}

// maySetImage is readPatch's pre-filter: a patch can set a container's
// image only with an "image" key, which its text then spells out, unless
// a double-quoted key writes it with escapes.
func maySetImage(data []byte) bool {
	return bytes.Contains(data, []byte("image")) || bytes.IndexByte(data, '\\') >= 0
}

// patchDeps turns each workload a patch file declares (read by the k8s
// source as if it stood alone, with the base's identity) into the
// deployment of the overlay that applies the patch: its ID and cluster
// are the overlay's, and what the patch leaves out (replicas, the other
// environment variables, the pod management policy) is the base's.
func patchDeps(get func(string) *kustNode, roots []*kustNode, deps []Deployment, byFile map[string][]int, resource map[string]bool) {
	for _, n := range roots {
		for _, p := range n.patches {
			if resource[p.file] {
				continue
			}
			base := findBase(get, n, p, deps, byFile, 0)
			if base == nil {
				continue
			}
			for _, i := range byFile[p.file] {
				d := &deps[i]
				if d.Kind != K8s {
					continue
				}
				kind, obj, container := workloadOf(d.ID)
				if !p.matches(kind, obj, container) {
					continue
				}
				d.ID = "kustomize:" + filepath.ToSlash(n.dir) + "#patch/" + filepath.Base(p.file) + "@" + base.ID
				d.Cluster = "kustomize:" + filepath.ToSlash(n.dir)
				d.Kind = Kustomize
				if _, ok := yamlx.Int(yamlx.Path(p.doc, "spec", "replicas")); !ok {
					d.Nodes, d.NodesDeclared = base.Nodes, base.NodesDeclared
				}
				if _, ok := yamlx.Str(yamlx.Path(p.doc, "spec", "podManagementPolicy")); !ok {
					d.PodManagementPolicy = base.PodManagementPolicy
				}
				env := map[string]EnvVar{}
				for k, v := range base.Env {
					env[k] = v
				}
				for k, v := range d.Env {
					env[k] = v
				}
				d.Env = env
				d.EnvOpaque = d.EnvOpaque || base.EnvOpaque
				if _, ok := d.Env["ENABLE_MODULES"]; ok {
					d.Backups = addBackups(nil, backupsFromModules(d.Env["ENABLE_MODULES"].Value)...)
				}
				d.BackupsKnown = base.BackupsKnown
				d.Evidence = fmt.Sprintf("%s patch in %s sets the image of %s", p.at, n.path, strings.TrimPrefix(base.ID, "k8s:"))
				d.Inputs = append([]string{d.File, n.path}, base.Inputs...)
			}
		}
	}
}

// findBase is the workload patch p of kustomization n patches, among the
// resources n builds on.
func findBase(get func(string) *kustNode, n *kustNode, p kustPatch, deps []Deployment, byFile map[string][]int, depth int) *Deployment {
	if depth > 10 {
		return nil
	}
	for _, f := range n.files {
		for _, i := range byFile[f] {
			kind, obj, container := workloadOf(deps[i].ID)
			if deps[i].Kind == K8s && p.matches(kind, obj, container) {
				return &deps[i]
			}
		}
	}
	for _, s := range n.subs {
		if sn := get(s); sn != nil {
			if b := findBase(get, sn, p, deps, byFile, depth+1); b != nil {
				return b
			}
		}
	}
	return nil
}

// podSpecPath is where each workload kind keeps its pod spec.
var podSpecPath = map[string][]string{
	"Pod":         {"spec"},
	"Deployment":  {"spec", "template", "spec"},
	"StatefulSet": {"spec", "template", "spec"},
	"DaemonSet":   {"spec", "template", "spec"},
	"ReplicaSet":  {"spec", "template", "spec"},
	"Job":         {"spec", "template", "spec"},
	"CronJob":     {"spec", "jobTemplate", "spec", "template", "spec"},
}

// IsKustomization reports whether a path names a kustomization file.
func IsKustomization(p string) bool { return isKustomization(filepath.Base(p)) }

func isKustomization(base string) bool {
	return base == "kustomization.yaml" || base == "kustomization.yml" || base == "Kustomization"
}

// kustomizeRef is one local entry of a kustomization's resources (or
// bases): a directory with a kustomization (kust), or a file.
type kustomizeRef struct {
	path string
	kust *yamlx.File
}

// kustomizeRefs lists the local resources of a kustomization in dir
// (remote ones are not fetched).
func kustomizeRefs(load *Loader, dir string, doc *yaml.Node) []kustomizeRef {
	var out []kustomizeRef
	var refs []*yaml.Node
	refs = append(refs, yamlx.Items(yamlx.Get(doc, "resources"))...)
	refs = append(refs, yamlx.Items(yamlx.Get(doc, "bases"))...)
	for _, r := range refs {
		rel, ok := yamlx.Str(r)
		if !ok || strings.Contains(rel, "://") || strings.HasPrefix(rel, "github.com/") {
			continue
		}
		ref := kustomizeRef{path: filepath.Join(dir, rel)}
		for _, k := range []string{"kustomization.yaml", "kustomization.yml", "Kustomization"} {
			if kf, err := load.YAML(filepath.Join(ref.path, k)); err == nil && len(kf.Docs) > 0 {
				ref.kust = kf
				break
			}
		}
		out = append(out, ref)
	}
	return out
}
