package inventory

import (
	"strings"
	"testing"
)

// panicFS panics reading one file, as a bug in a reader would: the real
// readers have no known panic to show this with.
type panicFS struct {
	memFS
	bad string
}

func (p panicFS) ReadFile(name string) ([]byte, error) {
	if name == p.bad {
		var m map[string]int
		m[name]++ //nolint:staticcheck // a deliberate runtime panic: assignment to entry in nil map
	}
	return p.memFS.ReadFile(name)
}

// TestScanPanicRaisedOnCaller: a panic while reading one file does not
// kill the process from a worker goroutine (exit 2 and a stack trace); the
// other files are still read, and ScanChan panics on the caller's
// goroutine, naming the file, for the CLI to turn into exit 3.
func TestScanPanicRaisedOnCaller(t *testing.T) {
	fsys := panicFS{memFS: memFS{
		"a/compose.yaml": "services:\n  w:\n    image: semitechnologies/weaviate:1.28.3\n",
		"b/compose.yaml": "services:\n  w:\n    image: semitechnologies/weaviate:1.28.4\n",
	}, bad: "b/compose.yaml"}
	defer func() {
		v := recover()
		msg, _ := v.(string)
		if !strings.HasPrefix(msg, "reading b/compose.yaml: assignment to entry in nil map") {
			t.Errorf("recovered %v, want the file's panic", v)
		}
	}()
	Scan(fsys, []string{"a/compose.yaml", "b/compose.yaml"}, Options{Workers: 1})
	t.Error("Scan returned normally")
}
