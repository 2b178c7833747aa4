package ghactions

import (
	"fmt"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/wvlint/wvlint/internal/yamlx"
)

func parse(t testing.TB, name, src string) (*yamlx.File, *yaml.Node) {
	f, err := yamlx.Parse(name, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return f, f.Docs[0]
}

func render(f *yamlx.File, pins []Pin, near []NearMiss) []string {
	var out []string
	for _, p := range pins {
		sp := f.ValueSpan(p.Node, p.Off, p.Len)
		kind := "version"
		if p.Image {
			kind = "image"
		}
		line := fmt.Sprintf("%d:%d-%d %s %q nodes=%d id=%s | %s", sp.Line, sp.Col, sp.EndCol, kind, p.Text, p.Nodes, p.ID, p.Evidence)
		for _, r := range p.Related {
			line += fmt.Sprintf(" | %d:%d %s", r.Span.Line, r.Span.Col, r.Message)
		}
		out = append(out, line)
	}
	for _, n := range near {
		out = append(out, fmt.Sprintf("near %d:%d %s", n.At.Line, n.At.Col, n.Message))
	}
	return out
}

const clientCI = `name: Main
on:
  push:
  workflow_dispatch:
    inputs:
      weaviate_version:
        description: server to test against
        default: "1.31.2"
      python_version:
        default: "3.12"
env:
  WEAVIATE_130: 1.30.1
  WEAVIATE_131: stable-v1.31-81f8efb
  WEAVIATE_132: 1.32.0-rc.0-6eb89d6.amd64
  WEAVIATE_CLIENT_VERSION: 4.9.0
  WEAVIATE_PORT: 8080
  # WEAVIATE_129: 1.29.1
jobs:
  integration:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        versions: [
          { py: "3.10", weaviate: $WEAVIATE_130 },
          { py: "3.12", weaviate: $WEAVIATE_131 },
        ]
    steps:
      - uses: actions/checkout@v4
      - name: start weaviate
        run: /bin/bash ci/start_weaviate.sh ${{ matrix.versions.weaviate }}
      - name: previous version
        uses: weaviate/github-common-actions/.github/actions/get-previous-version@main
        with:
          weaviate_version: '1.24.21'
  manual:
    runs-on: ubuntu-latest
    env:
      WEAVIATE_VERSION: ${{ inputs.weaviate_version || '1.25.7' }}
    steps:
      - run: docker run -d semitechnologies/weaviate:$WEAVIATE_VERSION
  k8s:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        weaviate-version: ["1.28.8", "1.29.1"]
        python-version: ["3.11"]
    steps:
      - uses: weaviate/weaviate-local-k8s@v2
        with:
          weaviate-version: 1.27.14
          replicas: 3
      - uses: ./.github/actions/start-weaviate
        with:
          weaviate-version: "1.26.17"
          port: "8080"
      - uses: ./.github/actions/start-weaviate
        with:
          weaviate-version: ${{ env.WEAVIATE_130 }}
`

const composite = `name: start weaviate
description: Starts a Weaviate server for the tests
inputs:
  weaviate-version:
    description: the server version
    default: latest
  client-version:
    default: "4.9.0"
  weaviate-image:
    default: semitechnologies/weaviate:1.30.1
runs:
  using: composite
  steps:
    - shell: bash
      run: docker run -d "${{ inputs.weaviate-image }}"
`

func TestWorkflow(t *testing.T) {
	f, doc := parse(t, ".github/workflows/main.yaml", clientCI)
	af, adoc := parse(t, ".github/actions/start-weaviate/action.yml", composite)
	load := func(dir string) (*yamlx.File, *yaml.Node) {
		if dir == ".github/actions/start-weaviate" {
			return af, adoc
		}
		return nil, nil
	}
	pins, near := Workflow(f, doc, load)
	got := render(f, pins, near)
	want := []string{
		`38:57-63 version "1.25.7" nodes=1 id=github-actions:.github/workflows/main.yaml#inputs.weaviate_version||default[1] | .github/workflows/main.yaml:38 the default of input weaviate_version`,
		`12:17-23 version "1.30.1" nodes=1 id=github-actions:.github/workflows/main.yaml#env.WEAVIATE_130 | .github/workflows/main.yaml:12 env WEAVIATE_130: its name says Weaviate, used at line 24 | 24:35 uses WEAVIATE_130 here | 58:29 uses WEAVIATE_130 here`,
		`13:17-37 version "stable-v1.31-81f8efb" nodes=1 id=github-actions:.github/workflows/main.yaml#env.WEAVIATE_131 | .github/workflows/main.yaml:13 env WEAVIATE_131: its name says Weaviate, used at line 25 | 25:35 uses WEAVIATE_131 here`,
		`14:17-42 version "1.32.0-rc.0-6eb89d6.amd64" nodes=1 id=github-actions:.github/workflows/main.yaml#env.WEAVIATE_132 | .github/workflows/main.yaml:14 env WEAVIATE_132: its name says Weaviate`,
		`8:19-25 version "1.31.2" nodes=1 id=github-actions:.github/workflows/main.yaml#on.workflow_dispatch.inputs.weaviate_version | .github/workflows/main.yaml:6 workflow input weaviate_version defaults to a Weaviate version`,
		`45:29-35 version "1.28.8" nodes=1 id=github-actions:.github/workflows/main.yaml#k8s/matrix.weaviate-version[1.28.8] | .github/workflows/main.yaml:45 matrix weaviate-version: its name says Weaviate`,
		`45:39-45 version "1.29.1" nodes=1 id=github-actions:.github/workflows/main.yaml#k8s/matrix.weaviate-version[1.29.1] | .github/workflows/main.yaml:45 matrix weaviate-version: its name says Weaviate`,
		`50:29-36 version "1.27.14" nodes=3 id=github-actions:.github/workflows/main.yaml#k8s/steps[0].with.weaviate-version | .github/workflows/main.yaml:50 passed to input weaviate-version of weaviate/weaviate-local-k8s, which deploys Weaviate`,
		`54:30-37 version "1.26.17" nodes=1 id=github-actions:.github/workflows/main.yaml#k8s/steps[1].with.weaviate-version | .github/workflows/main.yaml:54 passed to input weaviate-version of ./.github/actions/start-weaviate (.github/actions/start-weaviate/action.yml)`,
		`near 34:30 weaviate_version is passed to weaviate/github-common-actions/.github/actions/get-previous-version, which wvlint does not know to deploy Weaviate`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func TestAction(t *testing.T) {
	f, doc := parse(t, ".github/actions/start-weaviate/action.yml", composite)
	got := render(f, Action(f, doc), nil)
	want := []string{
		`6:14-20 version "latest" nodes=1 id=github-action:.github/actions/start-weaviate/action.yml#inputs.weaviate-version | .github/actions/start-weaviate/action.yml:4 action input weaviate-version defaults to a Weaviate version`,
		`10:14-46 image "semitechnologies/weaviate:1.30.1" nodes=1 id=github-action:.github/actions/start-weaviate/action.yml#inputs.weaviate-image | .github/actions/start-weaviate/action.yml:9 action input weaviate-image defaults to the image semitechnologies/weaviate:1.30.1`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func TestWeaviateName(t *testing.T) {
	for name, want := range map[string]bool{
		"WEAVIATE_VERSION": true, "WEAVIATE_124": true, "weaviate-version": true, "weaviate": true,
		"WEAVIATE_SERVER_VERSION": true, "WEAVIATE_IMAGE_TAG": true, "weaviate_previous_version": true,
		"WEAVIATE_CLIENT_VERSION": false, "WEAVIATE_PORT": false, "WEAVIATE_URL": false, "weaviate-grpc-port": false,
		"PYTHON_VERSION": false, "WEAVIATE_PY_CLIENT": false, "version": false,
	} {
		if got := WeaviateName(name); got != want {
			t.Errorf("WeaviateName(%q) = %v, want %v", name, got, want)
		}
	}
}
