package terraform

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"testing"
)

// mapFS is an in-memory tree: slash paths to contents.
type mapFS map[string]string

func (m mapFS) ReadFile(name string) ([]byte, error) {
	if s, ok := m[path.Clean(name)]; ok {
		return []byte(s), nil
	}
	return nil, fs.ErrNotExist
}

func (m mapFS) ReadDir(dir string) ([]string, error) {
	var out []string
	for p := range m {
		if path.Dir(p) == path.Clean(dir) {
			out = append(out, path.Base(p))
		}
	}
	sort.Strings(out)
	return out, nil
}

// show renders a value as "text @file:line:col-end" (or "? why @...").
func show(v Value) string {
	if !v.Known {
		return fmt.Sprintf("? %s @%s:%d:%d", v.Why, v.Span.File, v.Span.Line, v.Span.Col)
	}
	sp, seg, ok := v.At(0, len([]rune(v.Text)))
	s := v.Text
	if ok {
		s += fmt.Sprintf(" @%s:%d:%d-%d", sp.File, sp.Line, sp.Col, sp.EndCol)
	} else {
		s += " @?"
	}
	if seg.Via != "" {
		s += fmt.Sprintf(" via %s@%s:%d:%d", seg.Via, seg.Ref.File, seg.Ref.Line, seg.Ref.Col)
	}
	return s
}

func showRelease(h HelmRelease) []string {
	out := []string{"release " + h.Address + " chart=" + h.Chart.Text + " evidence=" + h.Evidence}
	if h.Version != nil {
		out = append(out, "version "+show(*h.Version))
	}
	for i, l := range h.Layers {
		if l.File != "" {
			out = append(out, fmt.Sprintf("layer%d file %s @%d:%d", i, l.File, l.FileAt.Line, l.FileAt.Col))
		}
		if l.Template != "" {
			out = append(out, fmt.Sprintf("layer%d template %s @%d:%d", i, l.Template, l.FileAt.Line, l.FileAt.Col))
		}
		for _, kv := range l.Values {
			if strings.HasPrefix(kv.Key, "image") || kv.Key == "replicas" {
				out = append(out, fmt.Sprintf("layer%d %s = %s", i, kv.Key, show(kv.Value)))
			}
		}
		if l.Unread != nil {
			out = append(out, fmt.Sprintf("layer%d unread: %s @%s:%d:%d", i, l.Unread.Why, l.Unread.Span.File, l.Unread.Span.Line, l.Unread.Span.Col))
		}
	}
	for _, kv := range h.Sets {
		out = append(out, fmt.Sprintf("set %s = %s", kv.Key, show(kv.Value)))
	}
	for _, d := range h.Dynamic {
		out = append(out, fmt.Sprintf("dynamic @%d:%d", d.Line, d.Col))
	}
	return out
}

