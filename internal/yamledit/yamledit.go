// Package yamledit works out how to add one scalar key to a YAML file by
// adding text, never by re-encoding: `image.tag` into a Helm values file,
// in the style, indentation and line endings the file already uses, every
// other byte kept. It merges into an existing block mapping (the new key
// takes that mapping's indentation) or a flow mapping on one line
// (`image: {repo: x}` gets the entry before its brace), creates the
// mappings that are missing, and refuses, with the reason, whatever it
// cannot do exactly: a flow mapping over several lines or with nested
// values, an alias, a merge key, a key that is a string or a list here, a
// new top-level key in a file of several documents. Every insertion is
// checked by parsing the result: it must add the key, reading back with
// the value written, and change nothing else.
package yamledit

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wvlint/wvlint/internal/pos"
	"github.com/wvlint/wvlint/internal/yamlx"
)

// Insertion adds text to one line of a file: the line's text Old (its
// whole text, without the line ending) becomes Prefix + value + Suffix.
// The new lines, if any, carry the line ending of the file.
type Insertion struct {
	Span   pos.Span // the whole text of the line
	Old    string
	Prefix string
	Suffix string
	// Key is the dotted path added ("weaviate.image.tag"), for messages.
	Key string
}

// New is the line's new text with value v written.
func (in Insertion) New(v string) string { return in.Prefix + v + in.Suffix }

// Scalar works out the insertion that sets the key path keys to a plain
// scalar in document root of f (the first document of the file). sample is
// a value of the shape that will be written (a version, "1.27.27"): the
// insertion is checked with it.
func Scalar(f *yamlx.File, root *yaml.Node, keys []string, sample string) (Insertion, error) {
	return ScalarAt(Target{File: f, Map: root}, keys, sample)
}

// Target is the block mapping the keys go into: a document's root, or a
// mapping nested in a document (Flux's spec.values), given with the key
// whose value it is.
type Target struct {
	File *yamlx.File
	Map  *yaml.Node
	Key  *yaml.Node // nil for a document's root
}

// ScalarAt is Scalar for any block mapping of a file.
func ScalarAt(t Target, keys []string, sample string) (Insertion, error) {
	if len(keys) == 0 {
		return Insertion{}, errors.New("no key to set")
	}
	if loneCR(t.File.Src) {
		// YAML ends a line there, wvlint's positions do not: they
		// would disagree on where the lines are.
		return Insertion{}, errors.New("the file has a carriage return without a line feed: wvlint does not add lines to it")
	}
	e := editor{f: t.File, lines: t.File.Lines(), keys: keys}
	if t.Key != nil && (t.Map == nil || t.Map.Kind != yaml.MappingNode || len(t.Map.Content) == 0 || t.Map.Content[0].Line <= t.Key.Line) {
		return Insertion{}, fmt.Errorf("%s at line %d is not a block mapping on lines of its own", t.Key.Value, t.Key.Line)
	}
	in, err := e.plan(t.Map, t.Key, sample)
	if err != nil {
		return Insertion{}, err
	}
	in.Key = strings.Join(keys, ".")
	if err := check(t.File, in, keys, sample); err != nil {
		return Insertion{}, err
	}
	return in, nil
}

type editor struct {
	f     *yamlx.File
	lines *pos.Lines
	keys  []string
}

