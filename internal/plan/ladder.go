package plan

import (
	"fmt"

	"github.com/Masterminds/semver/v3"

	"github.com/wvlint/wvlint/internal/catalog"
	"github.com/wvlint/wvlint/internal/version"
)

// NewestRelease is the newest version the catalog knows that is not a
// pre-release.
func NewestRelease(cat *catalog.Catalog) *semver.Version {
	var newest *semver.Version
	for _, m := range cat.Minors() {
		if l, ok := cat.Latest(m); ok && (newest == nil || newest.LessThan(l)) {
			newest = l
		}
	}
	return newest
}

// Ladder is the versions to run, one at a time, from `from` up to `to`:
// the latest patch of from's minor when from is not on it yet, then the
// latest patch of each minor in between, then to itself (1.27.0 -> 1.27.27
// -> 1.28.16 -> ... -> to). Each rung is one reviewable change; the
// migration page's actions around each are what Make plans. It is empty
// when from is to, and an error for a downgrade, a change of major version,
// or a minor in between that the catalog does not know.
func Ladder(from, to *semver.Version, cat *catalog.Catalog) ([]*semver.Version, error) {
	switch {
	case from.Equal(to):
		return nil, nil
	case to.LessThan(from):
		return nil, fmt.Errorf("%s is older than %s: a downgrade is not a ladder (see 'wvlint plan %s %s')", to, from, from, to)
	case from.Major() != to.Major():
		return nil, fmt.Errorf("%s and %s are different major versions: no ladder is known between them", from, to)
	case to.Minor()-from.Minor() > maxMinors:
		return nil, fmt.Errorf("%s and %s are too far apart to climb minor by minor", from, to)
	}
	var rungs []*semver.Version
	if from.Minor() != to.Minor() {
		if l, ok := cat.Latest(version.MinorOf(from)); ok && from.LessThan(l) {
			rungs = append(rungs, l)
		}
	}
	for m := from.Minor() + 1; m < to.Minor(); m++ {
		minor := fmt.Sprintf("%d.%d", from.Major(), m)
		l, ok := cat.Latest(minor)
		if !ok {
			return nil, fmt.Errorf("the catalog (as of %s) knows no release of %s, a minor on the way from %s to %s; run 'wvlint releases update'", cat.AsOf.Format("2006-01-02"), minor, from, to)
		}
		rungs = append(rungs, l)
	}
	return append(rungs, to), nil
}
