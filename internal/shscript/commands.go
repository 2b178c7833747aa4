package shscript

import (
	"fmt"
	"path"
	"path/filepath"
	"strings"

	"github.com/wvlint/wvlint/internal/pos"
)

// dockerValueFlags are the docker/podman run, create and pull options that
// take a value in the next word (docker CLI reference).
var dockerValueFlags = map[string]bool{
	"-a": true, "--attach": true, "--add-host": true, "--blkio-weight": true, "-c": true, "--cpu-shares": true,
	"--cap-add": true, "--cap-drop": true, "--cgroup-parent": true, "--cgroupns": true, "--cidfile": true,
	"--cpus": true, "--cpuset-cpus": true, "--cpuset-mems": true, "--device": true, "--dns": true,
	"--dns-option": true, "--dns-search": true, "--domainname": true, "-e": true, "--env": true,
	"--entrypoint": true, "--env-file": true, "--expose": true, "--gpus": true, "--group-add": true,
	"--health-cmd": true, "--health-interval": true, "--health-retries": true, "--health-start-period": true,
	"--health-timeout": true, "-h": true, "--hostname": true, "--ip": true, "--ip6": true, "--ipc": true,
	"--isolation": true, "-l": true, "--label": true, "--label-file": true, "--link": true, "--log-driver": true,
	"--log-opt": true, "--mac-address": true, "-m": true, "--memory": true, "--memory-reservation": true,
	"--memory-swap": true, "--mount": true, "--name": true, "--network": true, "--net": true,
	"--network-alias": true, "--oom-score-adj": true, "--pid": true, "--pids-limit": true, "--platform": true,
	"-p": true, "--publish": true, "--pull": true, "--restart": true, "--runtime": true, "--security-opt": true,
	"--shm-size": true, "--stop-signal": true, "--stop-timeout": true, "--storage-opt": true, "--sysctl": true,
	"--tmpfs": true, "-u": true, "--user": true, "--ulimit": true, "--userns": true, "--uts": true,
	"-v": true, "--volume": true, "--volumes-from": true, "-w": true, "--workdir": true, "--pod": true,
	"--arch": true, "--os": true, "--creds": true, "--authfile": true, "--cert-dir": true,
}

// dockerShortValue are the one-letter options that take a value.
const dockerShortValue = "acehlmpuvw"

// dockerGlobalValue are docker's global options that take a value.
var dockerGlobalValue = map[string]bool{"-H": true, "--host": true, "--context": true, "-c": true, "--config": true,
	"--log-level": true, "-l": true, "--tlscacert": true, "--tlscert": true, "--tlskey": true, "--connection": true,
	"--url": true, "--remote": true, "--root": true, "--runroot": true}

// container handles docker/podman/nerdctl run, create and pull.
func (r *reader) container(s *src, tool string, first Word, args []Word) {
	// Global options, then the (possibly two-word) subcommand.
	for len(args) > 0 {
		t, _ := r.text(s, args[0])
		if !strings.HasPrefix(t, "-") {
			break
		}
		args = args[1:]
		if dockerGlobalValue[t] && len(args) > 0 {
			args = args[1:]
		}
	}
	if len(args) == 0 {
		return
	}
	sub, _ := r.text(s, args[0])
	args = args[1:]
	if (sub == "container" || sub == "image") && len(args) > 0 {
		sub, _ = r.text(s, args[0])
		args = args[1:]
	}
	if sub != "run" && sub != "create" && sub != "pull" {
		return
	}
	img := Image{Tool: tool + " " + sub, At: s.span(first.start, wordEnd(first))}
	for i := 0; i < len(args); i++ {
		v := r.env.eval(s, args[i])
		t := v.Text
		switch {
		case v.Known && t == "--":
			if i+1 < len(args) {
				r.image(s, &img, args[i+1])
			}
			return
		case v.Known && strings.HasPrefix(t, "--"):
			name, val, eq := strings.Cut(t, "=")
			switch {
			case name == "--name" && eq:
				img.Name = val
			case name == "--name" && i+1 < len(args):
				img.Name, _ = r.text(s, args[i+1])
			case name == "--env-file":
				img.EnvFile = true
			}
			if name == "--env" {
				if eq {
					img.Env = append(img.Env, r.envFlag(r.pieces(s, args[i]), len("--env=")))
				} else if i+1 < len(args) {
					img.Env = append(img.Env, r.envFlag(r.pieces(s, args[i+1]), 0))
				}
			}
			if !eq && dockerValueFlags[name] && (sub != "pull" || name == "--platform") {
				i++
			}
		case v.Known && strings.HasPrefix(t, "-") && len(t) > 1:
			if sub == "pull" {
				continue // pull's short options take no value
			}
			cluster := t[1:]
			for k := 0; k < len(cluster); k++ {
				if strings.IndexByte(dockerShortValue, cluster[k]) < 0 {
					continue
				}
				if cluster[k] == 'e' {
					if k+1 < len(cluster) {
						img.Env = append(img.Env, r.envFlag(r.pieces(s, args[i]), k+2))
					} else if i+1 < len(args) {
						img.Env = append(img.Env, r.envFlag(r.pieces(s, args[i+1]), 0))
					}
				}
				if k+1 == len(cluster) {
					i++
				}
				break
			}
		default:
			r.image(s, &img, args[i])
			return
		}
	}
}