func (e *editor) plan(root, rootKey *yaml.Node, sample string) (Insertion, error) {
	if root == nil {
		// Only comments (a values file with every key commented out):
		// the keys go after the last line.
		if len(bytes.TrimSpace(bytes.TrimPrefix(e.f.Src, []byte("\ufeff")))) == 0 {
			return Insertion{}, errors.New("the file is empty")
		}
		return e.create(nil, nil, e.keys, sample, "")
	}
	if root.Kind != yaml.MappingNode {
		return Insertion{}, fmt.Errorf("the document at line %d is not a mapping", root.Line)
	}
	if isFlow(root) {
		return Insertion{}, fmt.Errorf("the document is a flow mapping ({...}) at line %d: wvlint adds keys in block style only, so it leaves this to you", root.Line)
	}
	m := root
	parentKey := rootKey // the key whose value m is; nil for the root
	for i, k := range e.keys {
		last := i == len(e.keys)-1
		key, val := own(m, k)
		where := strings.Join(e.keys[:i+1], ".")
		if key == nil {
			if merged(m) {
				return Insertion{}, fmt.Errorf("%s would go into a mapping that takes keys from a \"<<\" merge at line %d: adding it there may hide the merged keys, so it is left to you", where, m.Line)
			}
			return e.create(m, parentKey, e.keys[i:], sample, strings.Repeat(" ", m.Content[0].Column-1))
		}
		if val.Kind == yaml.AliasNode {
			return Insertion{}, fmt.Errorf("%s at line %d is an alias (*%s): a key added there would change every place the anchor is used", where, key.Line, val.Value)
		}
		if last {
			if val.Kind == yaml.ScalarNode && val.Tag == "!!null" && val.Value == "" && val.Line == key.Line && val.Column >= key.Column {
				return e.fillEmpty(key)
			}
			return Insertion{}, fmt.Errorf("%s is already set at line %d", where, key.Line)
		}
		switch {
		case val.Kind == yaml.MappingNode && isFlow(val):
			for _, c := range val.Content {
				if c.Kind != yaml.ScalarNode {
					return Insertion{}, fmt.Errorf("%s at line %d is a flow mapping ({...}) with nested values: add the key by hand", where, val.Line)
				}
			}
			if _, v := own(val, e.keys[i+1]); v != nil {
				return Insertion{}, fmt.Errorf("%s.%s is already set at line %d", where, e.keys[i+1], val.Line)
			}
			return e.intoFlow(val, where, e.keys[i+1:])
		case val.Kind == yaml.MappingNode:
			if len(val.Content) == 0 || val.Content[0].Line <= key.Line {
				return Insertion{}, fmt.Errorf("%s at line %d does not start on a line of its own", where, key.Line)
			}
			m, parentKey = val, key
		case val.Kind == yaml.ScalarNode && val.Tag == "!!null" && val.Value == "":
			// `image:` with nothing under it: the keys go below it.
			indent := strings.Repeat(" ", key.Column-1+e.unit(root))
			return e.after(key.Line, nestedLines(e.keys[i+1:], indent, e.unitText(root), sample))
		case val.Kind == yaml.ScalarNode && val.Tag == "!!null":
			return Insertion{}, fmt.Errorf("%s at line %d is written %q: replace it with a mapping by hand", where, key.Line, val.Value)
		case val.Kind == yaml.ScalarNode:
			return Insertion{}, fmt.Errorf("%s at line %d is a string here (%q), not a mapping: the key cannot be added to it", where, key.Line, val.Value)
		default:
			return Insertion{}, fmt.Errorf("%s at line %d is a list, not a mapping", where, key.Line)
		}
	}
	return Insertion{}, errors.New("no key to set")
}

// create adds the missing keys to block mapping m: into a nested mapping
// right after its `repo:`/`repository:` line when the new key is a tag
// beside it, else as its first entry (after the parent key's line); at the
// root (m nil: no document yet) after the document's last line, at
// indent.
func (e *editor) create(m, parentKey *yaml.Node, keys []string, sample, indent string) (Insertion, error) {
	lines := nestedLines(keys, indent, e.unitText(m), sample)
	if parentKey == nil {
		if segs := yamlx.Split(e.f.Src); len(segs) > 1 || hasEndMarker(e.f.Src) {
			return Insertion{}, errors.New("the file holds more than one YAML document: wvlint does not add keys to it")
		}
		last := e.lines.Count()
		for last > 1 && strings.TrimSpace(e.lines.Line(last)) == "" {
			last--
		}
		return e.after(last, lines)
	}
	if len(keys) == 1 {
		for i := 0; i+1 < len(m.Content); i += 2 {
			k, v := m.Content[i], m.Content[i+1]
			if (k.Value == "repo" || k.Value == "repository") && v.Kind == yaml.ScalarNode && v.Line == k.Line &&
				v.Style&(yaml.LiteralStyle|yaml.FoldedStyle) == 0 {
				in, err := e.after(k.Line, nestedLines(keys, indent, "", quoteLike(v, sample)))
				if err == nil && check(e.f, in, e.keys, sample) == nil {
					return in, nil
				}
			}
		}
	}
	return e.after(parentKey.Line, lines)
}

