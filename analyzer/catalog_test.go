package analyzer

import (
	"sync/atomic"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/wvlint/wvlint/internal/catalog"
)

// TestCatalogLoadedOnce runs the analyzer over several packages, as a
// go/analysis driver does (in parallel): the catalog is loaded once for
// them all, not once per package.
func TestCatalogLoadedOnce(t *testing.T) {
	var loads atomic.Int32
	old := loadCatalog
	loadCatalog = func(file string) (*catalog.Catalog, error) {
		loads.Add(1)
		return old(file)
	}
	catalogs.Clear()
	t.Cleanup(func() { loadCatalog = old; catalogs.Clear() })
	analysistest.Run(t, analysistest.TestData(), Analyzer, "pins", "clean")
	if n := loads.Load(); n != 1 {
		t.Errorf("the catalog was loaded %d times for two packages, want once", n)
	}
}
