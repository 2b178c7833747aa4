package inventory

import (
	"path/filepath"
	"strings"

	"github.com/wvlint/wvlint/internal/tiltfile"
)

var tiltSource = &Source{
	Name: "tilt",
	Doc: "Tiltfiles (Starlark, never run): `helm_resource` of the weaviate chart (with `helm_repo`) and `helm_remote`, " +
		"with `--version`, `--values`/`-f` files and `--set` in `flags`, or `version`, `values` and `set`",
	Reads: tiltfile.Is,
	// A values file named alone is the weaviate chart's through the
	// Tiltfile beside it that passes it with --values.
	Neighbours: func(named string, siblings []string) []string {
		if !yamlFile(strings.ToLower(filepath.Base(named))) {
			return nil
		}
		var out []string
		for _, n := range siblings {
			if tiltfile.Is(n) {
				out = append(out, n)
			}
		}
		return out
	},
	Extract: func(in *Input) Found {
		var out Found
		res := tiltfile.Read(in.Load, in.Path, in.Bytes())
		for _, p := range res.Problems {
			out.errorf(p.File, p.Line, "%s", p.Message)
		}
		for _, n := range res.Near {
			out.nearMiss(n.At, n.Message)
		}
		out.Releases = helmReleases("tilt:"+filepath.ToSlash(in.Path), Tilt, []string{in.Path}, res.Helm)
		return out
	},
}
