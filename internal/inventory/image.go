package inventory

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wvlint/wvlint/internal/imageref"
	"github.com/wvlint/wvlint/internal/interp"
	"github.com/wvlint/wvlint/internal/pos"
	"github.com/wvlint/wvlint/internal/version"
	"github.com/wvlint/wvlint/internal/yamlx"
)

// written is a string value and where its text is: a YAML scalar, or a
// span on a line (Dockerfiles).
type written struct {
	text string
	at   func(off, length int) pos.Span // position of code points [off, off+length) of text
}

func yamlWritten(f *yamlx.File, n *yaml.Node) written {
	return written{text: n.Value, at: func(off, length int) pos.Span { return f.ValueSpan(n, off, length) }}
}

// resolveImage fills d's image, version, position and evidence from an
// image reference written at w and expanded into res; verb says what the
// file does with the image ("runs", "builds on"). It reports false when the
// reference is not a Weaviate server image.
func resolveImage(id *idContext, w written, res interp.Result, d *Deployment, verb string) bool {
	at := w.at(0, 0)
	if len(res.Unset) > 0 || len(res.Errors) > 0 {
		if !imageref.LooksWeaviate(w.text) && !imageref.LooksWeaviate(res.Text) && !id.mirrorText(res.Text) {
			return false
		}
		d.Evidence = fmt.Sprintf("%s:%d %s %s", at.File, at.Line, verb, imageName(res.Text))
		var why, name string
		if len(res.Errors) > 0 {
			why = res.Errors[0]
		} else {
			name = res.Unset[0]
			why = fmt.Sprintf("variable %s is not set and has no default", name)
		}
		off, length := varRef(w.text, name)
		sp := w.at(off, length)
		d.setSpan(sp, sliceRunes(w.text, off, length))
		d.Image, d.Reason = res.Text, why
		d.Tag = version.Tag{Raw: "", Kind: version.Invalid, Reason: why}
		return true
	}
	ref, ok := identifyImage(id, res.Text, fmt.Sprintf("%s:%d %s", at.File, at.Line, verb), d)
	switch {
	case !ok:
		return false
	case ref == nil:
		d.setSpan(w.at(0, pos.RuneLen(w.text)), w.text)
		return true
	}
	length := pos.RuneLen(ref.Tag)
	if ref.Tag == "" {
		// Point at the whole reference: that is where a tag must be added.
		d.setSpan(w.at(0, pos.RuneLen(w.text)), w.text)
		return true
	}
	seg, delta, ok := res.Origin(ref.TagOffset)
	switch {
	case !ok:
		d.setSpan(w.at(0, pos.RuneLen(w.text)), w.text)
	case seg.Var != "" && seg.From.Valid():
		sp := seg.From
		sp.Col += delta
		sp.EndCol = sp.Col + min(length, seg.Len-delta)
		d.setSpan(sp, ref.Tag)
		ref := w.at(seg.SrcOff, 0)
		d.Related = append(d.Related, Related{File: ref.File, Line: ref.Line, Column: ref.Col,
			Message: fmt.Sprintf("the image takes its tag from %s here", seg.Var)})
	default:
		d.setSpan(w.at(seg.SrcOff+delta, length), ref.Tag)
	}
	return true
}

// identifyImage reads image text as a Weaviate server image for d: its
// evidence (where it is written, what it names, the mirror that makes it
// Weaviate), the image and its tag. ok is false when it is not one; ref is
// nil when the text does not parse (d says why). The caller places d's
// span either way.
func identifyImage(id *idContext, text, where string, d *Deployment) (ref *imageref.Ref, ok bool) {
	r, err := imageref.Parse(text)
	if err != nil {
		if !imageref.LooksWeaviate(text) {
			return nil, false
		}
		d.Evidence = fmt.Sprintf("%s %s", where, imageName(text))
		d.Image, d.Reason = text, err.Error()
		d.Tag = version.Tag{Raw: text, Kind: version.Invalid, Reason: err.Error()}
		return nil, true
	}
	isWeaviate, mirror := id.image(r)
	if !isWeaviate {
		return nil, false
	}
	d.Evidence = fmt.Sprintf("%s %s", where, strings.TrimPrefix(r.Name, "docker.io/"))
	if mirror != "" {
		d.Evidence += ", " + mirror
	}
	d.Image = text
	tag := version.Parse(r.Tag)
	if r.Tag == "" && r.Digest != "" {
		tag = version.Tag{Kind: version.Digest, Reason: "pinned by digest only: the version cannot be read from " + r.Digest}
	}
	d.Tag, d.Version, d.Reason = tag, tag.String(), tag.Reason
	return &r, true
}

// imageName is the repository part of unparsed image text.
func imageName(s string) string {
	if i := strings.IndexByte(s, '@'); i >= 0 {
		s = s[:i]
	}
	if c := strings.LastIndexByte(s, ':'); c > strings.LastIndexByte(s, '/') {
		s = s[:c]
	}
	return s
}

func (d *Deployment) setSpan(sp pos.Span, raw string) {
	d.File, d.Line, d.Column, d.EndColumn, d.Raw = sp.File, sp.Line, sp.Col, sp.EndCol, raw
}

// varRef finds where variable name is referenced in s ("${NAME..." or
// "$NAME"); the whole string when name is "" or not found.
func varRef(s, name string) (off, length int) {
	if name != "" {
		for _, pre := range []string{"${" + name, "$" + name} {
			if i := strings.Index(s, pre); i >= 0 {
				n := len(pre)
				if pre[1] == '{' {
					if j := strings.IndexByte(s[i:], '}'); j >= 0 {
						n = j + 1
					}
				}
				return pos.RuneLen(s[:i]), pos.RuneLen(s[i : i+n])
			}
		}
	}
	return 0, pos.RuneLen(s)
}

func sliceRunes(s string, off, n int) string {
	r := []rune(s)
	if off > len(r) {
		return ""
	}
	return string(r[off:min(off+n, len(r))])
}

// literal is an expansion with nothing to expand.
func literal(s string) interp.Result {
	return interp.Result{Text: s, Segments: []interp.Segment{{Out: 0, Len: pos.RuneLen(s)}}}
}
