package inventory

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
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
		"its `default` or `terraform.tfvars`/`*.auto.tfvars`, `local.x` to its expression; a module called from a local `source` " +
		"(`./`, `../`, inside the tree) is read once per call with the caller's arguments; Flux HelmReleases and Argo CD Applications in heredocs",
	Reads: terraform.IsModuleFile,
	// A module is read whole once one of its .tf files mentions weaviate
	// or calls a module (the callee may be Weaviate's); variables.tf and
	// terraform.tfvars are read with it.
	Relevant: func(in *Input) bool {
		return strings.HasSuffix(strings.ToLower(in.Path), ".tf") && (in.Mentions() || in.Raw.Test(callsModule))
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
	// A module above a values file or a module may read the one
	// (file("charts/weaviate/values-prod.yaml")) or call the other
	// (source = "./modules/weaviate").
	Referrers: func(given string, names []string) []string {
		if !givesValues(given) && !terraform.IsModuleFile(given) {
			return nil
		}
		var out []string
		for _, n := range names {
			if terraform.IsModuleFile(n) {
				out = append(out, n)
			}
		}
		return out
	},
	// A module given alone (a pre-commit hook passes the changed
	// variables.tf, or the values.yaml its helm_release reads) is read
	// once per call, so its callers are read with it wherever they are in
	// the repository.
	Across: func(given string, siblings []string) func(string) bool {
		if !terraform.IsModuleFile(given) && (!givesValues(given) || !slices.ContainsFunc(siblings, terraform.IsModuleFile)) {
			return nil
		}
		return func(p string) bool { return strings.HasSuffix(strings.ToLower(p), ".tf") }
	},
	Extract:  func(in *Input) Found { return Found{Keep: filepath.Dir(in.Path)} },
	Assemble: assembleTerraform,
	Examples: []string{"infra/main.tf", "infra/terraform.tfvars", "infra/prod.auto.tfvars"},
}

// callsModule reports whether HCL source has a line starting with a
// module block ("module \"x\" {").
func callsModule(b []byte) bool {
	for len(b) > 0 {
		i := bytes.Index(b, []byte("module"))
		if i < 0 {
			return false
		}
		j := i
		for j > 0 && (b[j-1] == ' ' || b[j-1] == '\t') {
			j--
		}
		if (j == 0 || b[j-1] == '\n') && i+6 < len(b) && (b[i+6] == ' ' || b[i+6] == '\t' || b[i+6] == '"') {
			return true
		}
		b = b[i+6:]
	}
	return false
}

// maxModuleDepth bounds how deep module calls are followed.
const maxModuleDepth = 8

// tfTree is the Terraform modules of a scan and the local calls between
// them.
type tfTree struct {
	a        *Assembly
	mods     map[string]*terraform.Module
	calledBy map[string][]terraform.Call
	reach    map[string]int  // 0 unknown, 1 visiting, 2 no, 3 yes
	done     map[string]bool // modules read as some instance
	out      Found
}

