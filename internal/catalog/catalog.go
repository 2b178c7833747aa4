// Package catalog knows every Weaviate release and pre-release, the latest
// patch of each minor, and which Weaviate version each Helm chart version
// deploys by default. The data is embedded (see data/SOURCES.md) and can be
// replaced by a newer file.
package catalog

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/Masterminds/semver/v3"
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
	byVer    map[string]int
	latest   map[string]*semver.Version // minor -> newest release (not pre-release)
	charts   map[string]Chart
}

var embedded *Catalog

// Embedded returns the catalog compiled into wvlint.
func Embedded() *Catalog {
	if embedded == nil {
		c, err := Parse("embedded", releasesTSV, chartsTSV)
		if err != nil {
			panic("embedded catalog: " + err.Error()) // a build defect, caught by tests
		}
		embedded = c
	}
	return embedded
}

// EmbeddedCharts is the embedded chart table, for catalogs loaded from a
// release file that carries no chart table.
func EmbeddedCharts() []byte { return chartsTSV }

// Parse reads a release table (version, date, kind) and a chart table
// (chart version, date, app version, default tag). Lines starting with # are
// comments. Errors name the line.
func Parse(source string, releases, charts []byte) (*Catalog, error) {
	c := &Catalog{Source: source, byVer: map[string]int{}, latest: map[string]*semver.Version{}, charts: map[string]Chart{}}
	err := eachRow(releases, 3, func(line int, f []string) error {
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
	for i, r := range c.Releases {
		c.byVer[r.Version.String()] = i
		if r.Date.After(c.AsOf) {
			c.AsOf = r.Date
		}
		if !r.Prerelease {
			m := minor(r.Version)
			if l := c.latest[m]; l == nil || l.LessThan(r.Version) {
				c.latest[m] = r.Version
			}
		}
	}
	err = eachRow(charts, 4, func(line int, f []string) error {
		d, err := time.Parse(time.DateOnly, f[1])
		if err != nil {
			return fmt.Errorf("date %q: %w", f[1], err)
		}
		c.charts[strings.TrimPrefix(f[0], "v")] = Chart{Version: f[0], Date: d, AppVersion: f[2], DefaultTag: f[3]}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("chart table: %w", err)
	}
	return c, nil
}

func eachRow(data []byte, cols int, fn func(int, []string) error) error {
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < cols {
			return fmt.Errorf("line %d: want %d tab-separated columns, got %d", n, cols, len(f))
		}
		if err := fn(n, f); err != nil {
			return fmt.Errorf("line %d: %w", n, err)
		}
	}
	return sc.Err()
}

func minor(v *semver.Version) string { return fmt.Sprintf("%d.%d", v.Major(), v.Minor()) }

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

// Newest is the newest version the catalog knows, pre-releases included.
func (c *Catalog) Newest() *semver.Version { return c.Releases[len(c.Releases)-1].Version }

// NewerThanCatalog reports whether v is past everything the catalog knows:
// not an error, the catalog is just older than the version.
func (c *Catalog) NewerThanCatalog(v *semver.Version) bool { return c.Newest().LessThan(v) }

// Minors lists every minor with at least one release, oldest first.
func (c *Catalog) Minors() []string {
	var out []string
	for _, r := range c.Releases {
		m := minor(r.Version)
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
