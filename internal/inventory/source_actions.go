package inventory

import (
	"path/filepath"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wvlint/wvlint/internal/ghactions"
	"github.com/wvlint/wvlint/internal/interp"
	"github.com/wvlint/wvlint/internal/pos"
	"github.com/wvlint/wvlint/internal/srcval"
	"github.com/wvlint/wvlint/internal/version"
	"github.com/wvlint/wvlint/internal/yamlx"
)

var exprRE = regexp.MustCompile(`\$\{\{\s*(env|matrix)\.([A-Za-z_][A-Za-z0-9_-]*)\s*\}\}`)

// maxMatrix bounds the combinations one image expands to.
const maxMatrix = 64

var actionsSource = &Source{
	Name: "github-actions",
	Doc: "GitHub Actions workflows: service and job containers, with `${{ env.X }}` and `${{ matrix.x }}` from the same file; " +
		"versions a step receives (`env:` entries named for Weaviate such as `WEAVIATE_VERSION`, matrix entries, " +
		"`${{ inputs.weaviate_version || '1.25.7' }}` defaults, `with: weaviate-version:` for an action that deploys Weaviate)",
	Reads: func(p string) bool { return yamlFile(p) && isWorkflow(p) },
	Document: func(p string, doc *yaml.Node) bool {
		return isWorkflow(p) && yamlx.Get(doc, "jobs") != nil
	},
	Extract: func(in *Input) Found {
		var out Found
		for _, doc := range in.Docs {
			images := workflow(in.id, in.YAML, doc)
			out.Deployments = append(out.Deployments, images...)
			pins, near := ghactions.Workflow(in.YAML, doc, actionLoader(in.Load))
			out.merge(stepPins(in.id, in.YAML, pins, near, images))
		}
		return out
	},
	Examples: []string{".github/workflows/ci.yml"},
}

// actionLoader reads the action.yml of a local action (uses: ./dir).
func actionLoader(load *Loader) ghactions.ActionLoader {
	return func(dir string) (*yamlx.File, *yaml.Node) {
		p, ok := insideTree(filepath.FromSlash(dir))
		if !ok {
			return nil, nil
		}
		for _, name := range []string{"action.yml", "action.yaml"} {
			if f, err := load.YAML(filepath.Join(p, name)); err == nil && f != nil && len(f.Docs) > 0 {
				return f, f.Docs[0]
			}
		}
		return nil, nil
	}
}

// stepPins turns the versions a workflow hands to its steps into test
// deployments, leaving out the text a container image already takes its
// tag from.
func stepPins(id *idContext, f *yamlx.File, pins []ghactions.Pin, near []ghactions.NearMiss, images []Deployment) Found {
	var out Found
	taken := map[pos.Span]bool{}
	for _, d := range images {
		taken[d.Span()] = true
	}
	for _, p := range pins {
		sp := f.ValueSpan(p.Node, p.Off, p.Len)
		d := Deployment{Kind: GitHubActions, Platform: Test, Nodes: p.Nodes, NodesDeclared: p.Nodes, ID: p.ID, Cluster: p.ID,
			Env: map[string]EnvVar{}, Inputs: []string{f.Path}, Evidence: p.Evidence}
		if p.Image {
			if !imageFrom(id, srcval.Known(p.Text, sp), p.Text, &d, "names", sp) {
				continue
			}
			d.Evidence = p.Evidence
		} else {
			d.Tag = version.Parse(p.Text)
			d.Version, d.Reason = d.Tag.String(), d.Tag.Reason
			d.setSpan(sp, p.Text)
			d.Image = "semitechnologies/weaviate:" + p.Text
		}
		if taken[d.Span()] {
			continue
		}
		for _, r := range p.Related {
			d.Related = append(d.Related, Related{File: r.Span.File, Line: r.Span.Line, Column: r.Span.Col, Message: r.Message})
		}
		out.Deployments = append(out.Deployments, d)
	}
	for _, n := range near {
		out.nearMiss(n.At, n.Message)
	}
	return out
}

func isWorkflow(p string) bool {
	p = filepath.ToSlash(p)
	return strings.HasPrefix(p, ".github/workflows/") || strings.Contains(p, "/.github/workflows/")
}