// assembleTerraform reads each module (directory) once, follows the local
// module calls between them, and reads each module that deploys Weaviate
// once per call that leads to it from a root module (a module no module
// in the tree calls), with that call's arguments; a root module is read
// with its defaults and tfvars.
func assembleTerraform(a *Assembly, kept []Kept) Found {
	t := &tfTree{a: a, mods: map[string]*terraform.Module{}, calledBy: map[string][]terraform.Call{}, reach: map[string]int{}, done: map[string]bool{}}
	var queue []string
	for _, k := range kept {
		dir := k.Value.(string)
		if _, ok := t.mods[dir]; !ok {
			t.mods[dir] = terraform.Load(a.Load, dir)
			queue = append(queue, dir)
		}
	}
	for len(queue) > 0 {
		dir := queue[0]
		queue = queue[1:]
		for _, c := range t.mods[dir].Calls() {
			target, ok := t.target(c)
			if !ok || target == dir {
				continue
			}
			t.calledBy[target] = append(t.calledBy[target], c)
			if _, ok := t.mods[target]; !ok {
				m := terraform.Load(a.Load, target)
				t.mods[target] = m
				queue = append(queue, target)
				if len(m.Files()) == 0 {
					t.unread(c, m)
				}
			}
		}
	}
	dirs := make([]string, 0, len(t.mods))
	for d := range t.mods {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	for _, d := range dirs {
		m := t.mods[d]
		if !t.reaches(d) {
			continue
		}
		for _, p := range m.Problems {
			t.out.errorf(p.File, p.Line, "%s", p.Message)
		}
		if len(t.calledBy[d]) == 0 {
			t.instantiate(m, []string{d})
		}
	}
	// A module that deploys Weaviate but that no chain of calls from a
	// root module reaches (modules that call each other in a cycle, which
	// Terraform refuses) is said so, not passed in silence.
	for _, d := range dirs {
		if m := t.mods[d]; !t.done[d] && m.Mentions(mentionsWeaviate) {
			c := t.calledBy[d][0]
			t.out.errorf(c.At.File, c.At.Line, "module %s: %s is called only from modules that call each other in a cycle; not read", c.Address(), filepath.ToSlash(d))
		}
	}
	return dedupe(t.out)
}

// unread says that a called module could not be read: an error when the
// call names weaviate (what it deploys goes unchecked), else a notice.
func (t *tfTree) unread(c terraform.Call, m *terraform.Module) {
	why := "no .tf files"
	if len(m.Problems) > 0 {
		why = m.Problems[0].Message
	}
	msg := fmt.Sprintf("module %s: source %s cannot be read (%s); what it deploys is not checked", c.Address(), c.Source, why)
	if mentionsWeaviate([]byte(c.Name + " " + c.Source)) {
		t.out.errorf(c.At.File, c.At.Line, "%s", msg)
		return
	}
	t.out.Notices = append(t.out.Notices, FileError{File: c.At.File, Line: c.At.Line, Message: msg})
}

// target is the directory a call reads, when it is inside the tree.
func (t *tfTree) target(c terraform.Call) (string, bool) {
	if filepath.IsAbs(c.Caller.Dir) {
		return filepath.Clean(c.Dir), true // the file system refuses what leaves the roots
	}
	p, ok := insideTree(c.Dir)
	if !ok {
		t.out.Notices = append(t.out.Notices, FileError{File: c.At.File, Line: c.At.Line,
			Message: fmt.Sprintf("module %s: source %s leads outside the scanned tree; not followed", c.Address(), c.Source)})
	}
	return p, ok
}

// reaches reports whether a module, or a module it calls, mentions weaviate.
func (t *tfTree) reaches(dir string) bool {
	switch t.reach[dir] {
	case 1, 2:
		return false
	case 3:
		return true
	}
	t.reach[dir] = 1
	m := t.mods[dir]
	yes := m != nil && m.Mentions(mentionsWeaviate)
	if m != nil && !yes {
		for _, c := range m.Calls() {
			if target, ok := insideOrAbs(c); ok && target != dir && t.reaches(target) {
				yes = true
				break
			}
		}
	}
	t.reach[dir] = 2
	if yes {
		t.reach[dir] = 3
	}
	return yes
}

func insideOrAbs(c terraform.Call) (string, bool) {
	if filepath.IsAbs(c.Caller.Dir) {
		return filepath.Clean(c.Dir), true
	}
	return insideTree(c.Dir)
}

// instantiate reads a module instance and the instances its calls make.
// chain is the directories of the calls that led here, to refuse a cycle.
func (t *tfTree) instantiate(m *terraform.Module, chain []string) {
	t.done[m.Dir] = true
	if m.Mentions(mentionsWeaviate) {
		t.out.merge(terraformModule(t.a, m))
	}
	for _, c := range m.Calls() {
		target, ok := insideOrAbs(c)
		if !ok || !t.reaches(target) {
			continue
		}
		if slices.Contains(chain, target) || len(chain) > maxModuleDepth {
			t.out.errorf(c.At.File, c.At.Line, "module %s: calls nest too deep or in a cycle (%s); not followed", c.Address(), strings.Join(append(chain, target), " -> "))
			continue
		}
		t.instantiate(c.Instance(t.mods[target]), append(slices.Clip(chain), target))
	}
}

// dedupe drops the errors, notices and near misses two instances of one
// module report at the same place.
func dedupe(f Found) Found {
	f.Errors = uniqueErrors(f.Errors)
	f.Notices = uniqueErrors(f.Notices)
	seen := map[NearMiss]bool{}
	var near []NearMiss
	for _, n := range f.NearMisses {
		if !seen[n] {
			seen[n] = true
			near = append(near, n)
		}
	}
	f.NearMisses = near
	return f
}

func uniqueErrors(es []FileError) []FileError {
	seen := map[FileError]bool{}
	var out []FileError
	for _, e := range es {
		if !seen[e] {
			seen[e] = true
			out = append(out, e)
		}
	}
	return out
}

// callEvidence is what an instance's evidence adds: the calls that lead
// to it, each with the variables the values read from it ("called as
// module.db at envs/prod/main.tf:5 (weaviate_version)"); "" for a root
// module.
func callEvidence(m *terraform.Module, vals ...terraform.Value) string {
	calls := m.Callers()
	if len(calls) == 0 {
		return ""
	}
	vars := terraform.CallVariables(vals...)
	var via []string
	for _, c := range calls {
		s := c.Address() + " at " + c.Where()
		if vs := vars[c.Address()]; len(vs) > 0 {
			s += " (" + strings.Join(vs, ", ") + ")"
		}
		via = append(via, s)
	}
	return ", called as " + strings.Join(via, " then ")
}

// releaseValues are the values of a helm_release that decide its version.
func releaseValues(h terraform.HelmRelease) []terraform.Value {
	var vs []terraform.Value
	if h.Version != nil {
		vs = append(vs, *h.Version)
	}
	for _, kv := range h.Sets {
		if strings.HasPrefix(kv.Key, "image.") {
			vs = append(vs, kv.Value)
		}
	}
	for _, l := range h.Layers {
		for _, kv := range l.Values {
			if strings.HasPrefix(kv.Key, "image.") {
				vs = append(vs, kv.Value)
			}
		}
	}
	return vs
}

// tfID is the identity of a resource of a module instance: the root
// module's directory and the resource's address in it.
func tfID(m *terraform.Module, addr string) string {
	return "terraform:" + filepath.ToSlash(m.RootDir()) + "#" + m.Prefix + addr
}

func terraformModule(a *Assembly, m *terraform.Module) Found {
	var out Found
	rels, near := m.HelmReleases()
	for _, n := range near {
		out.nearMiss(n.At, n.Message)
	}
	for _, h := range rels {
		r := terraformRelease(&out, tfID(m, h.Address), m, h)
		r.Evidence += callEvidence(m, releaseValues(h)...)
		out.Releases = append(out.Releases, r)
	}
	var manifests Found
	terraformManifests(a, m, &manifests)
	if via := callEvidence(m); via != "" {
		for i := range manifests.Deployments {
			manifests.Deployments[i].Evidence += via
		}
		for i := range manifests.Releases {
			manifests.Releases[i].Evidence += via
		}
	}
	out.merge(manifests)
	for _, c := range m.Containers() {
		d := Deployment{Kind: Terraform, ID: tfID(m, c.Address), Env: map[string]EnvVar{}, BackupsKnown: true,
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
		d.Evidence += callEvidence(m, c.Image)
		if c.Replicas != nil {
			if n, ok := helmScalar(*c.Replicas).Int(); ok {
				d.Nodes = n
			} else {
				d.Nodes = 0 // unknown
			}
		}
		d.NodesDeclared = d.Nodes
		for _, e := range c.Env {
			d.setEnv(e.Name, e.Value, e.Opaque)
		}
		d.backupsFromEnv()
		out.Deployments = append(out.Deployments, d)
	}
	return out
}

// terraformRelease turns a helm_release into a Release for the Helm
// layering: values layers in order, then set blocks.
func terraformRelease(out *Found, id string, m *terraform.Module, h terraform.HelmRelease) Release {
	r := Release{ID: id, Kind: Terraform, Evidence: h.Evidence, Inputs: m.Files(), At: h.At}
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
		id := tfID(m, h.Address) + "/"
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
