package inventory

import (
	"github.com/wvlint/wvlint/internal/imageref"
	"github.com/wvlint/wvlint/internal/pos"
	"github.com/wvlint/wvlint/internal/version"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wvlint/wvlint/internal/interp"
	"github.com/wvlint/wvlint/internal/yamlx"
)

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

// k8sObject handles one Kubernetes object: a workload, a List of objects,
// an Argo CD Application or a Flux HelmRelease.
func (s *scanner) k8sObject(f *yamlx.File, doc *yaml.Node, idx int) {
	kind, _ := yamlx.Str(yamlx.Get(doc, "kind"))
	api, _ := yamlx.Str(yamlx.Get(doc, "apiVersion"))
	switch {
	case kind == "List" || strings.HasSuffix(kind, "List"):
		for i, it := range yamlx.Items(yamlx.Get(doc, "items")) {
			if yamlx.IsMap(it) {
				s.k8sObject(f, it, idx*1000+i)
			}
		}
	case kind == "Application" && strings.HasPrefix(api, "argoproj.io/"):
		s.argoApplication(f, doc)
	case kind == "HelmRelease" && strings.HasPrefix(api, "helm.toolkit.fluxcd.io/"):
		s.fluxHelmRelease(f, doc)
	case podSpecPath[kind] != nil:
		s.workload(f, doc, kind)
	}
}

func (s *scanner) workload(f *yamlx.File, doc *yaml.Node, kind string) {
	for _, d := range workloadDeployments(f, doc, kind) {
		s.add(d)
	}
}

// workloadsIn lists the Weaviate containers of every workload in a file.
func workloadsIn(f *yamlx.File) []Deployment {
	var out []Deployment
	var visit func(doc *yaml.Node, depth int)
	visit = func(doc *yaml.Node, depth int) {
		kind, _ := yamlx.Str(yamlx.Get(doc, "kind"))
		if strings.HasSuffix(kind, "List") && depth < 3 {
			for _, it := range yamlx.Items(yamlx.Get(doc, "items")) {
				visit(it, depth+1)
			}
		} else if podSpecPath[kind] != nil {
			out = append(out, workloadDeployments(f, doc, kind)...)
		}
	}
	for _, doc := range f.Docs {
		visit(doc, 0)
	}
	return out
}

func workloadDeployments(f *yamlx.File, doc *yaml.Node, kind string) []Deployment {
	var out []Deployment
	spec := yamlx.Path(doc, podSpecPath[kind]...)
	nodes := 1
	switch kind {
	case "Deployment", "StatefulSet", "ReplicaSet":
		if r, ok := yamlx.Int(yamlx.Path(doc, "spec", "replicas")); ok {
			nodes = r
		}
	case "DaemonSet":
		nodes = 0 // one per node of the Kubernetes cluster: unknown here
	}
	policy := ""
	if kind == "StatefulSet" {
		policy = "OrderedReady"
		if p, ok := yamlx.Str(yamlx.Path(doc, "spec", "podManagementPolicy")); ok {
			policy = p
		}
	}
	id := "k8s:" + kind + "/" + objectName(doc)
	for _, list := range []string{"initContainers", "containers"} {
		for _, c := range yamlx.Items(yamlx.Get(spec, list)) {
			img := yamlx.Get(c, "image")
			if img == nil || img.Kind != yaml.ScalarNode {
				continue
			}
			name, _ := yamlx.Str(yamlx.Get(c, "name"))
			d := Deployment{Source: K8s, Platform: Kubernetes, Nodes: nodes, NodesDeclared: nodes, PodManagementPolicy: policy,
				ID: id + "#" + name, Cluster: id, Env: containerEnv(f, yamlx.Get(c, "env")), Inputs: []string{f.Path}, BackupsKnown: true,
				EnvOpaque: yamlx.Get(c, "envFrom") != nil}
			if !resolveImage(yamlWritten(f, img), literal(img.Value), &d) {
				continue
			}
			if m, ok := d.Env["ENABLE_MODULES"]; ok {
				d.Backups = addBackups(d.Backups, backupsFromModules(m.Value)...)
			}
			out = append(out, d)
		}
	}
	return out
}