func (r *reader) image(s *src, img *Image, w Word) {
	img.Image = r.env.eval(s, w)
	img.Expr = string(s.data[w.start:wordEnd(w)])
	r.res.Images = append(r.res.Images, *img)
}

// envFlag reads NAME=value (or NAME alone) after skipping n code points.
func (r *reader) envFlag(ps []Value, n int) EnvVar {
	if n > 0 && len(ps) > 0 && ps[0].Known {
		ps = append([]Value{ps[0].Slice(n, pos.RuneLen(ps[0].Text))}, ps[1:]...)
	}
	k, v, ok := cut(ps, '=')
	key := join(pos.Span{}, k)
	if !ok {
		return EnvVar{Name: key.Text, Opaque: true}
	}
	return EnvVar{Name: key.Text, Value: join(key.Span, v)}
}

// helmValueFlags are helm install/upgrade/template options that take a
// value in the next word (helm CLI reference).
var helmValueFlags = map[string]bool{
	"-f": true, "--values": true, "--set": true, "--set-string": true, "--set-file": true, "--set-json": true,
	"--set-literal": true, "--version": true, "-n": true, "--namespace": true, "--repo": true, "--timeout": true,
	"--kube-context": true, "--kubeconfig": true, "--post-renderer": true, "--post-renderer-args": true,
	"--description": true, "--username": true, "--password": true, "--ca-file": true, "--cert-file": true,
	"--key-file": true, "--history-max": true, "-o": true, "--output": true, "--labels": true, "-l": true,
	"--name-template": true, "--kube-apiserver": true, "--kube-as-user": true, "--kube-as-group": true,
	"--kube-token": true, "--registry-config": true, "--repository-cache": true, "--repository-config": true,
	"--api-versions": true, "-a": true, "--kube-version": true, "--show-only": true, "-s": true, "--output-dir": true,
}

// helm handles helm repo add, and helm install, upgrade and template of
// the weaviate chart.
func (r *reader) helm(s *src, first Word, args []Word) {
	if len(args) == 0 {
		return
	}
	verb, _ := r.text(s, args[0])
	args = args[1:]
	at := s.span(first.start, wordEnd(first))
	if verb == "repo" {
		if len(args) >= 3 {
			if sub, _ := r.text(s, args[0]); sub == "add" {
				name, _ := r.text(s, args[1])
				url, _ := r.text(s, args[2])
				r.repos[name] = RepoAdd{URL: url, At: at}
			}
		}
		return
	}
	if verb != "install" && verb != "upgrade" && verb != "template" {
		return
	}
	h := HelmInstall{At: at, Verb: verb}
	var positional []Word
	repoFlag := ""
	for i := 0; i < len(args); i++ {
		v := r.env.eval(s, args[i])
		t := v.Text
		if !v.Known || !strings.HasPrefix(t, "-") || t == "-" {
			positional = append(positional, args[i])
			continue
		}
		name, _, eq := strings.Cut(t, "=")
		if !strings.HasPrefix(t, "--") && len(t) > 2 {
			name, eq = t[:2], true // -fvalues.yaml
		}
		if name == "--reuse-values" {
			h.ReuseValues = true
		}
		if !helmValueFlags[name] {
			continue
		}
		var val []Value
		var valWord Word
		switch {
		case eq:
			ps := r.pieces(s, args[i])
			skip := pos.RuneLen(name)
			if strings.HasPrefix(t, "--") {
				skip++
			}
			if len(ps) > 0 && ps[0].Known {
				ps = append([]Value{ps[0].Slice(skip, pos.RuneLen(ps[0].Text))}, ps[1:]...)
			}
			val, valWord = ps, args[i]
		case i+1 < len(args):
			i++
			val, valWord = r.pieces(s, args[i]), args[i]
		default:
			continue
		}
		wsp := s.span(valWord.start, wordEnd(valWord))
		switch name {
		case "-f", "--values":
			for _, f := range splitList(val) {
				h.Files = append(h.Files, r.valuesFile(join(wsp, f)))
			}
		case "--set", "--set-string", "--set-literal":
			for _, kv := range splitList(val) {
				k, v, ok := cut(kv, '=')
				key := join(wsp, k)
				if !ok || !key.Known {
					continue
				}
				h.Sets = append(h.Sets, KV{Key: strings.TrimSpace(key.Text), Value: join(key.Span, v)})
			}
		case "--version":
			v := join(wsp, val)
			h.Version = &v
		case "--repo":
			repoFlag = join(wsp, val).Text
		}
	}
	// helm install --generate-name CHART, or install/upgrade NAME CHART.
	var chartWord Word
	switch {
	case len(positional) >= 2:
		h.Release, _ = r.text(s, positional[0])
		chartWord = positional[1]
	case len(positional) == 1:
		chartWord = positional[0]
	default:
		return
	}
	h.Chart = r.env.eval(s, chartWord)
	if !h.Chart.Known {
		if strings.Contains(strings.ToLower(string(s.data[chartWord.start:wordEnd(chartWord)])), "weaviate") {
			r.res.Near = append(r.res.Near, NearMiss{At: h.Chart.Span, Message: "helm " + verb + ": the chart cannot be read: " + h.Chart.Why})
		}
		return
	}
	ev, ok, near := WeaviateChart("helm", "script", h.Chart, repoFlag, r.repos)
	if !ok {
		if near != "" {
			r.res.Near = append(r.res.Near, NearMiss{At: h.Chart.Span, Message: near})
		}
		return
	}
	h.Evidence = ev
	r.res.Helm = append(r.res.Helm, h)
}

