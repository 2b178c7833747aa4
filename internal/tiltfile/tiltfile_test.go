package tiltfile

import (
	"fmt"
	"io/fs"
	"strings"
	"testing"
)

type mapFS map[string]string

func (m mapFS) ReadFile(name string) ([]byte, error) {
	if s, ok := m[name]; ok {
		return []byte(s), nil
	}
	return nil, fs.ErrNotExist
}

// show renders what Read found, one line per install, near miss and problem.
func show(r *Result) []string {
	var out []string
	for _, h := range r.Helm {
		s := fmt.Sprintf("%s @%d:%d release=%s chart=%s", h.Verb, h.At.Line, h.At.Col, h.Release, h.Chart.Text)
		if h.Version != nil {
			if h.Version.Known {
				s += fmt.Sprintf(" version=%s@%d:%d-%d", h.Version.Text, h.Version.Span.Line, h.Version.Span.Col, h.Version.Span.EndCol)
			} else {
				s += " version=? (" + h.Version.Why + ")"
			}
		}
		for _, f := range h.Files {
			if f.Path != "" {
				s += fmt.Sprintf(" values=%s@%d:%d", f.Path, f.At.Line, f.At.Col)
			} else {
				s += " values=? (" + f.Why + ")"
			}
		}
		for _, kv := range h.Sets {
			s += fmt.Sprintf(" set %s=%s@%d:%d", kv.Key, kv.Value.Text, kv.Value.Span.Line, kv.Value.Span.Col)
		}
		out = append(out, s+" evidence="+h.Evidence)
	}
	for _, n := range r.Near {
		out = append(out, fmt.Sprintf("near %d:%d %s", n.At.Line, n.At.Col, n.Message))
	}
	for _, p := range r.Problems {
		out = append(out, fmt.Sprintf("problem %s:%d %s", p.File, p.Line, p.Message))
	}
	return out
}

