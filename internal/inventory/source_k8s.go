package inventory

import (
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wvlint/wvlint/internal/pos"
	"github.com/wvlint/wvlint/internal/yamlx"
)

var k8sSource = &Source{
	Name:  "k8s",
	Doc:   "Kubernetes manifests: Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job and CronJob containers, in multi-document files and Lists",
	Reads: yamlFile,
	Document: func(_ string, doc *yaml.Node) bool {
		kind, _ := yamlx.Str(yamlx.Get(doc, "kind"))
		return isK8sObject(doc) || podSpecPath[kind] != nil
	},
	Extract: func(in *Input) Found {
		var out Found
		for _, doc := range in.Docs {
			if kind, _ := yamlx.Str(yamlx.Get(doc, "kind")); podSpecPath[kind] != nil {
				out.Deployments = append(out.Deployments, workloadDeployments(in.id, in.YAML, doc, kind)...)
			}
		}
		return out
	},
	Examples: []string{"k8s/statefulset.yaml"},
}

// workloadsIn lists the Weaviate containers of every workload in a file.
func workloadsIn(id *idContext, f *yamlx.File) []Deployment {
	var out []Deployment
	var visit func(doc *yaml.Node, depth int)
	visit = func(doc *yaml.Node, depth int) {
		kind, _ := yamlx.Str(yamlx.Get(doc, "kind"))
		if strings.HasSuffix(kind, "List") && depth < 3 {
			for _, it := range yamlx.Items(yamlx.Get(doc, "items")) {
				visit(it, depth+1)
			}
		} else if podSpecPath[kind] != nil {
			out = append(out, workloadDeployments(id, f, doc, kind)...)
		}
	}
	for _, doc := range f.Docs {
		visit(doc, 0)
	}
	return out
}

func workloadDeployments(id *idContext, f *yamlx.File, doc *yaml.Node, kind string) []Deployment {
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
	objID := "k8s:" + kind + "/" + objectName(doc)
	for _, list := range []string{"initContainers", "containers"} {
		for _, c := range yamlx.Items(yamlx.Get(spec, list)) {
			img := yamlx.Get(c, "image")
			if img == nil || img.Kind != yaml.ScalarNode {
				continue
			}
			name, _ := yamlx.Str(yamlx.Get(c, "name"))
			d := Deployment{Kind: K8s, Platform: Kubernetes, Nodes: nodes, NodesDeclared: nodes, PodManagementPolicy: policy,
				ID: objID + "#" + name, Cluster: objID, Env: containerEnv(f, yamlx.Get(c, "env")), Inputs: []string{f.Path}, BackupsKnown: true,
				EnvOpaque: yamlx.Get(c, "envFrom") != nil}
			if !resolveImage(id, yamlWritten(f, img), literal(img.Value), &d, "runs") {
				continue
			}
			d.backupsFromEnv()
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