// WeaviateChart says why a chart reference that tool installs (with
// --repo repoFlag, and the repositories the file adds) is the weaviate
// chart, or why a chart named weaviate is not known to be it; file names
// the kind of file for messages ("script", "Tiltfile").
func WeaviateChart(tool, file string, chart Value, repoFlag string, repos map[string]RepoAdd) (evidence string, ok bool, near string) {
	where := fmt.Sprintf("%s:%d", filepath.ToSlash(chart.Span.File), chart.Span.Line)
	c := strings.TrimSpace(chart.Text)
	if repoFlag != "" {
		if c == "weaviate" && OfficialRepo(repoFlag) {
			return fmt.Sprintf("%s installs chart weaviate from %s", where, repoFlag), true, ""
		}
		return "", false, ""
	}
	alias, name, hasAlias := strings.Cut(c, "/")
	if !hasAlias || strings.Contains(name, "/") || strings.HasPrefix(c, ".") {
		if path.Base(c) == "weaviate" {
			return "", false, fmt.Sprintf("%s installs a local chart %q: the chart's own Chart.yaml says what it deploys", tool, c)
		}
		return "", false, ""
	}
	if name != "weaviate" {
		return "", false, ""
	}
	if add, ok := repos[alias]; ok {
		if OfficialRepo(add.URL) {
			return fmt.Sprintf("%s installs %s (repository %s added at line %d)", where, c, add.URL, add.At.Line), true, ""
		}
		return "", false, fmt.Sprintf("%s installs %s from %s, not the weaviate chart's repository; name its values in .wvlint.yaml if it deploys Weaviate", tool, c, add.URL)
	}
	if alias == "weaviate" {
		return fmt.Sprintf("%s installs weaviate/weaviate", where), true, ""
	}
	return "", false, fmt.Sprintf("%s installs %s from a repository this %s does not add; name its values in .wvlint.yaml if it deploys Weaviate", tool, c, file)
}

// OfficialRepo reports whether a chart repository URL is the weaviate
// chart's (https://weaviate.github.io/weaviate-helm).
func OfficialRepo(u string) bool {
	u = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(u), "/"))
	u = strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
	return u == "weaviate.github.io/weaviate-helm"
}

// valuesFile resolves a -f argument.
func (r *reader) valuesFile(v Value) ValuesFile {
	if !v.Known {
		return ValuesFile{At: v.Span, Why: "the values file name cannot be read: " + v.Why}
	}
	if v.Text == "-" || strings.Contains(v.Text, "://") {
		return ValuesFile{At: v.Span, Why: fmt.Sprintf("values from %q are not in the repository", v.Text)}
	}
	if p, ok := r.find(v.Text); ok {
		return ValuesFile{Path: p, At: v.Span}
	}
	return ValuesFile{At: v.Span, Why: fmt.Sprintf("values file %q is not in the scanned tree", v.Text)}
}