// intoFlow adds the keys to flow mapping m written on one line
// (`image: {pullPolicy: Always}` becomes `image: {pullPolicy: Always, tag:
// X}`), the new entry last; nested keys are written as flow mappings too.
func (e *editor) intoFlow(m *yaml.Node, where string, keys []string) (Insertion, error) {
	text := e.lines.Line(m.Line)
	open := runeOffset(text, m.Column-1)
	end := flowEnd(text, open)
	if end < 0 {
		return Insertion{}, fmt.Errorf("%s at line %d is a flow mapping ({...}) that does not end on its line: add the key by hand", where, m.Line)
	}
	entry := ""
	for i, k := range keys {
		if i > 0 {
			entry += "{"
		}
		entry += k + ": "
	}
	// Keep the spacing before the brace: `{ a: 1 }` -> `{ a: 1, tag: X }`.
	at := end
	for at > open+1 && (text[at-1] == ' ' || text[at-1] == '\t') {
		at--
	}
	sep := ", "
	if at == open+1 {
		sep = "" // {} or { }
	}
	closing := strings.Repeat("}", len(keys)-1)
	return Insertion{Span: e.lineSpan(m.Line, text), Old: text, Prefix: text[:at] + sep + entry, Suffix: closing + text[at:]}, nil
}

// flowEnd is the byte offset of the brace that closes the flow mapping
// opened at text[open], or -1 when it does not close on this line.
func flowEnd(text string, open int) int {
	if open >= len(text) || text[open] != '{' {
		return -1
	}
	depth := 0
	for i := open; i < len(text); i++ {
		switch c := text[i]; c {
		case '"', '\'':
			j := i + 1
			for ; j < len(text); j++ {
				if c == '"' && text[j] == '\\' {
					j++
					continue
				}
				if text[j] == c {
					if c == '\'' && j+1 < len(text) && text[j+1] == '\'' {
						j++
						continue
					}
					break
				}
			}
			if j >= len(text) {
				return -1
			}
			i = j
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				if c != '}' {
					return -1
				}
				return i
			}
		case '#':
			if i > 0 && (text[i-1] == ' ' || text[i-1] == '\t') {
				return -1
			}
		}
	}
	return -1
}

// fillEmpty writes the value after the colon of `key:` that has none.
func (e *editor) fillEmpty(key *yaml.Node) (Insertion, error) {
	if key.Style != 0 {
		return Insertion{}, fmt.Errorf("%s at line %d has a quoted key: set it by hand", key.Value, key.Line)
	}
	text := e.lines.Line(key.Line)
	start := runeOffset(text, key.Column-1) + len(key.Value)
	if start > len(text) || !strings.HasPrefix(text[start:], ":") {
		return Insertion{}, fmt.Errorf("%s at line %d is not written key: on its line", key.Value, key.Line)
	}
	start++
	return Insertion{Span: e.lineSpan(key.Line, text), Old: text, Prefix: text[:start] + " ", Suffix: text[start:]}, nil
}

