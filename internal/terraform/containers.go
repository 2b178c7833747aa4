package terraform

import (
	"strings"

	"github.com/wvlint/wvlint/internal/pos"

	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Env is one environment variable of a container.
type Env struct {
	Name  string
	Value Value
	// Opaque is set when the value comes from a secret or config map
	// (value_from): it is not visible.
	Opaque bool
}

// Container is a container a docker_container or kubernetes_* resource
// runs. Whether its image is Weaviate's is for the caller to decide.
type Container struct {
	Address string // "kubernetes_stateful_set_v1.weaviate"
	Name    string // the container's name, "" for docker_container
	Kind    string // "docker" or "kubernetes"
	Image   Value
	// Expr is the image expression's source text, to tell an unreadable
	// image that names weaviate from one that does not.
	Expr string
	// At is where the image expression is written.
	At       pos.Span
	Env      []Env
	Replicas *Value // kubernetes spec.replicas, nil when absent
	// PodManagementPolicy is a StatefulSet's spec.pod_management_policy, "" when absent.
	PodManagementPolicy string
}

var k8sWorkloads = []string{
	"kubernetes_deployment", "kubernetes_deployment_v1",
	"kubernetes_stateful_set", "kubernetes_stateful_set_v1",
	"kubernetes_pod", "kubernetes_pod_v1",
}

// Containers lists the containers of the module's docker_container and
// kubernetes deployment, stateful set and pod resources.
func (m *Module) Containers() []Container {
	var out []Container
	for _, r := range m.resources(append([]string{"docker_container"}, k8sWorkloads...)...) {
		sc := m.scope()
		addr := r.typ + "." + r.name
		b := r.block.Body
		if r.typ == "docker_container" {
			a, ok := b.Attributes["image"]
			if !ok {
				continue
			}
			c := Container{Address: addr, Kind: "docker", Image: sc.eval(a.Expr, r.f), Expr: r.f.text(a.Expr), At: r.f.span(a.Expr.Range())}
			if ea, ok := b.Attributes["env"]; ok {
				e, f := sc.expr(ea.Expr, r.f)
				if tup, ok := e.(*hclsyntax.TupleConsExpr); ok {
					for _, it := range tup.Exprs {
						v := sc.eval(it, f)
						if !v.Known {
							continue
						}
						name, val, ok := strings.Cut(v.Text, "=")
						if !ok {
							continue
						}
						n := len([]rune(name)) + 1
						c.Env = append(c.Env, Env{Name: name, Value: v.Slice(n, len([]rune(val)))})
					}
				}
			}
			out = append(out, c)
			continue
		}
		spec := block(b, "spec")
		pod := spec
		var replicas *Value
		policy := ""
		if !strings.HasPrefix(r.typ, "kubernetes_pod") {
			if a, ok := spec.Attributes["replicas"]; ok {
				v := sc.eval(a.Expr, r.f)
				replicas = &v
			}
			if a, ok := spec.Attributes["pod_management_policy"]; ok {
				if v := sc.eval(a.Expr, r.f); v.Known {
					policy = v.Text
				}
			}
			pod = block(block(spec, "template"), "spec")
		}
		for _, cb := range pod.Blocks {
			if cb.Type != "container" {
				continue
			}
			a, ok := cb.Body.Attributes["image"]
			if !ok {
				continue
			}
			c := Container{Address: addr, Kind: "kubernetes", Image: sc.eval(a.Expr, r.f), Expr: r.f.text(a.Expr), At: r.f.span(a.Expr.Range()),
				Replicas: replicas, PodManagementPolicy: policy}
			if n, ok := cb.Body.Attributes["name"]; ok {
				if v := sc.eval(n.Expr, r.f); v.Known {
					c.Name = v.Text
				}
			}
			for _, eb := range cb.Body.Blocks {
				if eb.Type != "env" {
					continue
				}
				n, ok := eb.Body.Attributes["name"]
				if !ok {
					continue
				}
				nv := sc.eval(n.Expr, r.f)
				if !nv.Known {
					continue
				}
				e := Env{Name: nv.Text}
				if va, ok := eb.Body.Attributes["value"]; ok {
					e.Value = sc.eval(va.Expr, r.f)
				} else {
					e.Opaque = true
				}
				c.Env = append(c.Env, e)
			}
			out = append(out, c)
		}
	}
	return out
}

// block returns the first nested block of a type, or an empty body.
func block(b *hclsyntax.Body, typ string) *hclsyntax.Body {
	if b != nil {
		for _, blk := range b.Blocks {
			if blk.Type == typ {
				return blk.Body
			}
		}
	}
	return &hclsyntax.Body{}
}

// text is an expression's source text.
func (f *file) text(e hclsyntax.Expression) string {
	r := e.Range()
	return string(f.lines.Bytes(r.Start.Byte, r.End.Byte))
}