// workflow reads service containers and job containers of a GitHub
// Actions workflow. ${{ env.X }} and ${{ matrix.x }} resolve from the same
// file; a matrix yields one deployment per value.
func workflow(id *idContext, f *yamlx.File, doc *yaml.Node) []Deployment {
	var out []Deployment
	wfEnv := yamlx.Get(doc, "env")
	for _, job := range yamlx.Pairs(yamlx.Get(doc, "jobs")) {
		jobEnv := yamlx.Get(job.Value, "env")
		matrix := yamlx.Path(job.Value, "strategy", "matrix")
		var images []struct {
			name string
			node *yaml.Node
		}
		for _, svc := range yamlx.Pairs(yamlx.Get(job.Value, "services")) {
			if img := yamlx.Get(svc.Value, "image"); img != nil && img.Kind == yaml.ScalarNode {
				images = append(images, struct {
					name string
					node *yaml.Node
				}{"services/" + svc.Key.Value, img})
			}
		}
		if c := yamlx.Get(job.Value, "container"); c != nil {
			img := c
			if yamlx.IsMap(c) {
				img = yamlx.Get(c, "image")
			}
			if img != nil && img.Kind == yaml.ScalarNode {
				images = append(images, struct {
					name string
					node *yaml.Node
				}{"container", img})
			}
		}
		for _, im := range images {
			for _, exp := range expandWorkflow(f, im.node, wfEnv, jobEnv, matrix) {
				d := Deployment{Kind: GitHubActions, Platform: Test, Nodes: 1,
					ID:  "github-actions:" + filepath.ToSlash(f.Path) + "#" + job.Key.Value + "/" + im.name + exp.suffix,
					Env: map[string]EnvVar{}, Inputs: []string{f.Path}}
				d.Cluster = d.ID
				if resolveImage(id, yamlWritten(f, im.node), exp.res, &d, "runs") {
					out = append(out, d)
				}
			}
		}
	}
	return out
}

type wfExpansion struct {
	res    interp.Result
	suffix string // [matrix value] for identity
}

type choice struct {
	text string
	span pos.Span
	name string
}

// expandWorkflow expands the expressions in an image string into every
// combination of matrix values.
func expandWorkflow(f *yamlx.File, n *yaml.Node, wfEnv, jobEnv, matrix *yaml.Node) []wfExpansion {
	raw := n.Value
	locs := exprRE.FindAllStringSubmatchIndex(raw, -1)
	if len(locs) == 0 {
		return []wfExpansion{{res: literal(raw)}}
	}
	options := make([][]choice, len(locs))
	for i, l := range locs {
		ctx, key := raw[l[2]:l[3]], raw[l[4]:l[5]]
		switch ctx {
		case "env":
			for _, scope := range []*yaml.Node{jobEnv, wfEnv} {
				if v := yamlx.Get(scope, key); v != nil && v.Kind == yaml.ScalarNode {
					options[i] = []choice{{text: v.Value, span: f.Span(v), name: "env." + key}}
					break
				}
			}
		case "matrix":
			for _, v := range yamlx.Items(yamlx.Get(matrix, key)) {
				if v.Kind == yaml.ScalarNode {
					options[i] = append(options[i], choice{text: v.Value, span: f.Span(v), name: "matrix." + key})
				}
			}
			for _, inc := range yamlx.Items(yamlx.Get(matrix, "include")) {
				if v := yamlx.Get(inc, key); v != nil && v.Kind == yaml.ScalarNode {
					options[i] = append(options[i], choice{text: v.Value, span: f.Span(v), name: "matrix." + key})
				}
			}
		}
	}
	combos := [][]choice{{}}
	for i := range locs {
		opts := options[i]
		if len(opts) == 0 {
			opts = []choice{{}} // unresolved: reported below
		}
		var next [][]choice
		for _, c := range combos {
			for _, o := range opts {
				if len(next) < maxMatrix {
					next = append(next, append(append([]choice(nil), c...), o))
				}
			}
		}
		combos = next
	}
	var out []wfExpansion
	for _, combo := range combos {
		var r interp.Result
		var b strings.Builder
		var suffix []string
		prev, out0 := 0, 0
		add := func(text string, seg interp.Segment) {
			if text == "" {
				return
			}
			seg.Out, seg.Len = out0, pos.RuneLen(text)
			r.Segments = append(r.Segments, seg)
			b.WriteString(text)
			out0 += seg.Len
		}
		for i, l := range locs {
			add(raw[prev:l[0]], interp.Segment{SrcOff: pos.RuneLen(raw[:prev])})
			c := combo[i]
			if c.name == "" {
				r.Unset = append(r.Unset, raw[l[2]:l[3]]+"."+raw[l[4]:l[5]])
			} else {
				add(c.text, interp.Segment{SrcOff: pos.RuneLen(raw[:l[0]]), Var: c.name, From: c.span})
				if strings.HasPrefix(c.name, "matrix.") {
					suffix = append(suffix, c.text)
				}
			}
			prev = l[1]
		}
		add(raw[prev:], interp.Segment{SrcOff: pos.RuneLen(raw[:prev])})
		r.Text = b.String()
		e := wfExpansion{res: r}
		if len(suffix) > 0 {
			e.suffix = "[" + strings.Join(suffix, ",") + "]"
		}
		out = append(out, e)
	}
	return out
}
