// Package imageref parses container image references as Docker does and
// says whether one is a Weaviate server image and where in the text its
// tag is written.
package imageref

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Ref is a parsed image reference.
type Ref struct {
	Raw    string // as written
	Name   string // normalized repository name, e.g. docker.io/semitechnologies/weaviate
	Path   string // repository path without the registry, e.g. semitechnologies/weaviate
	Tag    string // "" when none
	Digest string // "" when none
	// TagOffset is the code-point offset of the tag text in Raw, or of the
	// end of the name when there is no tag (where a tag would be written).
	TagOffset int
}

// weaviatePath is the repository path of the server image on every registry
// (docker.io, cr.weaviate.io, mirror.gcr.io and private mirrors that keep the
// path): module images such as semitechnologies/transformers-inference are
// not servers.
const weaviatePath = "semitechnologies/weaviate"

// WeaviatePath is weaviatePath, for byte pre-filters: text LooksWeaviate
// accepts holds it, lower-cased.
const WeaviatePath = weaviatePath

// Parse parses raw as Docker does (github.com/distribution/reference's
// ParseNormalizedNamed, see grammar.go). Surrounding whitespace is not
// allowed, as in Docker.
func Parse(raw string) (Ref, error) {
	n, err := parseNormalizedNamed(raw)
	if err != nil {
		return Ref{}, fmt.Errorf("invalid image reference %q: %w", raw, err)
	}
	r := Ref{Raw: raw, Name: n.name(), Path: n.path, Tag: n.tag, Digest: n.digest}
	r.TagOffset = tagOffset(raw)
	return r, nil
}

// tagOffset finds the tag in raw: after the last "/" (a registry port is
// before it), the first ":" before any "@".
func tagOffset(raw string) int {
	name := raw
	if at := strings.IndexByte(name, '@'); at >= 0 {
		name = name[:at]
	}
	slash := strings.LastIndexByte(name, '/')
	if c := strings.IndexByte(name[slash+1:], ':'); c >= 0 {
		return utf8.RuneCountInString(name[:slash+1+c+1])
	}
	return utf8.RuneCountInString(name)
}

// IsWeaviate reports whether the reference names the Weaviate server image.
func (r Ref) IsWeaviate() bool { return IsWeaviatePath(r.Path) }

// IsWeaviatePath reports whether a repository path (with or without a
// registry) ends in semitechnologies/weaviate.
func IsWeaviatePath(p string) bool {
	p = strings.ToLower(strings.Trim(p, "/"))
	return p == weaviatePath || strings.HasSuffix(p, "/"+weaviatePath)
}

// LooksWeaviate is a cheap test on unparsed text, before interpolation:
// does it mention the Weaviate server repository?
func LooksWeaviate(s string) bool {
	s = strings.ToLower(s)
	i := strings.Index(s, weaviatePath)
	if i < 0 {
		return false
	}
	rest := s[i+len(weaviatePath):]
	return rest == "" || rest[0] == ':' || rest[0] == '@' || rest[0] == '$' || rest[0] == '"'
}
