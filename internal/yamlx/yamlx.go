// Package yamlx wraps go.yaml.in/yaml/v3 with what a linter needs and the
// library lacks: every document of a stream, errors with a line number,
// lookups that see through aliases and "<<" merge keys, and the exact
// code-point position of text inside a scalar.
package yamlx

import (
	"bytes"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wvlint/wvlint/internal/pos"
)

// File is a parsed YAML stream with its source kept for positions. It is
// immutable once Parse returns: the scanner shares one File between the
// goroutines that read the files referring to it (a kustomize base, a values
// file), so nothing in it may be filled in later.
type File struct {
	Path string
	Src  []byte
	Docs []*yaml.Node // content nodes of each document (never DocumentNode)
	// Partial is set when ParseSelected left documents of the stream
	// unparsed: Docs is then not what Parse would return.
	Partial bool
	lines   *pos.Lines
}

// Error is a YAML syntax error at a 1-based line (0 when yaml.v3 gave none).
type Error struct {
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return "line " + strconv.Itoa(e.Line) + ": " + e.Msg
	}
	return e.Msg
}

var lineRE = regexp.MustCompile(`^yaml: line (\d+): `)

// Parse reads every document in src. Documents before a syntax error are
// kept; the error is returned beside them as *Error.
func Parse(path string, src []byte) (*File, error) {
	f := newFile(path, src)
	var err error
	f.Docs, err = parseDocs(src)
	return f, err
}

// parseDocs reads the documents of src, as Parse does, without the line
// index of a File.
func parseDocs(src []byte) ([]*yaml.Node, error) {
	var docs []*yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(src))
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			return docs, problemLine(src, toError(err))
		}
		if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
			docs = append(docs, doc.Content[0])
		}
	}
}

// newFile is a File with no documents yet and its line index built: every
// File is made here, so none is ever filled in after it is shared.
func newFile(path string, src []byte) *File {
	return &File{Path: path, Src: src, lines: pos.NewLines(src)}
}

// WithoutDocs is the file's path, source and line index without its
// documents: what a reader keeps to place a few nodes it holds on to, so
// that the rest of the parsed tree can be collected.
func (f *File) WithoutDocs() *File {
	return &File{Path: f.Path, Src: f.Src, Partial: true, lines: f.lines}
}

// Outer is a File for a non-YAML file that embeds YAML texts (a Terraform
// heredoc), to give ParseAt: its source and lines, no documents.
func Outer(path string, src []byte) *File { return newFile(path, src) }

// ParseAt parses src, a YAML text embedded in another file (an Argo CD
// helm.values block), so that positions come out in the outer file: line 1 of
// src is outer line lineOff+1 and every column is shifted by colOff.
func ParseAt(outer *File, src []byte, lineOff, colOff int) (*File, error) {
	f, err := Parse(outer.Path, src)
	var ye *Error
	if errors.As(err, &ye) && ye.Line > 0 {
		ye.Line += lineOff
	}
	shift(f.Docs, lineOff, colOff, map[*yaml.Node]bool{})
	f.Src, f.lines = outer.Src, outer.Lines()
	return f, err
}

func shift(ns []*yaml.Node, dl, dc int, seen map[*yaml.Node]bool) {
	for _, n := range ns {
		if n == nil || seen[n] {
			continue
		}
		seen[n] = true
		n.Line += dl
		n.Column += dc
		shift(n.Content, dl, dc, seen)
	}
}