// after is the insertion of lines (without their line endings) after line
// n, which keeps its text.
func (e *editor) after(n int, lines []string) (Insertion, error) {
	text := e.lines.Line(n)
	if text == "" && n == 1 && e.lines.Count() == 1 {
		return Insertion{}, errors.New("the file is empty")
	}
	eol := e.eol(n)
	var b strings.Builder
	b.WriteString(text)
	for i, l := range lines {
		b.WriteString(eol)
		if i < len(lines)-1 {
			b.WriteString(l)
			continue
		}
		// The last line ends with the value: split it off.
		p := strings.LastIndex(l, "\x00")
		b.WriteString(l[:p])
		return Insertion{Span: e.lineSpan(n, text), Old: text, Prefix: b.String(), Suffix: l[p+1:]}, nil
	}
	return Insertion{}, errors.New("nothing to insert")
}

func (e *editor) lineSpan(n int, text string) pos.Span {
	return pos.Span{File: e.f.Path, Line: n, Col: 1, EndCol: pos.RuneLen(text) + 1}
}

// eol is the line ending of line n, or where it has none (the last line),
// the file's first.
func (e *editor) eol(n int) string {
	src := e.f.Src
	for _, line := range []int{n, 1} {
		if line >= e.lines.Count() {
			continue
		}
		end := bytes.IndexByte(src[lineStart(src, line):], '\n') + lineStart(src, line)
		if end > 0 && src[end-1] == '\r' {
			return "\r\n"
		}
		return "\n"
	}
	return "\n"
}

func lineStart(src []byte, n int) int {
	off := 0
	for i := 1; i < n; i++ {
		j := bytes.IndexByte(src[off:], '\n')
		if j < 0 {
			return len(src)
		}
		off += j + 1
	}
	return off
}

// unit is the indentation step of the file: how much deeper the first
// nested block mapping under n sits than its key; 2 when there is none.
func (e *editor) unit(n *yaml.Node) int {
	var walk func(n *yaml.Node, depth int) int
	walk = func(n *yaml.Node, depth int) int {
		if n == nil || n.Kind != yaml.MappingNode || depth > 50 || isFlow(n) {
			return 0
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if v.Kind == yaml.MappingNode && !isFlow(v) && len(v.Content) > 0 && v.Content[0].Line > k.Line && v.Content[0].Column > k.Column {
				return v.Content[0].Column - k.Column
			}
			if u := walk(v, depth+1); u > 0 {
				return u
			}
		}
		return 0
	}
	if u := walk(n, 0); u > 0 {
		return u
	}
	if u := walk(e.root(), 0); u > 0 {
		return u
	}
	return 2
}

func (e *editor) root() *yaml.Node {
	if len(e.f.Docs) > 0 {
		return e.f.Docs[0]
	}
	return nil
}

func (e *editor) unitText(n *yaml.Node) string { return strings.Repeat(" ", e.unit(n)) }

// nestedLines writes keys as nested block mappings at indent, the last
// holding the value; "\x00" marks where the value goes.
func nestedLines(keys []string, indent, unit, value string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = indent + strings.Repeat(unit, i) + k + ":"
	}
	out[len(keys)-1] += " " + placeholder(value)
	return out
}

// placeholder marks the value in a line: quotes around it stay.
func placeholder(v string) string {
	switch {
	case strings.HasPrefix(v, `"`):
		return `"` + "\x00" + `"`
	case strings.HasPrefix(v, `'`):
		return `'` + "\x00" + `'`
	}
	return "\x00"
}

// quoteLike is the sample quoted as v is (a sibling's style).
func quoteLike(v *yaml.Node, sample string) string {
	switch v.Style {
	case yaml.DoubleQuotedStyle:
		return `"` + sample + `"`
	case yaml.SingleQuotedStyle:
		return `'` + sample + `'`
	}
	return sample
}

// own is key k of mapping m as written in m itself (not through a merge),
// with its value unresolved.
func own(m *yaml.Node, k string) (key, val *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Kind == yaml.ScalarNode && m.Content[i].Value == k {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}

func merged(m *yaml.Node) bool {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := m.Content[i]; k.Tag == "!!merge" || (k.Value == "<<" && k.Style == 0) {
			return true
		}
	}
	return false
}

