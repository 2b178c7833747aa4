// Package ghactions finds the Weaviate versions a GitHub Actions workflow
// hands to a step rather than to a container image: env entries whose name
// says Weaviate (WEAVIATE_VERSION: 1.37.1, WEAVIATE_139: 1.39.0), matrix
// entries, workflow input defaults (${{ inputs.weaviate_version || '1.25.7' }}),
// the inputs of a composite action.yml and the with: values passed to an
// action that deploys Weaviate. Each pin says why it is Weaviate.
package ghactions

import (
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/wvlint/wvlint/internal/imageref"
	"github.com/wvlint/wvlint/internal/pos"
	"github.com/wvlint/wvlint/internal/version"
	"github.com/wvlint/wvlint/internal/yamlx"
)

// Pin is one Weaviate version (or image) written in a workflow or action.
type Pin struct {
	ID string // stable across revisions
	// Node is the scalar the text is in; Off and Len are the code points of
	// the version inside its value (a default inside an expression).
	Node     *yaml.Node
	Off, Len int
	Text     string // the version, or the whole image reference when Image
	Image    bool
	Evidence string
	Related  []Related
	Nodes    int // 0 when unknown (1 for a plain test server)
}

// Related is another place that explains a pin.
type Related struct {
	Span    pos.Span
	Message string
}

// NearMiss is a value that looks like a Weaviate version but is not tied
// to a Weaviate server by anything wvlint can read.
type NearMiss struct {
	At      pos.Span
	Message string
}

// nameWords are the words besides "weaviate" a variable or input name may
// have and still name the server's version.
var nameWords = map[string]bool{"version": true, "ver": true, "server": true, "image": true, "tag": true, "db": true,
	"docker": true, "core": true, "old": true, "new": true, "previous": true, "prev": true, "next": true, "from": true,
	"to": true, "target": true, "current": true, "base": true, "upgrade": true, "stable": true, "v": true}

// WeaviateName reports whether a variable, matrix key or input name says
// it holds the Weaviate server's version: "weaviate" and otherwise only
// version words or numbers (WEAVIATE_VERSION, WEAVIATE_124,
// weaviate-version; not WEAVIATE_CLIENT_VERSION or WEAVIATE_PORT).
func WeaviateName(name string) bool {
	words := strings.FieldsFunc(strings.ToLower(name), func(r rune) bool { return r == '_' || r == '-' || r == '.' })
	has := false
	for _, w := range words {
		switch {
		case w == "weaviate":
			has = true
		case nameWords[w] || isNumber(w):
		default:
			return false
		}
	}
	return has
}

func isNumber(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// versionLike reports whether text is a Weaviate tag wvlint can classify
// (a release, pre-release, preview, or a floating tag such as latest).
func versionLike(text string) bool {
	if text == "" {
		return false
	}
	k := version.Parse(text).Kind
	return k != version.Invalid && k != version.Missing
}

var (
	// ${{ inputs.weaviate_version || '1.25.7' }}, also github.event.inputs.
	inputDefaultRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`\$\{\{\s*(?:github\.event\.)?inputs\.([A-Za-z0-9_-]+)\s*\|\|\s*'([^']*)'\s*\}\}`)
	})
	// $NAME, ${NAME}, ${{ env.NAME }}
	envRefRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`\$\{\{\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)`)
	})
)

// knownActions are remote actions known to deploy a Weaviate server, with
// the input that names its version and the default node count.
var knownActions = map[string]struct {
	input string
	nodes int
}{
	"weaviate/weaviate-local-k8s": {"weaviate-version", 3},
}

// ActionLoader reads the action.yml of a local action (uses: ./path),
// given its directory relative to the scan root; nil when absent.
type ActionLoader func(dir string) (*yamlx.File, *yaml.Node)

type walker struct {
	f    *yamlx.File
	id   string
	pins []Pin
	near []NearMiss
	seen map[*yaml.Node]bool
	// envPins are the env entries found, by name, for the uses that refer to them.
	envPins map[string][]int
}

func (w *walker) where(n *yaml.Node) string {
	return fmt.Sprintf("%s:%d", filepath.ToSlash(w.f.Path), n.Line)
}

func (w *walker) add(p Pin) {
	if w.seen[p.Node] && p.Off == 0 {
		return
	}
	w.seen[p.Node] = true
	if p.Nodes == 0 {
		p.Nodes = 1
	}
	w.pins = append(w.pins, p)
}

