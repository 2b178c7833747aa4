package inventory

import (
	"path/filepath"

	"github.com/wvlint/wvlint/internal/tiltfile"
)

var tiltSource = &Source{
	Name: "tilt",
	Doc: "Tiltfiles (Starlark, never run): `helm_resource` of the weaviate chart (with `helm_repo`) and `helm_remote`, " +
		"with `--version`, `--values`/`-f` files and `--set` in `flags`, or `version`, `values` and `set`",
	Reads: tiltfile.Is,
	// A values file given alone (pre-commit) is the weaviate chart's
	// through the Tiltfile beside or above it that passes it with --values.
	Neighbours: tiltfilesBeside,
	Referrers:  tiltfilesBeside,
	Extract: func(in *Input) Found {
		var out Found
		res := tiltfile.Read(in.Load, in.Path, in.Bytes())
		out.scriptProblems(res.Problems, res.Near)
		out.Releases = helmReleases("tilt:"+filepath.ToSlash(in.Path), Tilt, []string{in.Path}, res.Helm)
		return out
	},
	Examples: []string{"Tiltfile", "dev/Tiltfile.ci", "services/db.tiltfile"},
}

// tiltfilesBeside lists the Tiltfiles among names, for a values file given
// alone: one of them may install the chart with it.
var tiltfilesBeside = installersBeside(tiltfile.Is)