func isFlow(n *yaml.Node) bool { return n.Style&yaml.FlowStyle != 0 }

func hasEndMarker(src []byte) bool {
	for _, l := range bytes.Split(src, []byte("\n")) {
		l = bytes.TrimRight(l, "\r")
		if bytes.Equal(l, []byte("...")) || bytes.HasPrefix(l, []byte("... ")) {
			return true
		}
	}
	return false
}

func runeOffset(s string, n int) int {
	for i := range s {
		if n == 0 {
			return i
		}
		n--
	}
	return len(s)
}

// check applies the insertion with the sample value and parses the
// result: it must add one key, a key path ending in keys that reads back
// as the sample, and change nothing else in any document.
func check(f *yamlx.File, in Insertion, keys []string, sample string) error {
	v := strings.Trim(sample, `"'`)
	lines := f.Lines()
	start := lineStart(f.Src, in.Span.Line)
	if in.Span.Line == 1 && bytes.HasPrefix(f.Src, []byte("\ufeff")) {
		start += 3
	}
	if in.Span.Line > lines.Count() || in.Old == "" || lines.Line(in.Span.Line) != in.Old {
		return errors.New("the line to add after is not where it was read")
	}
	out := append(append(append([]byte{}, f.Src[:start]...), in.New(v)...), f.Src[start+len(in.Old):]...)
	before, err := decodeAll(f.Src)
	if err != nil {
		return fmt.Errorf("the file does not parse: %w", err)
	}
	if len(before) == 0 {
		before = []any{map[string]any{}} // only comments
	}
	after, err := decodeAll(out)
	if err != nil || len(after) != len(before) || len(after) == 0 {
		return fmt.Errorf("adding %s here would not give valid YAML", strings.Join(keys, "."))
	}
	var adds []addition
	for i := range after {
		if !added(before[i], after[i], nil, &adds) {
			return fmt.Errorf("adding %s here would change other values", strings.Join(keys, "."))
		}
	}
	if len(adds) != 1 {
		return fmt.Errorf("adding %s here would not set it alone", strings.Join(keys, "."))
	}
	path, val := adds[0].path, adds[0].value
	for {
		m, ok := val.(map[string]any)
		if !ok || len(m) != 1 {
			break
		}
		for k, x := range m {
			path, val = append(path, k), x
		}
	}
	if len(path) < len(keys) || strings.Join(path[len(path)-len(keys):], "\x00") != strings.Join(keys, "\x00") || fmt.Sprint(val) != v {
		return fmt.Errorf("adding %s here would not set it", strings.Join(keys, "."))
	}
	return nil
}

// addition is a key that after has and before has not (or has as null).
type addition struct {
	path  []string
	value any
}

// added collects what after adds to before; false when after differs
// from before in any other way.
func added(before, after any, path []string, out *[]addition) bool {
	switch a := after.(type) {
	case map[string]any:
		b, ok := before.(map[string]any)
		if !ok {
			return false
		}
		for k := range b {
			if _, ok := a[k]; !ok {
				return false
			}
		}
		for k, av := range a {
			p := append(append([]string(nil), path...), k)
			bv, ok := b[k]
			if !ok || bv == nil && av != nil {
				*out = append(*out, addition{p, av})
				continue
			}
			if !added(bv, av, p, out) {
				return false
			}
		}
		return true
	case []any:
		b, ok := before.([]any)
		if !ok || len(b) != len(a) {
			return false
		}
		for i := range a {
			if !added(b[i], a[i], append(append([]string(nil), path...), fmt.Sprintf("[%d]", i)), out) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(before, after)
}

func decodeAll(src []byte) ([]any, error) {
	dec := yaml.NewDecoder(bytes.NewReader(src))
	var out []any
	for {
		var v any
		err := dec.Decode(&v)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
}

func loneCR(src []byte) bool {
	for i, b := range src {
		if b == '\r' && (i+1 == len(src) || src[i+1] != '\n') {
			return true
		}
	}
	return false
}
