// Package catalog knows every Weaviate release and pre-release, the latest
// patch of each minor, and which Weaviate version each Helm chart version
// deploys by default. The data is embedded (see data/SOURCES.md) and can be
// replaced by a newer file.
package catalog

import (
	_ "embed"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/Masterminds/semver/v3"

	"github.com/wvlint/wvlint/internal/tsv"
	"github.com/wvlint/wvlint/internal/version"
)

//go:embed data/weaviate-releases.tsv
var releasesTSV []byte

//go:embed data/weaviate-helm-chart-versions.tsv
var chartsTSV []byte

// Release is one tagged Weaviate version.
type Release struct {
	Version    *semver.Version
	Date       time.Time
	Prerelease bool
}

// Chart is one Weaviate Helm chart version and the image tag it deploys when
// values set none.
type Chart struct {
	Version    string
	Date       time.Time
	AppVersion string
	DefaultTag string
}

// Catalog is an immutable release list.
type Catalog struct {
	Source   string    // "embedded" or a file path
	AsOf     time.Time // date of the newest entry
	Releases []Release // oldest first
	// ChartsAsOf is the date of the newest chart in the chart table.
	ChartsAsOf time.Time
	byVer      map[string]int
	latest     map[string]*semver.Version // minor -> newest release (not pre-release)
	lastDate   map[string]time.Time       // minor -> date of its newest release
	preMinor   map[string]bool            // minors with a pre-release
	charts     map[string]Chart
	newestCh   *semver.Version // newest chart version
}

// Standing says what the catalog knows about a version it may not list.
type Standing int

// The standings.
const (
	// Listed: a tag the catalog has.
	Listed Standing = iota
	// Newer: not listed, but it may have been published after the
	// catalog's date; rules treat it as the newest patch of its minor.
	Newer
	// Impossible: the catalog shows it cannot exist (a patch below its
	// minor's latest that was never tagged, a patch of a minor that had
	// stopped receiving patches well before the catalog's date).
	Impossible
)

// DormantAfter is how long a minor may go without a patch before a patch
// beyond its latest is taken as impossible rather than newer than the
// catalog. The longest gap between two patches of one minor in the
// embedded catalog is 144 days (1.26.17 -> 1.26.18).
const DormantAfter = 180 * 24 * time.Hour

// Embedded returns the catalog compiled into wvlint, parsed once: callers
// on many goroutines (the golangci-lint plugin runs the analyzer for many
// packages at once) share the one value, which nobody modifies.
var Embedded = sync.OnceValue(func() *Catalog {
	c, err := Parse("embedded", releasesTSV, chartsTSV)
	if err != nil {
		panic("embedded catalog: " + err.Error()) // a build defect, caught by tests
	}
	return c
})

// EmbeddedCharts is the embedded chart table, for catalogs loaded from a
// release file that carries no chart table.
func EmbeddedCharts() []byte { return chartsTSV }

