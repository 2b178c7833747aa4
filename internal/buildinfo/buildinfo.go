// Package buildinfo says which wvlint this is: the version a release build
// stamps with -ldflags, else the module version `go install ...@vX` records.
package buildinfo

import "runtime/debug"

// version is stamped by release builds:
//
//	go build -ldflags "-X github.com/wvlint/wvlint/internal/buildinfo.version=v1.2.3"
var version string

// Version is wvlint's version: the stamped one, else the main module's
// version from the build info (a tag under `go install ...@v1.2.3`, a
// pseudo-version in a git checkout), else "(devel)".
func Version() string {
	bi, ok := debug.ReadBuildInfo()
	return resolve(version, bi, ok)
}

func resolve(stamped string, bi *debug.BuildInfo, ok bool) string {
	if stamped != "" {
		return stamped
	}
	if ok && bi != nil && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}
