package inventory

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wvlint/wvlint/internal/helmval"
	"github.com/wvlint/wvlint/internal/pos"
	"github.com/wvlint/wvlint/internal/srcval"
	"github.com/wvlint/wvlint/internal/terraform"
	"github.com/wvlint/wvlint/internal/yamlx"
)

var terraformSource = &Source{
	Name: "terraform",
	Doc: "Terraform modules: `helm_release` of the weaviate chart (`version`, `set` blocks and lists, `values` from `file()`, " +
		"`templatefile()`, `yamlencode()` or heredocs) and `docker_container` and `kubernetes_*` containers; `var.x` is followed to " +
		"its `default` or `terraform.tfvars`, `local.x` to its expression; Flux HelmReleases and Argo CD Applications in heredocs",
	Reads: terraform.IsModuleFile,
	// A module is read whole once one of its .tf files mentions weaviate;
	// variables.tf and terraform.tfvars are read with it.
	Relevant: func(in *Input) bool {
		return strings.HasSuffix(strings.ToLower(in.Path), ".tf") && in.Mentions()
	},
	Neighbours: func(_ string, siblings []string) []string {
		var out []string
		for _, n := range siblings {
			if terraform.IsModuleFile(n) {
				out = append(out, n)
			}
		}
		return out
	},
	Extract:  func(in *Input) Found { return Found{Keep: filepath.Dir(in.Path)} },
	Assemble: assembleTerraform,
}

// assembleTerraform reads each module (directory) once.
func assembleTerraform(a *Assembly, kept []Kept) Found {
	var out Found
	seen := map[string]bool{}
	for _, k := range kept {
		dir := k.Value.(string)
		if seen[dir] {
			continue
		}
		seen[dir] = true
		out.merge(terraformModule(a, terraform.Load(a.Load, dir)))
	}
	return out
}

func terraformModule(a *Assembly, m *terraform.Module) Found {
	var out Found
	for _, p := range m.Problems {
		out.errorf(p.File, p.Line, "%s", p.Message)
	}
	id := "terraform:" + filepath.ToSlash(m.Dir)
	rels, near := m.HelmReleases()
	for _, n := range near {
		out.nearMiss(n.At, n.Message)
	}
	for _, h := range rels {
		out.Releases = append(out.Releases, terraformRelease(&out, id, m, h))
	}
	terraformManifests(a, m, &out)
	for _, c := range m.Containers() {
		d := Deployment{Source: Terraform, ID: id + "#" + c.Address, Env: map[string]EnvVar{}, BackupsKnown: true,
			Inputs: m.Files(), Nodes: 1}
		if c.Name != "" {
			d.ID += "/" + c.Name
		}
		d.Cluster = d.ID
		d.Platform = Docker
		if c.Kind == "kubernetes" {
			d.Platform = Kubernetes
			d.PodManagementPolicy = c.PodManagementPolicy
		}
		if !imageFrom(a.id, c.Image, c.Expr, &d, c.Address+" runs", c.At) {
			continue
		}
		if c.Replicas != nil {
			if n, ok := helmScalar(*c.Replicas).Int(); ok {
				d.Nodes = n
			} else {
				d.Nodes = 0 // unknown
			}
		}
		d.NodesDeclared = d.Nodes
		for _, e := range c.Env {
			if e.Opaque || !e.Value.Known {
				d.Env[e.Name] = EnvVar{Span: e.Value.Span, Opaque: true}
				continue
			}
			d.Env[e.Name] = EnvVar{Value: e.Value.Text, Span: helmScalar(e.Value).Span}
		}
		if mods, ok := d.Env["ENABLE_MODULES"]; ok {
			d.Backups = addBackups(d.Backups, backupsFromModules(mods.Value)...)
		}
		out.Deployments = append(out.Deployments, d)
	}
	return out
}

// terraformRelease turns a helm_release into a Release for the Helm
// layering: values layers in order, then set blocks.
func terraformRelease(out *Found, id string, m *terraform.Module, h terraform.HelmRelease) Release {
	r := Release{ID: id + "#" + h.Address, Source: Terraform, Evidence: h.Evidence, Inputs: m.Files(), At: h.At}
	if h.Version != nil {
		v := helmScalar(*h.Version)
		r.Chart, r.ChartFile = &v, v.Span.File
	}
	for _, l := range h.Layers {
		if l.Unread != nil {
			u := helmScalar(srcval.Unknown(l.Unread.Span, l.Unread.Why))
			r.Layers = append(r.Layers, Layer{Inline: &u})
		}
		switch {
		case l.File != "":
			p, ok := insideTree(l.File)
			if !ok {
				out.errorf(l.FileAt.File, l.FileAt.Line, "values file %s is outside the scanned tree: not read", l.File)
				u := helmScalar(srcval.Unknown(l.FileAt, "values file "+l.File+" is outside the scanned tree"))
				r.Layers = append(r.Layers, Layer{Inline: &u})
				continue
			}
			r.Layers = append(r.Layers, Layer{Path: p, RefAt: l.FileAt})
		case len(l.Values) > 0:
			keys := make([]string, len(l.Values))
			vals := make([]helmval.Value, len(l.Values))
			for i, kv := range l.Values {
				keys[i], vals[i] = kv.Key, helmScalar(kv.Value)
			}
			mv := dottedMap(l.FileAt, keys, vals)
			r.Layers = append(r.Layers, Layer{Inline: &mv})
		}
	}
	for _, d := range h.Dynamic {
		r.Sets = append(r.Sets, helmval.Set{Key: "image.tag", Value: helmScalar(srcval.Unknown(d,
			fmt.Sprintf("a dynamic \"set\" block at %s:%d may set image.tag: wvlint cannot expand it", filepath.ToSlash(d.File), d.Line)))})
	}
	for _, kv := range h.Sets {
		r.Sets = append(r.Sets, helmval.Set{Key: kv.Key, Value: helmScalar(kv.Value)})
	}
	return r
}

