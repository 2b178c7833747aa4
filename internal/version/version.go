// Package version classifies the tag of a Weaviate image: a release, a
// pre-release, a preview build, a floating tag, or no tag at all.
//
// Facts: Weaviate's CI publishes release images as "X.Y.Z" (no leading v),
// release candidates as "X.Y.Z-rc.N", preview builds as "preview-<slug>-<sha>"
// and "X.Y.Z-<7 hex sha>", branch builds as "<branch>-<sha>" (for example
// "stable-v1.26-<sha>"), "nightly" from main, and "latest" on every release
// (source: weaviate/weaviate ci/push_docker.sh, summarised in the project's
// knowledge notes).
package version

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/Masterminds/semver/v3"
)

// Kind says what sort of tag an image carries.
type Kind int

// The kinds of tag.
const (
	Release    Kind = iota // 1.27.5, v1.27.5
	Prerelease             // 1.30.0-rc.0, -alpha, -beta
	Preview                // 1.27.5-abc1234, preview-*, main-*: an unreleased build
	Floating               // latest, nightly, 1.27, stable-v1.27-*: moves over time
	Missing                // no tag at all (Docker means latest)
	Digest                 // only a digest: no readable version
	Invalid                // not a version wvlint can read
)

var kindNames = [...]string{"release", "prerelease", "preview", "floating", "missing", "digest", "invalid"}

func (k Kind) String() string { return kindNames[k] }

// Tag is a classified image tag.
type Tag struct {
	Raw     string          // as written
	Kind    Kind            //
	Version *semver.Version // set for Release and Prerelease
	Minor   string          // "1.27" when a floating or preview tag names its minor
	Reason  string          // why no version could be read, for people
}

// String is the resolved version without a leading v, or "".
func (t Tag) String() string {
	if t.Version == nil {
		return ""
	}
	return t.Version.String()
}

// The patterns are compiled on first use, not when the program starts
// (every run paid for them, `wvlint version` too).
var (
	fullRE    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?$`) })
	minorRE   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^v?(\d+)\.(\d+)$`) })
	suffixRE  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^v?(\d+)\.(\d+)-[0-9A-Za-z][0-9A-Za-z._-]*$`) })
	shaRE     = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9a-f]{7,40}(?:\.(?:amd64|arm64))?$`) })
	preRE     = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(rc|alpha|beta)(?:[.-]?\d+)*$`) })
	stableRE  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^stable-v?(\d+\.\d+)(?:-|$)`) })
	branchRE  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(preview|main|master)-`) })
	movingSet = map[string]bool{"latest": true, "nightly": true, "stable": true, "edge": true, "dev": true, "main": true, "master": true}
)

// NoTag is the reason of an image reference without a tag, which Docker
// pulls as latest (other Missing tags, such as a Helm chart's unknown
// default, have their own reasons).
const NoTag = "no tag: the image floats with latest"

// Parse classifies a tag. An empty raw means the reference had no tag.
func Parse(raw string) Tag {
	t := Tag{Raw: raw}
	switch {
	case raw == "":
		t.Kind, t.Reason = Missing, NoTag
	case movingSet[strings.ToLower(raw)]:
		t.Kind, t.Reason = Floating, fmt.Sprintf("%q is a moving tag, not a version", raw)
	case minorRE().MatchString(raw):
		m := minorRE().FindStringSubmatch(raw)
		t.Kind, t.Minor = Floating, m[1]+"."+m[2]
		t.Reason = fmt.Sprintf("%q names a minor, not a patch release", raw)
	case suffixRE().MatchString(raw) && !fullRE().MatchString(raw):
		m := suffixRE().FindStringSubmatch(raw)
		t.Kind, t.Minor = Floating, m[1]+"."+m[2]
		t.Reason = fmt.Sprintf("%q names a minor, not a patch release", raw)
	case stableRE().MatchString(raw):
		t.Kind, t.Minor = Floating, stableRE().FindStringSubmatch(raw)[1]
		t.Reason = fmt.Sprintf("%q is a branch build of stable/v%s, not a release", raw, t.Minor)
	case branchRE().MatchString(raw):
		t.Kind, t.Reason = Preview, fmt.Sprintf("%q is a preview build, not a release", raw)
	case fullRE().MatchString(raw):
		m := fullRE().FindStringSubmatch(raw)
		pre := m[4]
		if pre != "" && !preRE().MatchString(strings.ToLower(pre)) && shaRE().MatchString(pre) {
			t.Kind, t.Minor = Preview, m[1]+"."+m[2]
			t.Reason = fmt.Sprintf("%q is a preview build of %s.%s.%s, not a release", raw, m[1], m[2], m[3])
			return t
		}
		v, err := semver.StrictNewVersion(strings.TrimPrefix(raw, "v"))
		if err != nil {
			t.Kind, t.Reason = Invalid, fmt.Sprintf("%q is not a valid version: %v", raw, err)
			return t
		}
		t.Version = v
		t.Kind = Release
		if pre != "" {
			t.Kind = Prerelease
		}
	default:
		t.Kind, t.Reason = Invalid, fmt.Sprintf("%q is not a Weaviate version", raw)
	}
	return t
}

// ParseVersion reads a version a user typed ("1.27.5", "v1.27.5",
// "1.30.0-rc.0"). It rejects floating and malformed input with a reason.
func ParseVersion(s string) (*semver.Version, error) {
	t := Parse(strings.TrimSpace(s))
	if t.Version == nil {
		if t.Reason == "" {
			t.Reason = fmt.Sprintf("%q is not a version", s)
		}
		return nil, fmt.Errorf("%s", t.Reason)
	}
	return t.Version, nil
}

// MinorOf returns "1.27" for 1.27.5.
func MinorOf(v *semver.Version) string {
	return strconv.FormatUint(v.Major(), 10) + "." + strconv.FormatUint(v.Minor(), 10)
}
