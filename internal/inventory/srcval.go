package inventory

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/wvlint/wvlint/internal/helmval"
	"github.com/wvlint/wvlint/internal/pos"
	"github.com/wvlint/wvlint/internal/srcval"
	"github.com/wvlint/wvlint/internal/version"
)

// The sources that read values without running anything (Terraform,
// scripts) hand them over as srcval.Values; these helpers turn them into
// Helm values and image deployments.

// viaRelated lists where a value was reached through, as related places.
func viaRelated(v srcval.Value, what string) []Related {
	var out []Related
	for _, h := range v.Hops {
		if h.Ref.Valid() {
			out = append(out, Related{File: h.Ref.File, Line: h.Ref.Line, Column: h.Ref.Col,
				Message: fmt.Sprintf("%s from %s here", what, h.Via)})
		}
	}
	return out
}

// helmScalar is a srcval value as a Helm value: a scalar at the position
// of its text, or Unknown with why.
func helmScalar(v srcval.Value) helmval.Value {
	var via []helmval.Via
	for _, r := range viaRelated(v, "the value comes") {
		via = append(via, helmval.Via{At: pos.Span{File: r.File, Line: r.Line, Col: r.Column}, Message: r.Message})
	}
	at := pos.Span{File: v.Span.File, Line: v.Span.Line, Col: v.Span.Col, EndCol: v.Span.Col}
	if !v.Known {
		return helmval.Value{Kind: helmval.Unknown, Why: v.Why, Span: v.Span, At: at, Via: via}
	}
	sp := v.Span
	if s, _, ok := v.At(0, pos.RuneLen(v.Text)); ok {
		sp = s
		at = pos.Span{File: s.File, Line: s.Line, Col: s.Col, EndCol: s.Col}
	}
	return helmval.Value{Kind: helmval.Scalar, Text: v.Text, Span: sp, At: at, Via: via}
}

// dottedMap builds nested Helm maps from dotted keys ("image.tag"), in
// order; a later key wins.
func dottedMap(at pos.Span, keys []string, vals []helmval.Value) helmval.Value {
	root := helmval.Value{Kind: helmval.Map, Span: at, At: at}
	for i, k := range keys {
		setPath(&root, strings.Split(k, "."), vals[i])
	}
	return root
}

func setPath(m *helmval.Value, keys []string, v helmval.Value) {
	for i := range m.Fields {
		f := &m.Fields[i]
		if f.Key != keys[0] {
			continue
		}
		if len(keys) == 1 {
			f.Value = v
			return
		}
		if f.Value.Kind != helmval.Map {
			f.Value = helmval.Value{Kind: helmval.Map, Span: v.At, At: v.At}
		}
		setPath(&f.Value, keys[1:], v)
		return
	}
	f := helmval.Field{Key: keys[0], KeyAt: v.At}
	if len(keys) == 1 {
		f.Value = v
	} else {
		f.Value = helmval.Value{Kind: helmval.Map, Span: v.At, At: v.At}
		setPath(&f.Value, keys[1:], v)
	}
	m.Fields = append(m.Fields, f)
}

// imageFrom fills d's image, version, position and evidence from an
// image reference read as a srcval value; expr is the reference as written
// at at, verb what the file does with it ("docker run of"). It reports
// false when the reference is not a Weaviate server image.
func imageFrom(id *idContext, v srcval.Value, expr string, d *Deployment, verb string, at pos.Span) bool {
	where := fmt.Sprintf("%s:%d %s", filepath.ToSlash(at.File), at.Line, verb)
	if !v.Known {
		if !strings.Contains(strings.ToLower(expr), "weaviate") && !id.mirrorText(expr) {
			return false
		}
		img := strings.NewReplacer(`"`, "", "'", "").Replace(expr)
		d.Evidence = fmt.Sprintf("%s %s", where, imageName(img))
		d.setSpan(v.Span, "")
		d.Image, d.Reason = img, "the image cannot be read: "+v.Why
		d.Tag = version.Tag{Kind: version.Invalid, Reason: d.Reason}
		d.Related = append(d.Related, viaRelated(v, "the image comes")...)
		return true
	}
	ref, ok := identifyImage(id, v.Text, where, d)
	switch {
	case !ok:
		return false
	case ref == nil:
		d.setSpan(v.Span, v.Text)
		return true
	}
	if ref.Tag == "" {
		d.setSpan(v.Span, v.Text)
		return true
	}
	sp, seg, ok := v.At(ref.TagOffset, pos.RuneLen(ref.Tag))
	if !ok {
		sp = v.Span
	}
	d.setSpan(sp, ref.Tag)
	d.Related = append(d.Related, viaRelated(srcval.Value{Hops: seg.Hops}, "the image takes its tag")...)
	return true
}

// insideTree cleans a path a source names (relative to the scan root)
// and refuses one that leaves the tree: wvlint follows no path out of it.
func insideTree(p string) (string, bool) {
	if p == "" || filepath.IsAbs(p) || strings.HasPrefix(filepath.ToSlash(p), "/") {
		return "", false
	}
	c := filepath.Clean(p)
	if c == ".." || strings.HasPrefix(c, ".."+string(filepath.Separator)) {
		return "", false
	}
	return c, true
}

// setEnv records an environment variable a container gets, read without
// running anything (a script's -e, a Terraform env block); an opaque or
// unreadable one is kept as opaque, at its position.
func (d *Deployment) setEnv(name string, v srcval.Value, opaque bool) {
	if opaque || !v.Known {
		d.Env[name] = EnvVar{Span: v.Span, Opaque: true}
		return
	}
	d.Env[name] = EnvVar{Value: v.Text, Span: helmScalar(v).Span}
}
