package inventory

import (
	"testing"

	"github.com/wvlint/wvlint/internal/catalog"
	"github.com/wvlint/wvlint/internal/imageref"
)

func TestImageIdentity(t *testing.T) {
	id := &idContext{cat: catalog.Embedded(), id: &Identity{Config: ".wvlint.yaml",
		Mirrors: []Glob{{Pattern: "registry.corp.internal/vector/*", Line: 2}, {Pattern: "*.dkr.ecr.*.amazonaws.com/vdb", Line: 3}}}}
	for _, tc := range []struct {
		name, image string
		ok          bool
		mirror      string
	}{
		{"server path", "semitechnologies/weaviate:1.27.0", true, ""},
		{"server path on another registry", "mirror.gcr.io/semitechnologies/weaviate:1.27.0", true, ""},
		{"configured mirror", "registry.corp.internal/vector/db:1.28.2", true, "a mirror named in .wvlint.yaml:2"},
		{"configured mirror, any tag", "registry.corp.internal/vector/db:nightly", true, "a mirror named in .wvlint.yaml:2"},
		{"configured ECR glob", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/vdb:1.25.4", true, "a mirror named in .wvlint.yaml:3"},
		{"glob stops at a slash", "registry.corp.internal/vector/team/db:1.28.2", false, ""},
		{"last element weaviate, known release", "registry.example.cn/team/weaviate:1.27.0", true,
			"taken for a mirror: its last path element is weaviate and 1.27.0 is a Weaviate release"},
		{"last element weaviate, not a release", "registry.example.cn/team/weaviate:1.99.3", false, ""},
		{"last element weaviate, a build tag", "registry.example.cn/team/weaviate:dev-build", false, ""},
		{"last element weaviate, digest only", "registry.example.cn/team/weaviate@sha256:4f8a5c3b2e1d0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e", false, ""},
		{"module image", "semitechnologies/transformers-inference:sentence-transformers-all-MiniLM-L6-v2", false, ""},
		{"exporter named for weaviate", "quay.io/team/weaviate-exporter:1.27.0", false, ""},
	} {
		ref, err := imageref.Parse(tc.image)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		ok, mirror := id.image(ref)
		if ok != tc.ok || mirror != tc.mirror {
			t.Errorf("%s: image(%q) = %v, %q; want %v, %q", tc.name, tc.image, ok, mirror, tc.ok, tc.mirror)
		}
	}
	var none *idContext
	if _, ok := none.mirrorGlob("registry.corp.internal/vector/db"); ok {
		t.Error("no configuration names no mirror")
	}
}

func TestValuesGlob(t *testing.T) {
	id := &idContext{id: &Identity{Config: ".wvlint.yaml", Dir: "/repo", Values: []Glob{{Pattern: "deploy/**/weaviate-*.yaml", Line: 5}}}}
	for p, want := range map[string]bool{
		"/repo/deploy/weaviate-values.yaml":       true,
		"/repo/deploy/prod/eu/weaviate-eu.yaml":   true,
		"/repo/deploy/values.yaml":                false,
		"/repo/other/deploy/weaviate-values.yaml": false,
	} {
		if g, ok := id.valuesGlob(p); ok != want || ok && g.Line != 5 {
			t.Errorf("valuesGlob(%q) = %+v, %v; want %v", p, g, ok, want)
		}
	}
}

func TestGlobLiteral(t *testing.T) {
	for pattern, want := range map[string]string{
		"registry.corp/search/vdb":       "registry.corp/search/vdb",
		"*.dkr.ecr.*.amazonaws.com/vdb":  ".amazonaws.com/vdb",
		"Registry.Corp/**/DB":            "registry.corp/",
		"mirror.example/[vw]db":          "mirror.example/",
		"*":                              "",
		"a/{b,c}/weaviate-mirror-longer": "/weaviate-mirror-longer",
		`x\*y/z`:                         "*y/z",
		"{registry.a,registry.b}/vdb":    "/vdb",
	} {
		if got := globLiteral(pattern); got != want {
			t.Errorf("globLiteral(%q) = %q, want %q", pattern, got, want)
		}
	}
}