func TestHelmReleases(t *testing.T) {
	tests := []struct {
		name  string
		files mapFS
		want  []string
		near  []string
	}{
		{
			name: "set blocks and variables with defaults",
			files: mapFS{
				"infra/main.tf": `resource "helm_release" "weaviate" {
  name       = "weaviate"
  repository = "https://weaviate.github.io/weaviate-helm"
  chart      = "weaviate"
  version    = var.chart_version

  set {
    name  = "image.tag"
    value = var.weaviate_version
  }
  set {
    name  = "replicas"
    value = 3
  }
}
`,
				"infra/variables.tf": `variable "chart_version" {
  type    = string
  default = "17.4.5"
}

variable "weaviate_version" {
  description = "Weaviate image tag"
  default     = "1.31.5"
}
`},
			want: []string{
				"release helm_release.weaviate chart=weaviate evidence=infra/main.tf:4 helm_release.weaviate of chart weaviate from https://weaviate.github.io/weaviate-helm",
				"version 17.4.5 @infra/variables.tf:3:14-20 via var.chart_version@infra/main.tf:5:16",
				"set image.tag = 1.31.5 @infra/variables.tf:8:18-24 via var.weaviate_version@infra/main.tf:9:13",
				"set replicas = 3 @infra/main.tf:13:13-14",
			},
		},
		{
			name: "tfvars wins over the default; locals and object variables",
			files: mapFS{
				"main.tf": `locals {
  weaviate = {
    tag = var.versions.weaviate
  }
}
resource "helm_release" "db" {
  chart      = "weaviate"
  repository = "https://weaviate.github.io/weaviate-helm/"
  version    = "17.5.1"
  set {
    name  = "image.tag"
    value = local.weaviate.tag
  }
}
variable "versions" {
  default = { weaviate = "1.30.0" }
}
`,
				"terraform.tfvars": `versions = {
  weaviate = "1.30.2"
}
`},
			want: []string{
				"release helm_release.db chart=weaviate evidence=main.tf:7 helm_release.db of chart weaviate from https://weaviate.github.io/weaviate-helm/",
				"version 17.5.1 @main.tf:9:17-23",
				"set image.tag = 1.30.2 @terraform.tfvars:2:15-21 via var.versions.weaviate@main.tf:3:11",
			},
		},
		{
			name: "yamlencode, file() and a heredoc with an interpolation",
			files: mapFS{
				"tf/weaviate.tf": `resource "helm_release" "weaviate" {
  name       = "weaviate"
  repository = "https://weaviate.github.io/weaviate-helm"
  chart      = "weaviate"
  version    = "17.6.1"
  values = [
    file("${path.module}/values.yaml"),
    yamlencode({
      replicas = 3
      image = {
        tag = "1.32.3"
      }
    }),
    <<-EOT
    image:
      tag: ${var.tag}
    service:
      type: LoadBalancer
    EOT
  ]
}
variable "tag" { default = "1.32.4" }
`},
			want: []string{
				"release helm_release.weaviate chart=weaviate evidence=tf/weaviate.tf:4 helm_release.weaviate of chart weaviate from https://weaviate.github.io/weaviate-helm",
				"version 17.6.1 @tf/weaviate.tf:5:17-23",
				"layer0 file tf/values.yaml @7:5",
				"layer1 replicas = 3 @tf/weaviate.tf:9:18-19",
				"layer1 image.tag = 1.32.3 @tf/weaviate.tf:11:16-22",
				"layer2 image.tag = 1.32.4 @tf/weaviate.tf:22:29-35 via var.tag@tf/weaviate.tf:16:14",
			},
		},
		{
			name: "a literal heredoc pins the tag in place",
			files: mapFS{
				"main.tf": `resource "helm_release" "weaviate" {
  repository = "https://weaviate.github.io/weaviate-helm"
  chart      = "weaviate"
  version    = "17.8.1"
  values = [
    <<-EOT
    image:
      tag: "1.20.0"
    EOT
  ]
}
`},
			want: []string{
				"release helm_release.weaviate chart=weaviate evidence=main.tf:3 helm_release.weaviate of chart weaviate from https://weaviate.github.io/weaviate-helm",
				"version 17.8.1 @main.tf:4:17-23",
				"layer0 image.tag = 1.20.0 @main.tf:8:13-19",
			},
		},
		{
			name: "templatefile renders a values template with module variables",
			files: mapFS{
				"main.tf": `resource "helm_release" "weaviate" {
  repository = "https://weaviate.github.io/weaviate-helm"
  chart      = "weaviate"
  values = [templatefile("${path.module}/values.yaml.tpl", {
    weaviate_tag = var.weaviate_tag
    replicas     = 3
  })]
}
variable "weaviate_tag" {
  default = "1.28.4"
}
`,
				"values.yaml.tpl": `replicas: ${replicas}
image:
  registry: cr.weaviate.io
  tag: ${weaviate_tag}
`},
			want: []string{
				"release helm_release.weaviate chart=weaviate evidence=main.tf:3 helm_release.weaviate of chart weaviate from https://weaviate.github.io/weaviate-helm",
				"layer0 template values.yaml.tpl @4:13",
				"layer0 replicas = 3 @main.tf:6:20-21 via replicas@values.yaml.tpl:1:13",
				"layer0 image.registry = cr.weaviate.io @values.yaml.tpl:3:13-27",
				"layer0 image.tag = 1.28.4 @main.tf:10:14-20 via var.weaviate_tag@main.tf:5:20",
			},
		},
		{
			name: "helm provider 3 set list, a dynamic set and a variable without default",
			files: mapFS{
				"main.tf": `resource "helm_release" "weaviate" {
  repository = "https://weaviate.github.io/weaviate-helm"
  chart      = "weaviate"
  version    = var.chart
  set = [
    { name = "image.tag", value = "1.29.1" },
  ]
  dynamic "set" {
    for_each = var.extra
    content {
      name  = set.key
      value = set.value
    }
  }
}
variable "chart" {
  type = string
}
`},
			want: []string{
				"release helm_release.weaviate chart=weaviate evidence=main.tf:3 helm_release.weaviate of chart weaviate from https://weaviate.github.io/weaviate-helm",
				"version ? var.chart has no default and no value in terraform.tfvars: the caller sets it @main.tf:16:1",
				"set image.tag = 1.29.1 @main.tf:6:36-42",
				"dynamic @8:3",
			},
		},
		{
			name: "unreadable values say why at their position",
			files: mapFS{
				"main.tf": `resource "helm_release" "weaviate" {
  repository = "https://weaviate.github.io/weaviate-helm"
  chart      = "weaviate"
  version    = "~> 17.0"
  values     = [merge(local.base, { image = { tag = "1.25.0" } }), yamlencode(var.values)]
}
`},
			want: []string{
				"release helm_release.weaviate chart=weaviate evidence=main.tf:3 helm_release.weaviate of chart weaviate from https://weaviate.github.io/weaviate-helm",
				"version ~> 17.0 @main.tf:4:17-24",
				"layer0 unread: merge(...) is computed when Terraform runs @main.tf:5:17",
				"layer1 unread: the values are computed when Terraform runs: var.values is not declared in this module @main.tf:5:79",
			},
		},
		{
			name: "charts named weaviate that are not the weaviate chart are near misses",
			files: mapFS{
				"main.tf": `resource "helm_release" "local" {
  chart = "../helm-charts/weaviate"
  set {
    name  = "image.tag"
    value = "1.24.4"
  }
}
resource "helm_release" "mirror" {
  repository = "https://charts.example.com/stable"
  chart      = "weaviate"
}
resource "helm_release" "redis" {
  repository = "https://charts.bitnami.com/bitnami"
  chart      = "redis"
}
# resource "helm_release" "old" {
#   repository = "https://weaviate.github.io/weaviate-helm"
#   chart      = "weaviate"
# }
`},
			near: []string{
				`main.tf:2:11: helm_release.local installs a chart named "../helm-charts/weaviate" but no repository: a local chart; name its values in .wvlint.yaml if it deploys Weaviate`,
				`main.tf:10:16: helm_release.mirror installs a chart named "weaviate" but its repository is not the weaviate chart's; name its values in .wvlint.yaml if it deploys Weaviate`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := ""
			for p := range tt.files {
				if strings.HasSuffix(p, ".tf") {
					dir = path.Dir(p)
				}
			}
			m := Load(tt.files, dir)
			if len(m.Problems) > 0 {
				t.Fatalf("problems: %v", m.Problems)
			}
			rels, near := m.HelmReleases()
			var got []string
			for _, h := range rels {
				got = append(got, showRelease(h)...)
			}
			if d := diff(got, tt.want); d != "" {
				t.Errorf("releases:\n%s", d)
			}
			var gotNear []string
			for _, n := range near {
				gotNear = append(gotNear, fmt.Sprintf("%s:%d:%d: %s", n.At.File, n.At.Line, n.At.Col, n.Message))
			}
			if d := diff(gotNear, tt.near); d != "" {
				t.Errorf("near misses:\n%s", d)
			}
		})
	}
}

