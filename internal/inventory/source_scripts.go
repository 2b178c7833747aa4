package inventory

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/wvlint/wvlint/internal/helmval"
	"github.com/wvlint/wvlint/internal/shscript"
	"github.com/wvlint/wvlint/internal/srcval"
)

var scriptsSource = &Source{
	Name: "scripts",
	Doc: "Shell scripts (`*.sh`), Makefiles and Justfiles, with the env files they source or include: `docker run`/`pull`, " +
		"`podman run` of a Weaviate image, and `helm install`/`upgrade` of the weaviate chart with `--version`, `--set` and `-f` values files",
	Reads: func(p string) bool { return shscript.Dialect(p) != "" },
	// A values file named alone (the one file a commit changed) is the
	// weaviate chart's only through the script that installs it with -f:
	// the scripts beside it are read with it.
	Neighbours: scriptsBeside,
	// A script above a values file may install the chart with it
	// (deploy.sh at the root: -f charts/weaviate/values-prod.yaml).
	Referrers: scriptsBeside,
	Extract:   extractScript,
	Examples:  []string{"deploy.sh", "scripts/run.bash", "Makefile", "GNUmakefile", "mk/versions.mk", "justfile", ".justfile", "tasks.just"},
}

// scriptsBeside lists the scripts among names, for a values file given
// alone: one of them may install the chart with it.
var scriptsBeside = installersBeside(func(n string) bool { return shscript.Dialect(n) != "" })

// installersBeside lists, for a values file given alone, the names that
// is picks out: the files that may install the chart with it.
func installersBeside(is func(name string) bool) func(given string, names []string) []string {
	return func(given string, names []string) []string {
		if !givesValues(given) {
			return nil
		}
		var out []string
		for _, n := range names {
			if is(n) {
				out = append(out, n)
			}
		}
		return out
	}
}

func extractScript(in *Input) Found {
	var out Found
	res := shscript.Read(in.Load, in.Path, in.Bytes())
	out.scriptProblems(res.Problems, res.Near)
	inputs := append([]string{in.Path}, res.Inputs...)
	id := "script:" + filepath.ToSlash(in.Path)
	count := map[string]int{}
	for _, im := range res.Images {
		key := im.Tool
		if im.Name != "" {
			key += "/" + im.Name
		}
		count[key]++
		if im.Name == "" || count[key] > 1 {
			key += fmt.Sprintf("[%d]", count[key])
		}
		d := Deployment{Kind: Script, Platform: Docker, Nodes: 1, NodesDeclared: 1, ID: id + "#" + key,
			Env: map[string]EnvVar{}, Inputs: inputs, BackupsKnown: true, EnvOpaque: im.EnvFile}
		d.Cluster = d.ID
		if !im.Image.Known && im.Image.External {
			out.nearMiss(im.Image.Span, fmt.Sprintf("%s: %s; wvlint reads the version where the caller pins it (a workflow env or matrix entry)", im.Tool, im.Image.Why))
			continue
		}
		if !imageFrom(in.id, im.Image, im.Expr, &d, im.Tool+" of", im.At) {
			continue
		}
		for _, e := range im.Env {
			d.setEnv(e.Name, e.Value, e.Opaque)
		}
		d.backupsFromEnv()
		out.Deployments = append(out.Deployments, d)
	}
	out.Releases = append(out.Releases, helmReleases(id, Script, inputs, res.Helm)...)
	return out
}

// helmReleases are the weaviate chart releases a script or a Tiltfile
// installs: the chart version, the values files in order, --set values.
func helmReleases(id string, kind Kind, inputs []string, hs []shscript.HelmInstall) []Release {
	var out []Release
	for i, h := range hs {
		rid := h.Release
		if rid == "" {
			rid = fmt.Sprintf("[%d]", i+1)
		}
		r := Release{ID: id + "#helm/" + rid, Kind: kind, Evidence: h.Evidence, Inputs: inputs, At: h.At}
		if h.Version != nil {
			v := helmScalar(*h.Version)
			r.Chart, r.ChartFile = &v, v.Span.File
		}
		if h.ReuseValues {
			u := helmScalar(srcval.Unknown(h.At, "--reuse-values: the values of the release as deployed apply, and wvlint cannot see them"))
			r.Layers = append(r.Layers, Layer{Inline: &u})
		}
		var names []string
		for _, f := range h.Files {
			if f.Path == "" {
				u := helmScalar(srcval.Unknown(f.At, f.Why))
				r.Layers = append(r.Layers, Layer{Inline: &u})
				continue
			}
			names = append(names, filepath.ToSlash(f.Path))
			r.Layers = append(r.Layers, Layer{Path: f.Path, RefAt: f.At})
		}
		if len(names) > 0 {
			r.Evidence += " with -f " + strings.Join(names, ", ")
		}
		for _, kv := range h.Sets {
			r.Sets = append(r.Sets, helmval.Set{Key: kv.Key, Value: helmScalar(kv.Value)})
		}
		out = append(out, r)
	}
	return out
}

// scriptProblems adds what a script or Tiltfile reader could not read and
// the near misses it saw.
func (out *Found) scriptProblems(ps []shscript.Problem, near []shscript.NearMiss) {
	for _, p := range ps {
		out.errorf(p.File, p.Line, "%s", p.Message)
	}
	for _, n := range near {
		out.nearMiss(n.At, n.Message)
	}
}
