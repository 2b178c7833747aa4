package facts

import (
	"fmt"
	"strings"

	"github.com/Masterminds/semver/v3"
)

// TestcontainersDefault is the Weaviate image testcontainers-go's weaviate
// module runs when weaviate.Run (RunContainer) gets no image, for a range
// of module versions.
type TestcontainersDefault struct {
	From, To string // module versions, "v0.30" and "v0.31"; To == From for one
	Weaviate *semver.Version
}

// TestcontainersDefaults is the table, oldest first. Source:
// testcontainers-go modules/weaviate/weaviate.go, the default image of
// each release v0.29 through v0.44 (the module first shipped in v0.29.0;
// the table moved here from the Go reader's message, unchanged).
var TestcontainersDefaults = []TestcontainersDefault{
	{"v0.29", "v0.29", v("1.23.9")},
	{"v0.30", "v0.31", v("1.24.6")},
	{"v0.32", "v0.35", v("1.25.5")},
	{"v0.36", "v0.44", v("1.29.0")},
}

// TestcontainersDefaultsText is the table as a phrase for messages:
// "1.23.9 in v0.29, 1.24.6 in v0.30-v0.31, ...".
func TestcontainersDefaultsText() string {
	var parts []string
	for _, d := range TestcontainersDefaults {
		mods := d.From
		if d.To != d.From {
			mods += "-" + d.To
		}
		parts = append(parts, fmt.Sprintf("%s in %s", d.Weaviate, mods))
	}
	return strings.Join(parts, ", ")
}