func diff(got, want []string) string {
	if strings.Join(got, "\n") == strings.Join(want, "\n") {
		return ""
	}
	return "got:\n  " + strings.Join(got, "\n  ") + "\nwant:\n  " + strings.Join(want, "\n  ")
}

func TestContainers(t *testing.T) {
	files := mapFS{
		"docker/main.tf": `resource "docker_image" "weaviate" {
  name = "cr.weaviate.io/semitechnologies/weaviate:${var.weaviate_version}"
}

resource "docker_container" "weaviate" {
  name  = "weaviate"
  image = docker_image.weaviate.image_id
  env = [
    "ENABLE_MODULES=backup-filesystem",
    "CLUSTER_HOSTNAME=node1",
  ]
}

resource "docker_container" "t2v" {
  image = "semitechnologies/transformers-inference:sentence-transformers-multi-qa-MiniLM-L6-cos-v1"
}

resource "kubernetes_stateful_set_v1" "weaviate" {
  metadata { name = "weaviate" }
  spec {
    replicas              = 3
    pod_management_policy = "Parallel"
    template {
      spec {
        container {
          name  = "weaviate"
          image = "semitechnologies/weaviate:1.27.6"
          env {
            name  = "RAFT_JOIN"
            value = "weaviate-0,weaviate-1,weaviate-2"
          }
          env {
            name = "AUTHENTICATION_APIKEY_ALLOWED_KEYS"
            value_from {
              secret_key_ref {
                name = "keys"
                key  = "keys"
              }
            }
          }
        }
      }
    }
  }
}

resource "kubernetes_deployment" "unknown" {
  spec {
    template {
      spec {
        container {
          image = var.weaviate_image
        }
      }
    }
  }
}

variable "weaviate_version" {
  default = "1.25.4"
}
variable "weaviate_image" {}
`}
	m := Load(files, "docker")
	if len(m.Problems) > 0 {
		t.Fatal(m.Problems)
	}
	var got []string
	for _, c := range m.Containers() {
		line := fmt.Sprintf("%s %s name=%q image=%s", c.Kind, c.Address, c.Name, show(c.Image))
		if c.Replicas != nil {
			line += " replicas=" + c.Replicas.Text
		}
		if c.PodManagementPolicy != "" {
			line += " policy=" + c.PodManagementPolicy
		}
		for _, e := range c.Env {
			if e.Opaque {
				line += " " + e.Name + "=(opaque)"
			} else {
				line += " " + e.Name + "=" + show(e.Value)
			}
		}
		got = append(got, line)
	}
	want := []string{
		`docker docker_container.weaviate name="" image=cr.weaviate.io/semitechnologies/weaviate:1.25.4 @? via docker_image.weaviate@docker/main.tf:7:11 ENABLE_MODULES=backup-filesystem @docker/main.tf:9:21-38 CLUSTER_HOSTNAME=node1 @docker/main.tf:10:23-28`,
		`docker docker_container.t2v name="" image=semitechnologies/transformers-inference:sentence-transformers-multi-qa-MiniLM-L6-cos-v1 @docker/main.tf:15:12-99`,
		`kubernetes kubernetes_stateful_set_v1.weaviate name="weaviate" image=semitechnologies/weaviate:1.27.6 @docker/main.tf:27:20-52 replicas=3 policy=Parallel RAFT_JOIN=weaviate-0,weaviate-1,weaviate-2 @docker/main.tf:30:22-54 AUTHENTICATION_APIKEY_ALLOWED_KEYS=(opaque)`,
		`kubernetes kubernetes_deployment.unknown name="" image=? var.weaviate_image has no default and no value in terraform.tfvars: the caller sets it @docker/main.tf:62:1`,
	}
	if d := diff(got, want); d != "" {
		t.Error(d)
	}
	// The tag of the docker_image name is at the variable's default.
	img := m.Containers()[0].Image
	off := strings.LastIndex(img.Text, ":") + 1
	sp, seg, ok := img.At(off, len("1.25.4"))
	if !ok || sp.Line != 60 || sp.Col != 14 || seg.Via != "var.weaviate_version" {
		t.Errorf("tag position = %v %v %v, want docker/main.tf:60:14 via var.weaviate_version", sp, seg.Via, ok)
	}
}