// Workflow lists the pins of a workflow document.
func Workflow(f *yamlx.File, doc *yaml.Node, load ActionLoader) ([]Pin, []NearMiss) {
	w := &walker{f: f, id: "github-actions:" + filepath.ToSlash(f.Path), seen: map[*yaml.Node]bool{}, envPins: map[string][]int{}}
	w.inputDefaults(doc)
	w.env(yamlx.Get(doc, "env"), "env")
	for _, on := range []string{"workflow_dispatch", "workflow_call"} {
		for _, in := range yamlx.Pairs(yamlx.Path(doc, "on", on, "inputs")) {
			w.inputDefault(in, "on."+on+".inputs."+in.Key.Value, "workflow input")
		}
	}
	for _, job := range yamlx.Pairs(yamlx.Get(doc, "jobs")) {
		jid := job.Key.Value
		w.env(yamlx.Get(job.Value, "env"), jid+"/env")
		w.matrix(yamlx.Path(job.Value, "strategy", "matrix"), jid+"/matrix", "")
		for i, st := range yamlx.Items(yamlx.Get(job.Value, "steps")) {
			w.env(yamlx.Get(st, "env"), fmt.Sprintf("%s/steps[%d]/env", jid, i))
			w.step(st, fmt.Sprintf("%s/steps[%d]", jid, i), load)
		}
	}
	w.uses(doc)
	return w.pins, w.near
}

// Action lists the pins of a composite (or any) action's action.yml: input
// defaults whose name says Weaviate.
func Action(f *yamlx.File, doc *yaml.Node) []Pin {
	w := &walker{f: f, id: "github-action:" + filepath.ToSlash(f.Path), seen: map[*yaml.Node]bool{}, envPins: map[string][]int{}}
	w.inputDefaults(doc)
	for _, in := range yamlx.Pairs(yamlx.Get(doc, "inputs")) {
		w.inputDefault(in, "inputs."+in.Key.Value, "action input")
	}
	return w.pins
}

// IsAction reports whether a file name is an action's metadata file.
func IsAction(p string) bool {
	b := path.Base(filepath.ToSlash(p))
	return b == "action.yml" || b == "action.yaml"
}

func (w *walker) inputDefault(in yamlx.Pair, id, what string) {
	if !WeaviateName(in.Key.Value) {
		return
	}
	d := yamlx.Get(in.Value, "default")
	s, ok := yamlx.Str(d)
	switch {
	case !ok:
	case imageref.LooksWeaviate(s):
		w.add(Pin{ID: w.id + "#" + id, Node: d, Len: pos.RuneLen(s), Text: s, Image: true,
			Evidence: fmt.Sprintf("%s %s %s defaults to the image %s", w.where(in.Key), what, in.Key.Value, s)})
	case versionLike(s):
		w.add(Pin{ID: w.id + "#" + id, Node: d, Len: pos.RuneLen(s), Text: s,
			Evidence: fmt.Sprintf("%s %s %s defaults to a Weaviate version", w.where(in.Key), what, in.Key.Value)})
	}
}

// env reads the entries of an env mapping whose name says Weaviate.
func (w *walker) env(m *yaml.Node, id string) {
	for _, p := range yamlx.Pairs(m) {
		name := p.Key.Value
		s, ok := yamlx.Str(p.Value)
		if !ok || strings.Contains(s, "${{") || !WeaviateName(name) {
			continue
		}
		pin := Pin{ID: w.id + "#" + id + "." + name, Node: p.Value, Len: pos.RuneLen(s), Text: s}
		switch {
		case imageref.LooksWeaviate(s):
			pin.Image = true
			pin.Evidence = fmt.Sprintf("%s env %s names the image %s", w.where(p.Key), name, s)
		case versionLike(s):
			pin.Evidence = fmt.Sprintf("%s env %s: its name says Weaviate", w.where(p.Key), name)
		default:
			continue
		}
		w.envPins[name] = append(w.envPins[name], len(w.pins))
		w.add(pin)
	}
}

// matrix reads matrix keys whose name says Weaviate, in lists, include
// entries and nested maps.
func (w *walker) matrix(n *yaml.Node, id, key string) {
	n = yamlx.Resolve(n)
	if n == nil {
		return
	}
	switch n.Kind {
	case yaml.MappingNode:
		for _, p := range yamlx.Pairs(n) {
			w.matrix(p.Value, id+"."+p.Key.Value, p.Key.Value)
		}
	case yaml.SequenceNode:
		for _, it := range yamlx.Items(n) {
			w.matrix(it, id, key)
		}
	case yaml.ScalarNode:
		if !WeaviateName(key) || strings.Contains(n.Value, "$") {
			return
		}
		if imageref.LooksWeaviate(n.Value) {
			w.add(Pin{ID: w.id + "#" + id + "[" + n.Value + "]", Node: n, Len: pos.RuneLen(n.Value), Text: n.Value, Image: true,
				Evidence: fmt.Sprintf("%s matrix %s names the image %s", w.where(n), key, n.Value)})
		} else if versionLike(n.Value) {
			w.add(Pin{ID: w.id + "#" + id + "[" + n.Value + "]", Node: n, Len: pos.RuneLen(n.Value), Text: n.Value,
				Evidence: fmt.Sprintf("%s matrix %s: its name says Weaviate", w.where(n), key)})
		}
	}
}

