package inventory

import (
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
			d := Deployment{Source: K8s, Platform: Kubernetes, Nodes: nodes, PodManagementPolicy: policy,
				ID: id + "#" + name, Cluster: id, Env: containerEnv(f, yamlx.Get(c, "env")), Inputs: []string{f.Path}}
			if !resolveImage(yamlWritten(f, img), literal(img.Value), &d) {
				continue
			}
			if m, ok := d.Env["ENABLE_MODULES"]; ok {
				d.Backups = addBackups(d.Backups, backupsFromModules(m.Value)...)
			}
			s.add(d)
		}
	}
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
		}
	}
	return env
}

// kustomization handles `images:` entries that retarget a Weaviate image.
// The version is the newTag the user edits.
func (s *scanner) kustomization(f *yamlx.File, doc *yaml.Node) {
	dir := filepath.ToSlash(filepath.Dir(f.Path))
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
		d := Deployment{Source: Kustomize, Platform: Kubernetes, ID: "kustomize:" + dir + "#" + name, Cluster: "kustomize:" + dir, Inputs: []string{f.Path}}
		tagN := yamlx.Get(im, "newTag")
		digestN := yamlx.Get(im, "digest")
		switch {
		case tagN != nil && tagN.Kind == yaml.ScalarNode:
			w := written{text: tagN.Value, at: func(off, n int) pos0 { return f.ValueSpan(tagN, off, n) }}
			res := interp.Result{Text: target + ":" + tagN.Value, Segments: []interp.Segment{
				{Out: 0, Len: len([]rune(target)) + 1, SrcOff: -1 - len([]rune(target))},
				{Out: len([]rune(target)) + 1, Len: len([]rune(tagN.Value)), SrcOff: 0},
			}}
			if !resolveImage(w, res, &d) {
				continue
			}
		case digestN != nil && digestN.Kind == yaml.ScalarNode:
			d.setSpan(f.Span(digestN), digestN.Value)
			d.Image = target + "@" + digestN.Value
			d.Tag.Kind = versionDigest
			d.Reason = "pinned by digest only: the version cannot be read from " + digestN.Value
			d.Tag.Reason = d.Reason
		default:
			continue // renames the image only; the version is written elsewhere
		}
		s.add(d)
	}
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
	return isWeaviatePath(s)
}
