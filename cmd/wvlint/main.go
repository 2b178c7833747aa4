// Command wvlint checks that Weaviate upgrades in a repository are safe.
package main

import (
	"os"
	"runtime/debug"

	"github.com/wvlint/wvlint/internal/cli"
)

func main() { os.Exit(run()) }

// run is the command, for main and the testscripts alike.
func run() int {
	tuneGC()
	return cli.Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
}

// gcPercent and memoryLimit are the collector's settings for a run. A run
// is short and keeps little (about 30 MiB live on a 50,000-file monorepo,
// most of it read buffers and parsed YAML): collecting half as often as
// Go's default saves about a tenth of the user CPU there (paired runs:
// 796 -> 673 ms) for about 15 MiB more peak memory (69 -> 83-90 MiB), and
// the soft limit keeps a very large repository's heap bounded, the
// collector working harder near it instead.
const (
	gcPercent   = 200
	memoryLimit = 512 << 20
)

// tuneGC sets the collector for a run, unless the user set GOGC or
// GOMEMLIMIT: theirs win.
func tuneGC() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(gcPercent)
	debug.SetMemoryLimit(memoryLimit)
}
