package shscript

import (
	"fmt"
	"io/fs"
	"path"
	"strings"
	"testing"
)

type mapFS map[string]string

func (m mapFS) ReadFile(name string) ([]byte, error) {
	if s, ok := m[path.Clean(name)]; ok {
		return []byte(s), nil
	}
	return nil, fs.ErrNotExist
}

func show(v Value) string {
	if !v.Known {
		return fmt.Sprintf("? %s @%s:%d:%d", v.Why, v.Span.File, v.Span.Line, v.Span.Col)
	}
	s := fmt.Sprintf("%q", v.Text)
	if sp, seg, ok := v.At(0, len([]rune(v.Text))); ok {
		s += fmt.Sprintf(" @%s:%d:%d-%d", sp.File, sp.Line, sp.Col, sp.EndCol)
		if seg.Via != "" {
			s += fmt.Sprintf(" via %s@%s:%d:%d", seg.Via, seg.Ref.File, seg.Ref.Line, seg.Ref.Col)
		}
	} else {
		s += " @?"
	}
	return s
}

// tagAt shows where the tag of an image value is written.
func tagAt(v Value) string {
	if !v.Known {
		return show(v)
	}
	i := strings.LastIndex(v.Text, ":")
	if i < 0 || strings.Contains(v.Text[i:], "/") {
		return fmt.Sprintf("%q no tag", v.Text)
	}
	tag := v.Text[i+1:]
	off := len([]rune(v.Text[:i+1]))
	sp, seg, ok := v.At(off, len([]rune(tag)))
	if !ok {
		return fmt.Sprintf("%q tag %q @?", v.Text, tag)
	}
	s := fmt.Sprintf("%q tag %q @%s:%d:%d-%d", v.Text, tag, sp.File, sp.Line, sp.Col, sp.EndCol)
	if seg.Via != "" {
		s += fmt.Sprintf(" via %s@%s:%d:%d", seg.Via, seg.Ref.File, seg.Ref.Line, seg.Ref.Col)
	}
	return s
}

func render(r *Result) []string {
	var out []string
	for _, im := range r.Images {
		line := fmt.Sprintf("%s @%d:%d image %s", im.Tool, im.At.Line, im.At.Col, tagAt(im.Image))
		for _, e := range im.Env {
			if e.Opaque {
				line += " env " + e.Name
			} else {
				line += " env " + e.Name + "=" + show(e.Value)
			}
		}
		out = append(out, line)
	}
	for _, h := range r.Helm {
		out = append(out, fmt.Sprintf("helm %s @%d:%d release=%s chart=%s evidence=%s", h.Verb, h.At.Line, h.At.Col, h.Release, h.Chart.Text, h.Evidence))
		if h.Version != nil {
			out = append(out, "  version "+show(*h.Version))
		}
		for _, kv := range h.Sets {
			out = append(out, "  set "+kv.Key+" = "+show(kv.Value))
		}
		for _, f := range h.Files {
			out = append(out, fmt.Sprintf("  values %q @%d:%d %s", f.Path, f.At.Line, f.At.Col, f.Why))
		}
		if h.ReuseValues {
			out = append(out, "  reuse-values")
		}
	}
	for _, n := range r.Near {
		out = append(out, fmt.Sprintf("near %s:%d:%d %s", n.At.File, n.At.Line, n.At.Col, n.Message))
	}
	for _, in := range r.Inputs {
		out = append(out, "input "+in)
	}
	return out
}