// nearMiss records a place that looks like a Weaviate deployment but that
// nothing ties to Weaviate: `wvlint inventory -v` lists them.
func (f *Found) nearMiss(at pos.Span, msg string) {
	f.NearMisses = append(f.NearMisses, NearMiss{File: at.File, Line: at.Line, Column: at.Col, Message: msg, place: true})
}

// terraformManifests reads the Flux HelmReleases and Argo CD Applications
// of the weaviate chart that a module writes in heredocs (kubectl_manifest
// yaml_body, yamldecode(<<EOT) in a kubernetes_manifest, the manifests a
// helm_release of a raw or app-of-apps chart carries), at their lines in
// the .tf file.
func terraformManifests(a *Assembly, m *terraform.Module, out *Found) {
	outers := map[string]*yamlx.File{}
	for _, h := range m.Heredocs() {
		if !mentionsWeaviate(h.Body) || !bytes.Contains(h.Body, []byte("kind:")) {
			continue
		}
		if !h.Literal {
			if bytes.Contains(h.Body, []byte("HelmRelease")) || bytes.Contains(h.Body, []byte("Application")) {
				out.nearMiss(h.At, h.Address+": a manifest in a heredoc with ${...} or %{...}: what it deploys is decided when Terraform runs")
			}
			continue
		}
		outer := outers[h.File]
		if outer == nil {
			src, err := a.Load.ReadFile(h.File)
			if err != nil {
				continue
			}
			outer = yamlx.Outer(h.File, src)
			outers[h.File] = outer
		}
		f, err := yamlx.ParseAt(outer, h.Body, h.BodyLine-1, 0)
		if err != nil {
			var ye *yamlx.Error
			if errors.As(err, &ye) {
				out.errorf(h.File, ye.Line, "invalid YAML in the heredoc of %s: %s", h.Address, ye.Msg)
			}
			continue
		}
		repos := map[string]ociRepo{}
		var objs []*yaml.Node
		for _, doc := range documents(f.Docs) {
			objs = append(objs, manifestObjects(doc, 0)...)
		}
		for _, o := range objs {
			if isObject(o, "OCIRepository", "source.toolkit.fluxcd.io/") {
				repos[objectKey(o, "")] = ociRepo{file: f, doc: o}
			}
		}
		id := "terraform:" + filepath.ToSlash(m.Dir) + "#" + h.Address + "/"
		for _, o := range objs {
			switch {
			case isObject(o, "HelmRelease", "helm.toolkit.fluxcd.io/"):
				for _, r := range fluxHelmRelease(f, o, repos, out) {
					r.ID = id + r.ID
					r.Inputs = append(r.Inputs, m.Files()...)
					out.Releases = append(out.Releases, r)
				}
			case isObject(o, "Application", "argoproj.io/"):
				var got Found
				argoApplication(a.Load, f, o, id+"argocd:"+objectName(o), &got)
				for i := range got.Releases {
					got.Releases[i].Inputs = append(got.Releases[i].Inputs, m.Files()...)
				}
				out.merge(got)
			}
		}
	}
}

// manifestObjects finds the Kubernetes objects in a YAML document: the
// document itself, or objects nested in it (a raw chart's resources list).
func manifestObjects(n *yaml.Node, depth int) []*yaml.Node {
	n = yamlx.Resolve(n)
	if n == nil || depth > 8 {
		return nil
	}
	if yamlx.IsMap(n) && yamlx.Get(n, "apiVersion") != nil && yamlx.Get(n, "kind") != nil {
		return []*yaml.Node{n}
	}
	var out []*yaml.Node
	switch n.Kind {
	case yaml.MappingNode:
		for _, p := range yamlx.Pairs(n) {
			out = append(out, manifestObjects(p.Value, depth+1)...)
		}
	case yaml.SequenceNode:
		for _, it := range yamlx.Items(n) {
			out = append(out, manifestObjects(it, depth+1)...)
		}
	}
	return out
}