// inputDefaults finds ${{ inputs.x || 'default' }} in every scalar. The
// nth use of an input is its identity: it survives a new default.
func (w *walker) inputDefaults(doc *yaml.Node) {
	nth := map[string]int{}
	walk(doc, func(n *yaml.Node) {
		for _, m := range inputDefaultRE().FindAllStringSubmatchIndex(n.Value, -1) {
			name, def := n.Value[m[2]:m[3]], n.Value[m[4]:m[5]]
			if !WeaviateName(name) || !versionLike(def) {
				continue
			}
			nth[name]++
			w.add(Pin{ID: fmt.Sprintf("%s#inputs.%s||default[%d]", w.id, name, nth[name]), Node: n,
				Off: pos.RuneLen(n.Value[:m[4]]), Len: pos.RuneLen(def), Text: def,
				Evidence: fmt.Sprintf("%s the default of input %s", w.where(n), name)})
		}
	})
}

// step reads the with: values a step passes to an action that deploys
// Weaviate.
func (w *walker) step(st *yaml.Node, id string, load ActionLoader) {
	uses, _ := yamlx.Str(yamlx.Get(st, "uses"))
	with := yamlx.Get(st, "with")
	if uses == "" || with == nil {
		return
	}
	action, _, _ := strings.Cut(uses, "@")
	var inputs map[string]bool
	evidence := ""
	nodes := 1
	if strings.HasPrefix(action, "./") {
		var af *yamlx.File
		var adoc *yaml.Node
		if load != nil {
			af, adoc = load(path.Clean(action))
		}
		if adoc == nil {
			for _, p := range yamlx.Pairs(with) {
				if s, ok := yamlx.Str(p.Value); ok && WeaviateName(p.Key.Value) && versionLike(s) {
					w.near = append(w.near, NearMiss{At: w.f.Span(p.Value), Message: fmt.Sprintf("%s is passed to %s, whose action.yml is not in the scanned tree", p.Key.Value, action)})
				}
			}
			return
		}
		inputs = map[string]bool{}
		for _, in := range yamlx.Pairs(yamlx.Get(adoc, "inputs")) {
			if WeaviateName(in.Key.Value) {
				inputs[in.Key.Value] = true
			}
		}
		evidence = fmt.Sprintf("passed to input %%s of %s (%s)", action, filepath.ToSlash(af.Path))
	} else if k, ok := knownActions[strings.ToLower(action)]; ok {
		inputs = map[string]bool{k.input: true}
		evidence = fmt.Sprintf("passed to input %%s of %s, which deploys Weaviate", action)
		nodes = k.nodes
		if r, ok := yamlx.Int(yamlx.Get(with, "replicas")); ok {
			nodes = r
		}
	}
	for _, p := range yamlx.Pairs(with) {
		s, ok := yamlx.Str(p.Value)
		if !ok || strings.Contains(s, "$") {
			continue
		}
		if inputs == nil {
			if WeaviateName(p.Key.Value) && versionLike(s) {
				w.near = append(w.near, NearMiss{At: w.f.Span(p.Value), Message: fmt.Sprintf("%s is passed to %s, which wvlint does not know to deploy Weaviate", p.Key.Value, action)})
			}
			continue
		}
		if !inputs[p.Key.Value] || !versionLike(s) {
			continue
		}
		w.add(Pin{ID: w.id + "#" + id + ".with." + p.Key.Value, Node: p.Value, Len: pos.RuneLen(s), Text: s, Nodes: nodes,
			Evidence: w.where(p.Value) + " " + fmt.Sprintf(evidence, p.Key.Value)})
	}
}

// uses records where the env pins are referred to ($NAME, ${{ env.NAME }}):
// the steps they reach.
func (w *walker) uses(doc *yaml.Node) {
	walk(yamlx.Get(doc, "jobs"), func(n *yaml.Node) {
		for _, m := range envRefRE().FindAllStringSubmatchIndex(n.Value, -1) {
			name := ""
			for g := 1; g <= 3; g++ {
				if m[2*g] >= 0 {
					name = n.Value[m[2*g]:m[2*g+1]]
				}
			}
			for _, i := range w.envPins[name] {
				p := &w.pins[i]
				if len(p.Related) >= 3 {
					continue
				}
				sp := w.f.ValueSpan(n, pos.RuneLen(n.Value[:m[0]]), pos.RuneLen(n.Value[m[0]:m[1]]))
				p.Related = append(p.Related, Related{Span: sp, Message: "uses " + name + " here"})
				if len(p.Related) == 1 {
					p.Evidence += fmt.Sprintf(", used at line %d", sp.Line)
				}
			}
		}
	})
}

// walk calls fn on every scalar under n (aliases followed once).
func walk(n *yaml.Node, fn func(*yaml.Node)) {
	seen := map[*yaml.Node]bool{}
	var rec func(*yaml.Node, int)
	rec = func(n *yaml.Node, depth int) {
		if n == nil || seen[n] || depth > 64 {
			return
		}
		seen[n] = true
		switch n.Kind {
		case yaml.ScalarNode:
			fn(n)
		case yaml.AliasNode:
			rec(n.Alias, depth+1)
		default:
			for _, c := range n.Content {
				rec(c, depth+1)
			}
		}
	}
	rec(n, 0)
}
