package catalog

import (
	"fmt"
	"os"
	"path/filepath"
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

// Load picks the catalog to use: the file named by --releases or
// WVLINT_RELEASES (explicit: an error if unreadable), else the cached
// refresh when it is newer than the embedded table, else the embedded one.
// The chart table always comes from the embedded data.
func Load(explicit string) (*Catalog, error) {
	if explicit != "" {
		data, err := os.ReadFile(explicit)
		if err != nil {
			return nil, fmt.Errorf("release catalog: %w", err)
		}
		return Parse(explicit, data, chartsTSV)
	}
	emb := Embedded()
	if cached := readCache(); cached != nil && cached.AsOf.After(emb.AsOf) {
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
	if c, err := Parse(path, data, chartsTSV); err == nil {
		return c
	}
	return nil
}

// Format writes a catalog as a release table that Parse reads back.
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
	return b
}