func TestRead(t *testing.T) {
	tests := []struct {
		name  string
		file  string
		files mapFS
		want  []string
	}{
		{
			name: "docker run with continuations, options and an env file sourced",
			file: "scripts/start.sh",
			files: mapFS{
				"scripts/start.sh": `#!/usr/bin/env bash
set -euo pipefail
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "${SCRIPT_DIR}/versions.env"

# docker run semitechnologies/weaviate:1.19.0  (old, commented out)
docker run -d --name weaviate \
  -p 8080:8080 -p 50051:50051 \
  -v "$PWD/data:/var/lib/weaviate" \
  -e ENABLE_MODULES=backup-filesystem \
  --env "CLUSTER_HOSTNAME=node1" \
  cr.weaviate.io/semitechnologies/weaviate:"${WEAVIATE_VERSION}" --host 0.0.0.0
docker run --rm -it semitechnologies/transformers-inference:sentence-transformers-all-MiniLM-L6-v2
echo "then run: docker run semitechnologies/weaviate:latest"
`,
				"scripts/versions.env": `# pinned versions
export WEAVIATE_VERSION="1.23.10"
export WEAVIATE_CLIENT_VERSION=4.9.0
`},
			want: []string{
				`docker run @7:1 image "cr.weaviate.io/semitechnologies/weaviate:1.23.10" tag "1.23.10" @scripts/versions.env:2:26-33 via $WEAVIATE_VERSION@scripts/start.sh:12:45 env ENABLE_MODULES="backup-filesystem" @scripts/start.sh:10:21-38 env CLUSTER_HOSTNAME="node1" @scripts/start.sh:11:27-32`,
				`docker run @13:1 image "semitechnologies/transformers-inference:sentence-transformers-all-MiniLM-L6-v2" tag "sentence-transformers-all-MiniLM-L6-v2" @scripts/start.sh:13:61-99`,
				"input scripts/versions.env",
			},
		},
		{
			name: "defaults, arguments and command substitution",
			file: "ci/run.sh",
			files: mapFS{"ci/run.sh": `V=${WEAVIATE_VERSION:-1.27.3}
docker pull semitechnologies/weaviate:$V
docker run -d semitechnologies/weaviate:${1}
podman run -d docker.io/semitechnologies/weaviate:$(cat VERSION)
ID=$(docker run -d semitechnologies/weaviate:1.28.0)
cat <<EOF | kubectl apply -f -
image: semitechnologies/weaviate:1.10.0
EOF
sudo -E docker --context prod run semitechnologies/weaviate:1.29.2 ; docker ps
`},
			want: []string{
				`docker pull @2:1 image "semitechnologies/weaviate:1.27.3" tag "1.27.3" @ci/run.sh:1:23-29 via $V@ci/run.sh:2:39`,
				`docker run @3:1 image ? $1 is an argument of the script: set by whoever runs it @ci/run.sh:3:41`,
				`podman run @4:1 image ? $(cat VERSION) is computed when the script runs @ci/run.sh:4:51`,
				`docker run @5:6 image "semitechnologies/weaviate:1.28.0" tag "1.28.0" @ci/run.sh:5:46-52`,
				`docker run @9:9 image "semitechnologies/weaviate:1.29.2" tag "1.29.2" @ci/run.sh:9:61-67`,
			},
		},
		{
			name: "helm upgrade with the repository added, --set, --version and -f",
			file: "deploy/deploy.sh",
			files: mapFS{
				"deploy/deploy.sh": `#!/bin/bash
CHART_VERSION=17.4.0
IMAGE_TAG="1.27.10"
helm repo add weaviate https://weaviate.github.io/weaviate-helm
helm repo update
helm upgrade --install weaviate weaviate/weaviate \
  --namespace weaviate --create-namespace \
  --version "$CHART_VERSION" \
  -f values.yaml --values=values-prod.yaml \
  --set image.tag="$IMAGE_TAG",replicas=3 \
  --set-string 'env.QUERY_DEFAULTS_LIMIT=25' \
  --wait
helm install redis bitnami/redis --set image.tag=7.2
`,
				"deploy/values.yaml": "replicas: 3\n",
			},
			want: []string{
				"helm upgrade @6:1 release=weaviate chart=weaviate/weaviate evidence=deploy/deploy.sh:6 installs weaviate/weaviate (repository https://weaviate.github.io/weaviate-helm added at line 4)",
				`  version "17.4.0" @deploy/deploy.sh:2:15-21 via $CHART_VERSION@deploy/deploy.sh:8:14`,
				`  set image.tag = "1.27.10" @deploy/deploy.sh:3:12-19 via $IMAGE_TAG@deploy/deploy.sh:10:20`,
				`  set replicas = "3" @deploy/deploy.sh:10:41-42`,
				`  set env.QUERY_DEFAULTS_LIMIT = "25" @deploy/deploy.sh:11:42-44`,
				`  values "deploy/values.yaml" @9:6 `,
				`  values "" @9:27 values file "values-prod.yaml" is not in the scanned tree`,
			},
		},
		{
			name: "helm with an unreadable tag, --repo, and charts that are not the weaviate chart",
			file: "install.sh",
			files: mapFS{"install.sh": `helm install vdb weaviate --repo https://weaviate.github.io/weaviate-helm/ --set image.tag=$1 --reuse-values
helm upgrade -i db ./charts/weaviate -f values.yaml
helm repo add internal https://charts.example.com
helm upgrade --install db internal/weaviate
helm template x other/weaviate
`},
			want: []string{
				"helm install @1:1 release=vdb chart=weaviate evidence=install.sh:1 installs chart weaviate from https://weaviate.github.io/weaviate-helm/",
				"  set image.tag = ? $1 is an argument of the script: set by whoever runs it @install.sh:1:92",
				"  reuse-values",
				`near install.sh:2:20 helm installs a local chart "./charts/weaviate": the chart's own Chart.yaml says what it deploys`,
				"near install.sh:4:27 helm installs internal/weaviate from https://charts.example.com, not the weaviate chart's repository; name its values in .wvlint.yaml if it deploys Weaviate",
				"near install.sh:5:17 helm installs other/weaviate from a repository this script does not add; name its values in .wvlint.yaml if it deploys Weaviate",
			},
		},
		{
			name: "Makefile variables, includes and recipes",
			file: "Makefile",
			files: mapFS{
				"Makefile": `include versions.mk
WEAVIATE_IMAGE ?= semitechnologies/weaviate
TAG := $(WEAVIATE_VERSION)

.PHONY: up
up: ## start weaviate
	@docker run -d --name wv -p 8080:8080 \
	  $(WEAVIATE_IMAGE):$(TAG)
	docker run -d semitechnologies/weaviate:$${PINNED}
	-docker pull semitechnologies/weaviate:$(shell cat .version)

helm:
	helm upgrade --install weaviate weaviate/weaviate --set image.tag=$(WEAVIATE_VERSION)
`,
				"versions.mk": "export WEAVIATE_VERSION = 1.25.8 # keep in step with CI\n"},
			want: []string{
				`docker run @7:3 image "semitechnologies/weaviate:1.25.8" tag "1.25.8" @versions.mk:1:27-33 via $(WEAVIATE_VERSION)@Makefile:3:8`,
				`docker run @9:2 image ? PINNED is not set in the script or the files it sources @Makefile:9:42`,
				`docker pull @10:3 image ? $(shell cat .version) is computed when the script runs @Makefile:10:41`,
				"helm upgrade @13:2 release=weaviate chart=weaviate/weaviate evidence=Makefile:13 installs weaviate/weaviate",
				`  set image.tag = "1.25.8" @versions.mk:1:27-33 via $(WEAVIATE_VERSION)@Makefile:13:68`,
				"input versions.mk",
			},
		},
		{
			name: "Justfile variables, recipe parameters and dotenv-load",
			file: "justfile",
			files: mapFS{
				"justfile": `set dotenv-load

weaviate_version := "1.26.5"

up:
    docker run -d semitechnologies/weaviate:{{weaviate_version}}

deploy tag="1.26.6":
    helm upgrade --install weaviate weaviate/weaviate --set image.tag={{tag}}

env:
    docker run -d semitechnologies/weaviate:$WV_FROM_ENV
`,
				".env": "WV_FROM_ENV=1.26.7\n"},
			want: []string{
				`docker run @6:5 image "semitechnologies/weaviate:1.26.5" tag "1.26.5" @justfile:3:22-28 via {{weaviate_version}}@justfile:6:45`,
				`docker run @12:5 image "semitechnologies/weaviate:1.26.7" tag "1.26.7" @.env:1:13-19 via $WV_FROM_ENV@justfile:12:45`,
				"helm upgrade @9:5 release=weaviate chart=weaviate/weaviate evidence=justfile:9 installs weaviate/weaviate",
				`  set image.tag = "1.26.6" @justfile:8:13-19 via {{tag}}@justfile:9:71`,
				"input .env",
			},
		},
		{
			name:  "a sourced file outside the tree is not read",
			file:  "a/run.sh",
			files: mapFS{"a/run.sh": "source ../../etc/weaviate.env\n. /etc/profile\ndocker run semitechnologies/weaviate:$WEAVIATE_VERSION\n"},
			want: []string{
				`docker run @3:1 image ? WEAVIATE_VERSION is not set in the script or the files it sources @a/run.sh:3:38`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Read(tt.files, tt.file, []byte(tt.files[tt.file]))
			got := render(r)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(tt.want, "\n  "))
			}
		})
	}
}

func TestDialect(t *testing.T) {
	for name, want := range map[string]string{
		"Makefile": "make", "build/rules.mk": "make", "GNUmakefile": "make", "justfile": "just", "Justfile": "just",
		"ci/start.sh": "shell", "x.bash": "shell", "values.yaml": "", "README.md": "",
	} {
		if got := Dialect(name); got != want {
			t.Errorf("Dialect(%q) = %q, want %q", name, got, want)
		}
	}
}

func FuzzRead(f *testing.F) {
	f.Add("docker run -e A=${B:-c} \"semitechnologies/weaviate:${V:-1.2.3}\" $(x `y`) <<-EOF\n\tz\n\tEOF\n")
	f.Add("helm upgrade -i a weaviate/weaviate --set a={b,c},d=e\\,f -f=x.yaml\n")
	f.Add("X ?= $(Y)\n\tdocker run $(X):$$Z\n")
	f.Fuzz(func(t *testing.T, s string) {
		for _, name := range []string{"x.sh", "Makefile", "justfile"} {
			Read(mapFS{name: s}, name, []byte(s))
		}
	})
}