// problemLine moves an error to the line of the problem. yaml.v3 reports
// the line where the enclosing block starts (its "context"), which is often
// far above the mistake; the first prefix of the source that fails with the
// same message ends at the problem line.
func problemLine(src []byte, e *Error) *Error {
	if e.Line == 0 && strings.Contains(e.Msg, "control characters are not allowed") {
		// yaml.v3's reader says so without a line: the first one it
		// refuses (YAML allows tab, LF, CR, and printable characters).
		for i, b := range src {
			if b < 0x20 && b != '\t' && b != '\n' && b != '\r' || b == 0x7f {
				e.Line = bytes.Count(src[:i], []byte{'\n'}) + 1
				break
			}
		}
		return e
	}
	if e.Line == 0 {
		return e
	}
	var ends []int
	for i, b := range src {
		if b == '\n' {
			ends = append(ends, i+1)
		}
	}
	ends = append(ends, len(src))
	fails := func(k int) bool {
		dec := yaml.NewDecoder(bytes.NewReader(src[:ends[k-1]]))
		for {
			var n yaml.Node
			err := dec.Decode(&n)
			if err == nil {
				continue
			}
			if errors.Is(err, io.EOF) {
				return false
			}
			return toError(err).Msg == e.Msg
		}
	}
	lo, hi := e.Line, len(ends)
	if lo > hi || !fails(hi) {
		return e
	}
	for lo < hi {
		mid := (lo + hi) / 2
		if fails(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	e.Line = lo
	return e
}

func toError(err error) *Error {
	msg := err.Error()
	if m := lineRE.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return &Error{Line: n, Msg: strings.TrimPrefix(msg, m[0])}
	}
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		return toError(errors.New(te.Errors[0]))
	}
	return &Error{Msg: strings.TrimPrefix(msg, "yaml: ")}
}

// Lines returns the line index of the file's source, built by Parse.
func (f *File) Lines() *pos.Lines { return f.lines }

// Resolve follows aliases and unwraps documents.
func Resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && i < 100; i++ {
		switch n.Kind {
		case yaml.AliasNode:
			n = n.Alias
		case yaml.DocumentNode:
			if len(n.Content) == 0 {
				return nil
			}
			n = n.Content[0]
		default:
			return n
		}
	}
	return n
}

// Pair is one key/value of a mapping, after merges are applied.
type Pair struct {
	Key   *yaml.Node
	Value *yaml.Node // resolved
}

// Pairs lists the entries of mapping m in document order. Keys brought in by
// "<<" merge keys come first-wins behind the mapping's own keys, as YAML 1.1
// specifies; aliases are resolved. A non-mapping gives nil.
func Pairs(m *yaml.Node) []Pair {
	return pairs(Resolve(m), nil)
}

// pairs lists m's entries; merged holds the mappings already merged in this
// lookup. A mapping merged a second time adds no key (the first occurrence
// wins), so it is skipped: a chain of merges that each name the one before
// twice stays linear instead of doubling at every link, and a cycle ends.
// The set is made at the first merge key: most mappings have none.
func pairs(m *yaml.Node, merged map[*yaml.Node]bool) []Pair {
	if m == nil || m.Kind != yaml.MappingNode || merged[m] {
		return nil
	}
	if merged != nil {
		merged[m] = true
	}
	var own, inherited []Pair
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if isMerge(k) {
			if merged == nil {
				merged = map[*yaml.Node]bool{m: true}
			}
			rv := Resolve(v)
			var srcs []*yaml.Node
			if rv != nil && rv.Kind == yaml.SequenceNode {
				srcs = rv.Content
			} else {
				srcs = []*yaml.Node{rv}
			}
			for _, s := range srcs {
				inherited = append(inherited, pairs(Resolve(s), merged)...)
			}
			continue
		}
		own = append(own, Pair{Key: k, Value: Resolve(v)})
	}
	if len(inherited) == 0 {
		return own
	}
	seen := make(map[string]bool, len(own)+len(inherited))
	for _, p := range own {
		seen[p.Key.Value] = true
	}
	for _, p := range inherited {
		if !seen[p.Key.Value] {
			seen[p.Key.Value] = true
			own = append(own, p)
		}
	}
	return own
}

// isMerge reports whether a mapping key is YAML's merge key.
func isMerge(k *yaml.Node) bool {
	return k.Tag == "!!merge" || (k.Kind == yaml.ScalarNode && k.Value == "<<" && k.Style == 0)
}