func TestProblems(t *testing.T) {
	m := Load(mapFS{"main.tf": "resource \"helm_release\" \"x\" {\n  chart = \"weaviate\"\n  version = \n}\n", "ok.tf": `variable "v" { default = "1" }`}, ".")
	if len(m.Problems) != 1 || m.Problems[0].File != "main.tf" || m.Problems[0].Line != 3 || !strings.Contains(m.Problems[0].Message, "invalid HCL") {
		t.Fatalf("problems = %+v, want one invalid HCL at main.tf:3", m.Problems)
	}
	if _, ok := m.vars["v"]; !ok {
		t.Error("the other file of the module was not read")
	}
}

func FuzzLoad(f *testing.F) {
	f.Add(`resource "helm_release" "w" { chart = "weaviate" repository = "https://weaviate.github.io/weaviate-helm" values = [<<-EOT
    image:
      tag: ${var.t}
    EOT
  ] }
variable "t" { default = local.x }
locals { x = var.t }`)
	f.Add(`resource "docker_container" "w" { image = "semitechnologies/weaviate:${local.a}" }
locals { a = local.b
b = local.a }`)
	f.Fuzz(func(t *testing.T, src string) {
		m := Load(mapFS{"main.tf": src, "values.yaml.tpl": src}, ".")
		m.HelmReleases()
		m.Containers()
	})
}

