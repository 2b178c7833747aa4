package yamlx

import (
	"bytes"
	"errors"

	"go.yaml.in/yaml/v3"
)

// Segment is one document of a YAML stream as text: Src holds its lines,
// which start at line Line+1 of the stream (Line is the offset).
type Segment struct {
	Src  []byte
	Line int
}

// Split cuts a YAML stream into its documents without parsing it. A line
// that begins with "---" or "..." followed by a space, a tab or the end of
// the line marks a document boundary anywhere in a YAML 1.2 stream (such
// lines cannot occur inside content), so the cut is exact: "---" starts a
// document and "..." ends one. Lines before the first document that hold
// only comments, blank lines or directives stay with the document after
// them.
func Split(src []byte) []Segment {
	var segs []Segment
	start, startLine := 0, 0 // the current segment
	onlyPreamble := true     // the current segment has no content yet
	line := 0
	for off := 0; off < len(src); line++ {
		end := bytes.IndexByte(src[off:], '\n')
		next := len(src)
		if end >= 0 {
			next = off + end + 1
		}
		l := src[off:next]
		switch {
		case marker(l, "---"):
			if !onlyPreamble {
				segs = append(segs, Segment{Src: src[start:off], Line: startLine})
				start, startLine = off, line
			}
			onlyPreamble = false
		case marker(l, "..."):
			segs = endDocument(segs, src, start, next, startLine, onlyPreamble)
			start, startLine, onlyPreamble = next, line+1, true
		case onlyPreamble && !preamble(l):
			onlyPreamble = false
		}
		off = next
	}
	if start < len(src) || len(segs) == 0 {
		segs = append(segs, Segment{Src: src[start:], Line: startLine})
	}
	return segs
}

// endDocument ends the segment src[start:end] at a "..." line. A "..."
// after a document that ended already (only comments between) belongs to
// that document's segment: alone it would not parse.
func endDocument(segs []Segment, src []byte, start, end, line int, onlyPreamble bool) []Segment {
	if onlyPreamble && len(segs) > 0 {
		last := &segs[len(segs)-1]
		last.Src = src[start-len(last.Src) : end]
		return segs
	}
	return append(segs, Segment{Src: src[start:end], Line: line})
}

func marker(l []byte, m string) bool {
	if !bytes.HasPrefix(l, []byte(m)) {
		return false
	}
	if len(l) == len(m) {
		return true
	}
	switch l[len(m)] {
	case ' ', '\t', '\n', '\r':
		return true
	}
	return false
}

// preamble reports whether a line can stand before a document's content:
// blank, a comment or a directive.
func preamble(l []byte) bool {
	t := bytes.TrimLeft(l, " \t\r\n\ufeff")
	t = bytes.TrimPrefix(t, []byte("\ufeff"))
	return len(t) == 0 || t[0] == '#' || t[0] == '%'
}

// ParseSelected parses only the documents of src for which keep returns
// true, with positions in the whole stream: rendered manifests of
// megabytes in which a few documents matter cost what those documents
// cost. Docs holds the kept documents in stream order. A syntax error in one
// document does not stop the others; the first is returned as *Error.
func ParseSelected(path string, src []byte, keep func(doc []byte) bool) (*File, error) {
	segs := Split(src)
	if len(segs) == 1 {
		if !keep(src) {
			f := newFile(path, src)
			f.Partial = true
			return f, nil
		}
		return Parse(path, src)
	}
	f := newFile(path, src)
	var first error
	for _, s := range segs {
		if !keep(s.Src) {
			f.Partial = true
			continue
		}
		docs, err := parseDocs(s.Src) // placed in the stream's lines, not its own
		shift(docs, s.Line, 0, map[*yaml.Node]bool{})
		f.Docs = append(f.Docs, docs...)
		var ye *Error
		if errors.As(err, &ye) && ye.Line > 0 {
			ye.Line += s.Line
		}
		if err != nil && first == nil {
			first = err
		}
	}
	return f, first
}