func TestRead(t *testing.T) {
	values := mapFS{"dev/k8s/weaviate-values.yaml": "image:\n  tag: 1.27.6\n", "dev/other.yaml": "a: 1\n"}
	for _, tc := range []struct {
		name, src string
		want      []string
	}{
		{
			name: "helm_resource with helm_repo, flags joined with =",
			src: `load('ext://helm_resource', 'helm_resource', 'helm_repo')
helm_repo('weaviate-helm', 'https://weaviate.github.io/weaviate-helm', labels=['helm'])
helm_resource(
    name='weaviate-server',
    chart='weaviate-helm/weaviate',
    flags=[
        '--version=16.8.8',
        '--values=./k8s/weaviate-values.yaml'],
    port_forwards=['8080:8080'],
)
`,
			want: []string{"helm_resource @3:1 release=weaviate-server chart=weaviate-helm/weaviate version=16.8.8@7:20-26 values=dev/k8s/weaviate-values.yaml@8:19 " +
				"evidence=dev/Tiltfile:5 installs weaviate-helm/weaviate (repository https://weaviate.github.io/weaviate-helm added at line 2)"},
		},
		{
			name: "positional chart, flags as separate words, a version from a top-level name, --set, release_name",
			src: `CHART_VERSION = "17.4.0"
helm_resource('weaviate', 'weaviate/weaviate', release_name='vdb',
    flags=['--version', CHART_VERSION, '-f', 'k8s/weaviate-values.yaml', '--set', 'image.tag=1.27.8,replicas=3'])
`,
			want: []string{"helm_resource @2:1 release=vdb chart=weaviate/weaviate version=17.4.0@1:18-24 values=dev/k8s/weaviate-values.yaml@3:47 set image.tag=1.27.8@3:94 set replicas=3@3:110 " +
				"evidence=dev/Tiltfile:2 installs weaviate/weaviate"},
		},
		{
			name: "helm_remote of the weaviate chart",
			src: `load('ext://helm_remote', 'helm_remote')
helm_remote('weaviate', repo_url='https://weaviate.github.io/weaviate-helm/', repo_name='weaviate',
    version='17.5.1', values=['./k8s/weaviate-values.yaml'], set=['image.tag=1.28.3'])
`,
			want: []string{"helm_remote @2:1 release= chart=weaviate version=17.5.1@3:14-20 values=dev/k8s/weaviate-values.yaml@3:32 set image.tag=1.28.3@3:78 " +
				"evidence=dev/Tiltfile:2 installs chart weaviate from https://weaviate.github.io/weaviate-helm/ with helm_remote"},
		},
		{
			name: "values a function computes, a missing values file, a version from the environment",
			src: `helm_resource('weaviate', 'weaviate/weaviate',
    flags=['--version=' + os.getenv('CHART', '17.4.0'), '--values=' + str(local('ls')), '--values=missing.yaml'])
`,
			want: []string{"helm_resource @1:1 release=weaviate chart=weaviate/weaviate version=? (the value of .getenv(...) is only known when Tilt runs) " +
				"values=? (the values file name cannot be read: the value of str(...) is only known when Tilt runs) values=? (values file \"missing.yaml\" is not in the scanned tree) evidence=dev/Tiltfile:1 installs weaviate/weaviate"},
		},
		{
			name: "other charts, local charts, other repositories",
			src: `helm_repo('bitnami', 'https://charts.bitnami.com/bitnami')
helm_resource('redis', 'bitnami/redis', flags=['--version=18.0.0'])
helm_resource('w', './charts/weaviate')
helm_repo('mirror', 'https://charts.example.com')
helm_resource('w2', 'mirror/weaviate', flags=['--version=17.4.0'])
helm_resource('w3', 'acme/weaviate')
helm_remote('weaviate', repo_url='https://charts.example.com')
helm_remote('weaviate')
`,
			want: []string{
				`near 3:21 helm_resource installs a local chart "./charts/weaviate": the chart's own Chart.yaml says what it deploys`,
				"near 5:22 helm_resource installs mirror/weaviate from https://charts.example.com, not the weaviate chart's repository; name its values in .wvlint.yaml if it deploys Weaviate",
				"near 6:22 helm_resource installs acme/weaviate from a repository this Tiltfile does not add; name its values in .wvlint.yaml if it deploys Weaviate",
				"near 7:14 helm_remote of a chart named weaviate from another repository; name its values in .wvlint.yaml if it deploys Weaviate",
				"near 8:14 helm_remote of a chart named weaviate without repo_url: the chart's repository says whether it is the weaviate chart",
			},
		},
		{
			name: "a values path out of the tree is not read",
			src:  "helm_resource('w', 'weaviate/weaviate', flags=['--values=../../etc/values.yaml'])\n",
			want: []string{`helm_resource @1:1 release=w chart=weaviate/weaviate values=? (values file "../../etc/values.yaml" is not in the scanned tree) evidence=dev/Tiltfile:1 installs weaviate/weaviate`},
		},
		{
			name: "a name assigned twice is not guessed",
			src:  "V = '17.4.0'\nif config.tilt_subcommand == 'ci':\n    V = '17.5.0'\nhelm_resource('w', 'weaviate/weaviate', flags=['--version=' + V])\n",
			want: []string{"helm_resource @4:1 release=w chart=weaviate/weaviate version=? (V is not a top-level name assigned once in this Tiltfile) evidence=dev/Tiltfile:4 installs weaviate/weaviate"},
		},
		{
			name: "escapes in a literal: the value is read, positioned on the literal",
			src:  "helm_resource('w', 'weaviate/weaviate', flags=['--version=17.4.\\x30'])\n",
			want: []string{"helm_resource @1:1 release=w chart=weaviate/weaviate version=17.4.0@1:48-48 evidence=dev/Tiltfile:1 installs weaviate/weaviate"},
		},
		{
			name: "invalid Starlark",
			src:  "helm_resource('w', 'weaviate/weaviate',\n  flags=[\n",
			want: []string{"problem dev/Tiltfile:3 invalid Tiltfile (Starlark): got end of file, want primary expression"},
		},
		{
			name: "brackets nested too deep",
			src:  "x = 1\n" + strings.Repeat("(", 100000) + "\n",
			want: []string{"problem dev/Tiltfile:2 brackets nest more than 200 deep; not read"},
		},
		{
			name: "brackets in strings and comments do not count",
			src:  "# " + strings.Repeat("(", 300) + "\nx = '" + strings.Repeat("[", 300) + "'\nhelm_resource('w', 'weaviate/weaviate')\n",
			want: []string{"helm_resource @3:1 release=w chart=weaviate/weaviate evidence=dev/Tiltfile:3 installs weaviate/weaviate"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := show(Read(values, "dev/Tiltfile", []byte(tc.src)))
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestIs(t *testing.T) {
	for name, want := range map[string]bool{"Tiltfile": true, "dev/Tiltfile": true, "Tiltfile.dev": true, "services/db.tiltfile": true,
		"tiltfile.md": false, "Tiltfile_test.go": false, "values.yaml": false} {
		if Is(name) != want {
			t.Errorf("Is(%q) = %v", name, !want)
		}
	}
}

func FuzzRead(f *testing.F) {
	f.Add([]byte("helm_resource('w', 'weaviate/weaviate', flags=['--version=17.4.0', '-f', 'v.yaml', '--set', 'image.tag=1,x='])\n"))
	f.Add([]byte("helm_remote('weaviate', repo_url='https://weaviate.github.io/weaviate-helm', set=['image.tag=1.2.3'], values='x.yaml')\n"))
	f.Add([]byte("V = 'a' + 'b'\nhelm_resource('w', 'weaviate/weaviate', flags=['--version=' + V, '--values'])\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		Read(mapFS{"v.yaml": "a: 1\n"}, "Tiltfile", data)
	})
}