// Get returns the value of key in mapping m (through aliases and merges),
// or nil.
func Get(m *yaml.Node, key string) *yaml.Node {
	// The mapping's own keys come first (Pairs' order): only a key it
	// does not write itself needs the merges worked out.
	m = Resolve(m)
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	merges := false
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := m.Content[i]
		if isMerge(k) {
			merges = true
		} else if k.Value == key {
			return Resolve(m.Content[i+1])
		}
	}
	if !merges {
		return nil
	}
	for _, p := range Pairs(m) {
		if p.Key.Value == key {
			return p.Value
		}
	}
	return nil
}

// Path walks nested mappings: Path(n, "spec", "template") is n.spec.template.
func Path(n *yaml.Node, keys ...string) *yaml.Node {
	for _, k := range keys {
		n = Get(n, k)
		if n == nil {
			return nil
		}
	}
	return n
}

// Items returns the resolved elements of a sequence, or nil.
func Items(n *yaml.Node) []*yaml.Node {
	n = Resolve(n)
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	out := make([]*yaml.Node, 0, len(n.Content))
	for _, c := range n.Content {
		if r := Resolve(c); r != nil {
			out = append(out, r)
		}
	}
	return out
}

// Str returns the value of a scalar, and false for anything else or null.
func Str(n *yaml.Node) (string, bool) {
	n = Resolve(n)
	if n == nil || n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return "", false
	}
	return n.Value, true
}

// IsMap reports whether n resolves to a mapping.
func IsMap(n *yaml.Node) bool {
	n = Resolve(n)
	return n != nil && n.Kind == yaml.MappingNode
}

// Bool reads a YAML boolean (true/false and the YAML 1.1 yes/no/on/off that
// Helm users still write).
func Bool(n *yaml.Node) (val, ok bool) {
	s, ok := Str(n)
	if !ok {
		return false, false
	}
	return ParseBool(s)
}

// ParseBool reads the text of a boolean as Bool does.
func ParseBool(s string) (val, ok bool) {
	switch strings.ToLower(s) {
	case "true", "yes", "on", "y":
		return true, true
	case "false", "no", "off", "n":
		return false, true
	}
	return false, false
}

// Int reads an integer scalar.
func Int(n *yaml.Node) (int, bool) {
	s, ok := Str(n)
	if !ok {
		return 0, false
	}
	v, err := strconv.Atoi(strings.TrimSpace(s))
	return v, err == nil
}

// ValueSpan returns the position of the code points [off, off+length) of a
// scalar's value. For quoted scalars the opening quote is skipped; for block
// scalars (| and >) the first content line is used. When the value spans
// lines or contains escapes, the position is that of the scalar itself.
func (f *File) ValueSpan(n *yaml.Node, off, length int) pos.Span {
	line, col := n.Line, n.Column
	switch n.Style {
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		col++
	case yaml.LiteralStyle, yaml.FoldedStyle:
		line++
		text := f.Lines().Line(line)
		col = len([]rune(text)) - len([]rune(strings.TrimLeft(text, " \t"))) + 1
	}
	if !f.plainOnLine(n, line, col) {
		off = 0
	}
	return pos.Span{File: f.Path, Line: line, Col: col + off, EndCol: col + off + length}
}

// plainOnLine reports whether the scalar's value is written verbatim at
// line:col, so that offsets inside the value are offsets in the source.
func (f *File) plainOnLine(n *yaml.Node, line, col int) bool {
	text := []rune(f.Lines().Line(line))
	if col-1 > len(text) {
		return false
	}
	return strings.HasPrefix(string(text[col-1:]), n.Value)
}

// Span is the position of the whole scalar value.
func (f *File) Span(n *yaml.Node) pos.Span {
	return f.ValueSpan(n, 0, pos.RuneLen(n.Value))
}