// TestModuleCalls reads a module once per local call, with the caller's
// arguments: a literal at the caller's argument, a caller's variable at
// its default, an unset variable at the callee's default (never the
// callee's own terraform.tfvars), an expression as unreadable at the
// argument, and a call through an intermediate module.
func TestModuleCalls(t *testing.T) {
	files := mapFS{
		"modules/weaviate/main.tf": `resource "helm_release" "weaviate" {
  name             = "weaviate"
  create_namespace = true
  chart            = "weaviate"
  repository       = "https://weaviate.github.io/weaviate-helm"
  version          = var.chart_version
  set {
    name  = "image.tag"
    value = var.weaviate_version
  }
}
`,
		"modules/weaviate/variables.tf": `variable "weaviate_version" {
  type    = string
  default = "1.27.6"
}

variable "chart_version" {
  default = "17.4.0"
}
`,
		// Terraform reads tfvars only in the root module: a called
		// module's own is not its value.
		"modules/weaviate/terraform.tfvars": `weaviate_version = "1.20.0"
`,
		"envs/prod/main.tf": `module "weaviate" {
  source           = "../../modules/weaviate"
  weaviate_version = "1.28.3"
}

module "search" {
  source = "../../modules/weaviate"
}

module "cloud" {
  source           = "terraform-aws-modules/eks/aws"
  weaviate_version = "9.9.9"
}
`,
		"envs/staging/main.tf": `module "weaviate" {
  source           = "../../modules/weaviate"
  weaviate_version = var.weaviate
  chart_version    = local.chart
}

module "computed" {
  source           = "../../modules/weaviate/"
  weaviate_version = var.env == "prod" ? "1.28.3" : "1.27.6"
}

locals {
  chart = "17.5.1"
}

variable "weaviate" {
  default = "1.29.0"
}

variable "env" {}
`,
		"stack/main.tf": `module "db" {
  source  = "./db"
  db_tag  = "1.30.1"
}
`,
		"stack/db/main.tf": `variable "db_tag" {}

module "weaviate" {
  source           = "../../modules/weaviate"
  weaviate_version = var.db_tag
}
`,
	}
	callee := Load(files, "modules/weaviate")
	if len(callee.Problems) > 0 {
		t.Fatal(callee.Problems)
	}
	instance := func(callerDir string) map[string]*Module {
		out := map[string]*Module{}
		for _, c := range Load(files, callerDir).Calls() {
			out[c.Name] = c.Instance(callee)
		}
		return out
	}
	tag := func(m *Module) string {
		rels, _ := m.HelmReleases()
		if len(rels) != 1 {
			t.Fatalf("%d releases", len(rels))
		}
		var out []string
		if v := rels[0].Version; v != nil {
			out = append(out, "version "+show(*v))
		}
		for _, kv := range rels[0].Sets {
			out = append(out, kv.Key+" "+show(kv.Value))
		}
		return strings.Join(out, "; ")
	}

	prod := instance("envs/prod")
	if len(prod) != 2 || prod["cloud"] != nil {
		t.Fatalf("calls of envs/prod = %v, want weaviate and search (a registry source is not followed)", prod)
	}
	staging := instance("envs/staging")
	for _, tt := range []struct {
		name string
		m    *Module
		want string
	}{
		{"a literal argument", prod["weaviate"],
			"version 17.4.0 @modules/weaviate/variables.tf:7:14-20 via var.chart_version@modules/weaviate/main.tf:6:22; " +
				"image.tag 1.28.3 @envs/prod/main.tf:3:23-29 via the argument weaviate_version of module.weaviate@envs/prod/main.tf:3:3"},
		{"an unset variable takes the default, not the callee's tfvars", prod["search"],
			"version 17.4.0 @modules/weaviate/variables.tf:7:14-20 via var.chart_version@modules/weaviate/main.tf:6:22; " +
				"image.tag 1.27.6 @modules/weaviate/variables.tf:3:14-20 via var.weaviate_version@modules/weaviate/main.tf:9:13"},
		{"the caller's variable and local", staging["weaviate"],
			"version 17.5.1 @envs/staging/main.tf:13:12-18 via local.chart@envs/staging/main.tf:4:22; " +
				"image.tag 1.29.0 @envs/staging/main.tf:17:14-20 via var.weaviate@envs/staging/main.tf:3:22"},
		{"an expression cannot be read, at the argument", staging["computed"],
			"version 17.4.0 @modules/weaviate/variables.tf:7:14-20 via var.chart_version@modules/weaviate/main.tf:6:22; " +
				"image.tag ? var.weaviate_version: the argument weaviate_version of module.computed: a conditional expression picks the value when Terraform runs @envs/staging/main.tf:9:22"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := tag(tt.m); got != tt.want {
				t.Errorf("got\n  %s\nwant\n  %s", got, tt.want)
			}
		})
	}

	// Through an intermediate module: stack -> stack/db -> modules/weaviate.
	db := Load(files, "stack").Calls()[0].Instance(Load(files, "stack/db"))
	calls := db.Calls()
	if len(calls) != 1 || calls[0].Dir != "modules/weaviate" || calls[0].Address() != "module.db.module.weaviate" {
		t.Fatalf("calls of stack/db = %+v", calls)
	}
	nested := calls[0].Instance(callee)
	if got, want := tag(nested), "version 17.4.0 @modules/weaviate/variables.tf:7:14-20 via var.chart_version@modules/weaviate/main.tf:6:22; "+
		"image.tag 1.30.1 @stack/main.tf:3:14-20 via the argument db_tag of module.db@stack/main.tf:3:3"; got != want {
		t.Errorf("nested: got\n  %s\nwant\n  %s", got, want)
	}
	// Every reference followed, outermost first: the callee's use, the
	// intermediate module's argument and variable, the root's argument.
	rels, _ := nested.HelmReleases()
	var hops []string
	for _, h := range rels[0].Sets[0].Value.Hops {
		hops = append(hops, fmt.Sprintf("%s@%s:%d:%d", h.Via, h.Ref.File, h.Ref.Line, h.Ref.Col))
	}
	if got, want := strings.Join(hops, " "), "var.weaviate_version@modules/weaviate/main.tf:9:13 "+
		"the argument weaviate_version of module.db.module.weaviate@stack/db/main.tf:5:3 var.db_tag@stack/db/main.tf:5:22 "+
		"the argument db_tag of module.db@stack/main.tf:3:3"; got != want {
		t.Errorf("hops:\n  %s\nwant\n  %s", got, want)
	}
	if nested.RootDir() != "stack" || nested.Prefix != "module.db.module.weaviate." {
		t.Errorf("nested root %q prefix %q", nested.RootDir(), nested.Prefix)
	}
	var where []string
	for _, c := range nested.Callers() {
		where = append(where, c.Address()+"@"+c.Where())
	}
	if got := strings.Join(where, " "); got != "module.db@stack/main.tf:1 module.db.module.weaviate@stack/db/main.tf:3" {
		t.Errorf("callers = %s", got)
	}
	// The variables each call hands the value, for the evidence.
	if got := fmt.Sprint(CallVariables(rels[0].Sets[0].Value)); got != "map[module.db:[db_tag] module.db.module.weaviate:[weaviate_version]]" {
		t.Errorf("CallVariables(nested) = %s", got)
	}
	srels, _ := prod["search"].HelmReleases()
	if got := fmt.Sprint(CallVariables(*srels[0].Version, srels[0].Sets[0].Value)); got != "map[module.search:[chart_version unset weaviate_version unset]]" {
		t.Errorf("CallVariables(unset) = %s", got)
	}
	// The root module reads its own tfvars.
	if got := tag(callee); !strings.Contains(got, "image.tag 1.20.0 @modules/weaviate/terraform.tfvars:1:21-27") {
		t.Errorf("as a root module: %s", got)
	}
	// An instance's inputs are its callers' files too.
	if got := strings.Join(nested.Files(), " "); !strings.Contains(got, "stack/main.tf") || !strings.Contains(got, "stack/db/main.tf") {
		t.Errorf("files = %s", got)
	}
}