// Parse reads a release table (version, date, kind) and a chart table
// (chart version, date, app version, default tag). Lines starting with # are
// comments. Errors name the line.
func Parse(source string, releases, charts []byte) (*Catalog, error) {
	c := &Catalog{Source: source, latest: map[string]*semver.Version{},
		lastDate: map[string]time.Time{}, preMinor: map[string]bool{}, charts: map[string]Chart{}}
	err := tsv.Rows(releases, 3, func(line int, f []string) error {
		v, err := semver.StrictNewVersion(strings.TrimPrefix(f[0], "v"))
		if err != nil {
			return fmt.Errorf("version %q: %w", f[0], err)
		}
		d, err := time.Parse(time.DateOnly, f[1])
		if err != nil {
			return fmt.Errorf("date %q: %w", f[1], err)
		}
		if f[2] != "release" && f[2] != "prerelease" {
			return fmt.Errorf("kind %q: want release or prerelease", f[2])
		}
		c.Releases = append(c.Releases, Release{Version: v, Date: d, Prerelease: f[2] == "prerelease"})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	if len(c.Releases) == 0 {
		return nil, fmt.Errorf("%s: no releases", source)
	}
	sort.Slice(c.Releases, func(i, j int) bool { return c.Releases[i].Version.LessThan(c.Releases[j].Version) })
	c.byVer = make(map[string]int, len(c.Releases))
	for i, r := range c.Releases {
		// A strictly parsed version prints as it is written (no leading
		// zeros, no "v"): its text is the key Has and Lookup find it by,
		// without formatting 500 versions.
		c.byVer[r.Version.Original()] = i
		if r.Date.After(c.AsOf) {
			c.AsOf = r.Date
		}
		m := version.MinorOf(r.Version)
		if r.Prerelease {
			c.preMinor[m] = true
			continue
		}
		if l := c.latest[m]; l == nil || l.LessThan(r.Version) {
			c.latest[m] = r.Version
		}
		if r.Date.After(c.lastDate[m]) {
			c.lastDate[m] = r.Date
		}
	}
	err = tsv.Rows(charts, 4, func(line int, f []string) error {
		d, err := time.Parse(time.DateOnly, f[1])
		if err != nil {
			return fmt.Errorf("date %q: %w", f[1], err)
		}
		key := strings.TrimPrefix(f[0], "v")
		c.charts[key] = Chart{Version: f[0], Date: d, AppVersion: f[2], DefaultTag: f[3]}
		if v, err := semver.StrictNewVersion(key); err == nil && (c.newestCh == nil || c.newestCh.LessThan(v)) {
			c.newestCh = v
		}
		if d.After(c.ChartsAsOf) {
			c.ChartsAsOf = d
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("chart table: %w", err)
	}
	return c, nil
}

// Has reports whether v is a tagged release or pre-release.
func (c *Catalog) Has(v *semver.Version) bool {
	_, ok := c.byVer[v.String()]
	return ok
}

// Lookup returns the release entry for v.
func (c *Catalog) Lookup(v *semver.Version) (Release, bool) {
	i, ok := c.byVer[v.String()]
	if !ok {
		return Release{}, false
	}
	return c.Releases[i], true
}

// Latest returns the newest release (not pre-release) of a minor ("1.27").
func (c *Catalog) Latest(minor string) (*semver.Version, bool) {
	v, ok := c.latest[minor]
	return v, ok
}

// LatestPushed is the release whose build pushed the `latest` image tag
// last: the newest by date (Weaviate's CI pushes `latest` on every release
// tag build, backports of older minors included), the higher version on
// the same day. Version is nil for a catalog without releases.
func (c *Catalog) LatestPushed() Release {
	var best Release
	for _, r := range c.Releases {
		if r.Prerelease {
			continue
		}
		if best.Version == nil || r.Date.After(best.Date) || r.Date.Equal(best.Date) && best.Version.LessThan(r.Version) {
			best = r
		}
	}
	return best
}

// Newest is the newest version the catalog knows, pre-releases included.
func (c *Catalog) Newest() *semver.Version { return c.Releases[len(c.Releases)-1].Version }

// NewerThanCatalog reports whether v may have been published after the
// catalog's date: not an error, the catalog is just older than the version.
func (c *Catalog) NewerThanCatalog(v *semver.Version) bool {
	s, _ := c.Standing(v)
	return s == Newer
}

// Standing says whether v is listed, may be newer than the catalog, or
// cannot exist, with the reason for people when it is not listed.
//
// A version is impossible only when the catalog shows it: a patch at or
// below the latest patch of its minor that was never tagged, a patch of a
// minor whose last release is more than DormantAfter before the catalog's
// date, a minor older than the newest with no release, or a pre-release
// of a version already released.
func (c *Catalog) Standing(v *semver.Version) (Standing, string) {
	if c.Has(v) {
		return Listed, ""
	}
	asOf := c.AsOf.Format(time.DateOnly)
	base := v
	if v.Prerelease() != "" || v.Metadata() != "" {
		base = semver.New(v.Major(), v.Minor(), v.Patch(), "", "")
		if c.Has(base) {
			return Impossible, fmt.Sprintf("%s was released without this pre-release", base)
		}
	}
	m := version.MinorOf(base)
	latest, ok := c.latest[m]
	if !ok {
		if c.preMinor[m] || c.newerMinor(base) {
			return Newer, fmt.Sprintf("%s is newer than the release catalog of %s", v, asOf)
		}
		return Impossible, fmt.Sprintf("Weaviate published no %s release", m)
	}
	if !latest.LessThan(base) {
		return Impossible, fmt.Sprintf("%s was never tagged; the latest patch of %s is %s", base, m, latest)
	}
	last := c.lastDate[m]
	if c.AsOf.Sub(last) > DormantAfter {
		return Impossible, fmt.Sprintf("%s stopped receiving patches at %s (%s), long before the catalog's date %s", m, latest, last.Format(time.DateOnly), asOf)
	}
	return Newer, fmt.Sprintf("%s is newer than the release catalog of %s", v, asOf)
}

// newerMinor reports whether v's minor is past the newest minor with a
// release.
func (c *Catalog) newerMinor(v *semver.Version) bool {
	var newest *semver.Version
	for _, l := range c.latest {
		if newest == nil || newest.LessThan(l) {
			newest = l
		}
	}
	if newest == nil {
		return true
	}
	return v.Major() > newest.Major() || v.Major() == newest.Major() && v.Minor() > newest.Minor()
}

// Minors lists every minor with at least one release, oldest first.
func (c *Catalog) Minors() []string {
	var out []string
	for _, r := range c.Releases {
		m := version.MinorOf(r.Version)
		if len(out) == 0 || out[len(out)-1] != m {
			if _, ok := c.latest[m]; ok {
				out = append(out, m)
			}
		}
	}
	return out
}

// Chart returns the chart entry of a chart version ("17.8.3" or "v17.8.3").
func (c *Catalog) Chart(version string) (Chart, bool) {
	ch, ok := c.charts[strings.TrimPrefix(strings.TrimSpace(version), "v")]
	return ch, ok
}

// ChartStanding says whether a chart version is in the chart table, newer
// than every chart in it (published after the table's date), or neither.
func (c *Catalog) ChartStanding(version string) Standing {
	key := strings.TrimPrefix(strings.TrimSpace(version), "v")
	if _, ok := c.charts[key]; ok {
		return Listed
	}
	v, err := semver.StrictNewVersion(key)
	if err != nil || v.Prerelease() != "" || c.newestCh == nil || !c.newestCh.LessThan(v) {
		return Impossible
	}
	return Newer
}

// Charts lists the chart table, oldest first.
func (c *Catalog) Charts() []Chart {
	out := make([]Chart, 0, len(c.charts))
	for _, ch := range c.charts {
		out = append(out, ch)
	}
	sort.Slice(out, func(i, j int) bool {
		a, errA := semver.StrictNewVersion(strings.TrimPrefix(out[i].Version, "v"))
		b, errB := semver.StrictNewVersion(strings.TrimPrefix(out[j].Version, "v"))
		if errA != nil || errB != nil {
			return out[i].Version < out[j].Version
		}
		return a.LessThan(b)
	})
	return out
}