// containerEnv reads a container's env list; valueFrom entries have no
// value to read and are left out.
func containerEnv(f *yamlx.File, n *yaml.Node) map[string]EnvVar {
	env := map[string]EnvVar{}
	for _, e := range yamlx.Items(n) {
		name, ok := yamlx.Str(yamlx.Get(e, "name"))
		if !ok {
			continue
		}
		if v := yamlx.Get(e, "value"); v != nil {
			if text, ok := yamlx.Str(v); ok {
				env[name] = EnvVar{Value: text, Span: f.Span(v)}
			}
		} else if vf := yamlx.Get(e, "valueFrom"); vf != nil {
			env[name] = EnvVar{Span: pos.Span{File: f.Path, Line: vf.Line, Col: vf.Column}, Opaque: true}
		}
	}
	return env
}

// kustomization handles `images:` entries that retarget a Weaviate image.
// The version is the newTag the user edits; the workloads it retargets (in
// the resources the kustomization builds on) give the node count, the
// backup modules and the pod management policy.
func (s *scanner) kustomization(f *yamlx.File, doc *yaml.Node) {
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
		if !isWeaviateImageName(name) && !isWeaviateImageName(newName) {
			continue
		}
		if !resolved {
			bases, inputs = s.kustomizeResources(filepath.Dir(f.Path), doc, 0, map[string]bool{})
			resolved = true
		}
		d := Deployment{Source: Kustomize, Platform: Kubernetes, ID: "kustomize:" + dir + "#" + name, Cluster: "kustomize:" + dir,
			Inputs: append([]string{f.Path}, inputs...)}
		tagN := yamlx.Get(im, "newTag")
		digestN := yamlx.Get(im, "digest")
		switch {
		case tagN != nil && tagN.Kind == yaml.ScalarNode:
			if !resolveImage(yamlWritten(f, tagN), tagged(target, tagN.Value), &d) {
				continue
			}
		case digestN != nil && digestN.Kind == yaml.ScalarNode:
			d.setSpan(f.Span(digestN), digestN.Value)
			d.Image = target + "@" + digestN.Value
			d.Reason = "pinned by digest only: the version cannot be read from " + digestN.Value
			d.Tag = version.Tag{Kind: version.Digest, Reason: d.Reason}
		default:
			continue // renames the image only; the version is written elsewhere
		}
		if len(bases) == 0 {
			s.add(d)
			continue
		}
		for _, b := range bases {
			k := d
			k.ID = d.ID + "@" + b.ID
			k.Nodes, k.Backups, k.BackupsKnown, k.Env, k.PodManagementPolicy = b.Nodes, b.Backups, b.BackupsKnown, b.Env, b.PodManagementPolicy
			s.add(k)
		}
	}
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
func (s *scanner) kustomizeResources(dir string, doc *yaml.Node, depth int, seen map[string]bool) (deps []Deployment, inputs []string) {
	if depth > 10 {
		return nil, nil
	}
	var refs []*yaml.Node
	refs = append(refs, yamlx.Items(yamlx.Get(doc, "resources"))...)
	refs = append(refs, yamlx.Items(yamlx.Get(doc, "bases"))...)
	for _, r := range refs {
		rel, ok := yamlx.Str(r)
		if !ok || strings.Contains(rel, "://") || strings.HasPrefix(rel, "github.com/") {
			continue
		}
		p := filepath.Join(dir, rel)
		if seen[p] {
			continue
		}
		seen[p] = true
		found := false
		for _, k := range []string{"kustomization.yaml", "kustomization.yml", "Kustomization"} {
			if kf, err := s.yaml(filepath.Join(p, k)); err == nil && len(kf.Docs) > 0 {
				d, in := s.kustomizeResources(p, kf.Docs[0], depth+1, seen)
				deps, inputs = append(deps, d...), append(append(inputs, kf.Path), in...)
				found = true
				break
			}
		}
		if found {
			continue
		}
		if f, err := s.yaml(p); err == nil {
			deps = append(deps, workloadsIn(f)...)
			inputs = append(inputs, p)
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