// TestTfvarsOrder: terraform.tfvars, then *.auto.tfvars in lexical order,
// each overriding the one before, as Terraform loads them; a .tfvars file
// Terraform does not load by itself (-var-file) is not read.
func TestTfvarsOrder(t *testing.T) {
	for _, tt := range []struct {
		name  string
		extra mapFS
		want  string
	}{
		{"the default", nil, "1.25.0 @root/variables.tf:2:14-20"},
		{"terraform.tfvars", mapFS{"root/terraform.tfvars": "tag = \"1.26.0\"\n"}, "1.26.0 @root/terraform.tfvars:1:8-14"},
		{"an auto.tfvars wins over terraform.tfvars", mapFS{
			"root/terraform.tfvars":   "tag = \"1.26.0\"\n",
			"root/a-prod.auto.tfvars": "tag = \"1.27.0\"\n",
		}, "1.27.0 @root/a-prod.auto.tfvars:1:8-14"},
		{"the last auto.tfvars wins", mapFS{
			"root/b.auto.tfvars": "tag = \"1.28.0\"\n",
			"root/a.auto.tfvars": "tag = \"1.27.0\"\n",
		}, "1.28.0 @root/b.auto.tfvars:1:8-14"},
		{"a -var-file is not auto-loaded", mapFS{"root/prod.tfvars": "tag = \"1.29.0\"\n"}, "1.25.0 @root/variables.tf:2:14-20"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			files := mapFS{
				"root/main.tf":      "resource \"docker_container\" \"weaviate\" {\n  image = \"semitechnologies/weaviate:${var.tag}\"\n}\n",
				"root/variables.tf": "variable \"tag\" {\n  default = \"1.25.0\"\n}\n",
			}
			for k, v := range tt.extra {
				files[k] = v
			}
			img := Load(files, "root").Containers()[0].Image
			off := strings.LastIndex(img.Text, ":") + 1
			sp, _, ok := img.At(off, len(img.Text)-off)
			got := fmt.Sprintf("%s @%s:%d:%d-%d", img.Text[off:], sp.File, sp.Line, sp.Col, sp.EndCol)
			if !ok || got != tt.want {
				t.Errorf("tag = %s (ok %v), want %s", got, ok, tt.want)
			}
		})
	}
}
