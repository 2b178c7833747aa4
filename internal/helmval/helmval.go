// Package helmval is the Helm values model: values as written (a scalar's
// text and the span of that text, maps, lists), whatever front end wrote
// them (a YAML values file, a --set string, an HCL set {} block, a
// yamlencode call), and the layering Helm applies: later layers win, then
// --set overrides win over every layer.
package helmval

import (
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wvlint/wvlint/internal/pos"
	"github.com/wvlint/wvlint/internal/yamlx"
)

// Kind is the shape of a value.
type Kind int

// The kinds of values.
const (
	Null Kind = iota
	Scalar
	Map
	List
	// Unknown is a value wvlint cannot read without running something (a
	// Terraform variable with no default, a script's $1): Why says why.
	Unknown
)

// Value is one Helm value as written.
type Value struct {
	Kind Kind
	Text string // Scalar: the value's text, without quotes
	// Span is where the text is written (Scalar); for a Map or List, the
	// position where the value starts (EndCol == Col).
	Span pos.Span
	// At is where the value starts as written (a quote, a block
	// indicator), EndCol == Col.
	At     pos.Span
	Fields []Field // Map, in order, merge keys applied
	Items  []Value // List
	// Why says why an Unknown value cannot be read.
	Why string
	// Via are the places a value was reached through (the variable a
	// Terraform set block names, the script line that uses $TAG).
	Via []Via
}

// Via is a place a value was reached through.
type Via struct {
	At      pos.Span
	Message string
}

// Field is one key of a map.
type Field struct {
	Key   string
	KeyAt pos.Span // where the key starts (EndCol 0)
	Value Value
}

// Str returns a scalar's text; false for null, maps and lists.
func (v Value) Str() (string, bool) { return v.Text, v.Kind == Scalar }

// Bool reads a boolean (true/false and YAML 1.1's yes/no/on/off).
func (v Value) Bool() (val, ok bool) {
	s, ok := v.Str()
	if !ok {
		return false, false
	}
	return yamlx.ParseBool(s)
}

// Int reads an integer.
func (v Value) Int() (int, bool) {
	s, ok := v.Str()
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	return n, err == nil
}

// Get returns the value at a key path of nested maps. An Unknown value
// met on the way down is returned: it may hold any of the keys below it.
func (v Value) Get(keys ...string) (Value, bool) {
	for _, k := range keys {
		if v.Kind == Unknown {
			return v, true
		}
		found := false
		for _, f := range v.Fields {
			if f.Key == k {
				v, found = f.Value, true
				break
			}
		}
		if !found {
			return Value{}, false
		}
	}
	return v, true
}

// maxNodes bounds the values one YAML document expands to (aliases can
// make a small file expand without end).
const maxNodes = 200000

// FromNode is FromYAML for a node that may be missing: nil for nil.
func FromNode(f *yamlx.File, n *yaml.Node) *Value {
	if n == nil {
		return nil
	}
	v := FromYAML(f, n)
	return &v
}

// FromYAML converts a YAML node of f into a value, aliases and merge keys
// resolved.
func FromYAML(f *yamlx.File, n *yaml.Node) Value {
	budget := maxNodes
	return fromYAML(f, n, 0, &budget)
}

func fromYAML(f *yamlx.File, n *yaml.Node, depth int, budget *int) Value {
	n = yamlx.Resolve(n)
	*budget--
	if n == nil || depth > 64 || *budget < 0 {
		return Value{}
	}
	at := pos.Span{File: f.Path, Line: n.Line, Col: n.Column, EndCol: n.Column}
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return Value{Kind: Null, Span: f.Span(n), At: at}
		}
		return Value{Kind: Scalar, Text: n.Value, Span: f.Span(n), At: at}
	case yaml.MappingNode:
		v := Value{Kind: Map, Span: at, At: at}
		for _, p := range yamlx.Pairs(n) {
			v.Fields = append(v.Fields, Field{Key: p.Key.Value, KeyAt: pos.Span{File: f.Path, Line: p.Key.Line, Col: p.Key.Column},
				Value: fromYAML(f, p.Value, depth+1, budget)})
		}
		return v
	case yaml.SequenceNode:
		v := Value{Kind: List, Span: at, At: at}
		for _, it := range yamlx.Items(n) {
			v.Items = append(v.Items, fromYAML(f, it, depth+1, budget))
		}
		return v
	}
	return Value{}
}

// Set is a --set style override: a dotted key and its value.
type Set struct {
	Key   string // "image.tag"
	Value Value
}

// Layers is what Helm renders from: values layers in the order given
// (the chart's defaults are not among them), then --set overrides.
type Layers struct {
	Maps []Value // each a Map
	Sets []Set
}

// Lookup returns the last non-null value of a key path across the layers,
// then the sets, and whether any was found.
func (l Layers) Lookup(keys ...string) (Value, bool) {
	var out Value
	found := false
	for _, m := range l.Maps {
		if v, ok := m.Get(keys...); ok && v.Kind != Null {
			out, found = v, true
		}
	}
	dotted := strings.Join(keys, ".")
	for _, s := range l.Sets {
		if s.Key == dotted || (s.Value.Kind == Unknown && strings.HasPrefix(dotted, s.Key+".")) {
			out, found = s.Value, true
		}
	}
	return out, found
}
