package catalog

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// CacheFile is where `wvlint releases update` keeps a refreshed release
// table, under os.UserCacheDir.
func CacheFile() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "wvlint", "weaviate-releases.tsv"), nil
}

// chartsSection is the line that starts the chart table in a catalog
// file; the lines before it are the release table. A file without it
// carries releases only, and the embedded chart table is used.
const chartsSection = "[charts]"

// ParseFile reads a catalog file: a release table, optionally followed by
// a "[charts]" line and a chart table (the format of the embedded
// tables). Errors name the line.
func ParseFile(source string, data []byte) (*Catalog, error) {
	releases, charts := data, chartsTSV
	for start := 0; start < len(data); {
		end := bytes.IndexByte(data[start:], '\n')
		if end < 0 {
			end = len(data) - start
		}
		if string(bytes.TrimSpace(data[start:start+end])) == chartsSection {
			// Blank lines in place of the release table keep the chart
			// table's errors on the file's line numbers.
			rest := data[min(start+end+1, len(data)):]
			lines := bytes.Count(data[:start+end], []byte("\n")) + 1
			releases = data[:start]
			charts = append(bytes.Repeat([]byte("\n"), lines), rest...)
			break
		}
		start += end + 1
	}
	return Parse(source, releases, charts)
}

// Load picks the catalog to use: the file named by --releases or
// WVLINT_RELEASES (explicit: an error if unreadable), else the cached
// refresh when it is newer than the embedded table, else the embedded one.
// A file without a chart table uses the embedded chart table.
func Load(explicit string) (*Catalog, error) {
	if explicit != "" {
		data, err := os.ReadFile(explicit)
		if err != nil {
			return nil, fmt.Errorf("release catalog: %w", err)
		}
		return ParseFile(explicit, data)
	}
	emb := Embedded()
	if cached := readCache(); cached != nil && (cached.AsOf.After(emb.AsOf) || cached.ChartsAsOf.After(emb.ChartsAsOf)) {
		return cached, nil
	}
	return emb, nil
}

// readCache returns the cached refresh, or nil when there is none or it is
// broken: a bad cache never hides the embedded table.
func readCache() *Catalog {
	path, err := CacheFile()
	if err != nil {
		return nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	if c, err := ParseFile(path, data); err == nil {
		return c
	}
	return nil
}

// Stale is how old a built-in or cached catalog may be before a lint run
// says so once.
const Stale = 60 * 24 * time.Hour

// Explicit reports whether the catalog was named by the user (--releases,
// WVLINT_RELEASES) rather than built in or cached.
func (c *Catalog) Explicit() bool {
	if c.Source == "embedded" {
		return false
	}
	path, err := CacheFile()
	return err != nil || filepath.Clean(c.Source) != filepath.Clean(path)
}

// StaleNote is the one-line reminder a run prints when the catalog it
// uses (built in or cached, not one the user named) is older than Stale at
// now, or "".
func (c *Catalog) StaleNote(now time.Time) string {
	if c.Explicit() || now.Sub(c.AsOf) <= Stale {
		return ""
	}
	what := "the built-in release catalog"
	if c.Source != "embedded" {
		what = "the cached release catalog"
	}
	return fmt.Sprintf("%s dates from %s, more than %d days ago: run 'wvlint releases update'", what, c.AsOf.Format(time.DateOnly), int(Stale.Hours()/24))
}

// Format writes a catalog as a release table and a chart table that
// ParseFile reads back.
func (c *Catalog) Format(header string) []byte {
	var b []byte
	b = append(b, "# "+header+"\n# columns: version<TAB>date (tag date, UTC)<TAB>kind (release|prerelease)\n"...)
	for _, r := range c.Releases {
		kind := "release"
		if r.Prerelease {
			kind = "prerelease"
		}
		b = append(b, fmt.Sprintf("%s\t%s\t%s\n", r.Version, r.Date.Format("2006-01-02"), kind)...)
	}
	b = append(b, chartsSection+"\n# columns: chart_version<TAB>date<TAB>app_version<TAB>default_image_tag\n"...)
	for _, ch := range c.Charts() {
		b = append(b, fmt.Sprintf("%s\t%s\t%s\t%s\n", ch.Version, ch.Date.Format("2006-01-02"), ch.AppVersion, ch.DefaultTag)...)
	}
	return b
}
