package helmval

import (
	"testing"

	"github.com/wvlint/wvlint/internal/pos"
	"github.com/wvlint/wvlint/internal/yamlx"
)

func TestLayers(t *testing.T) {
	parse := func(name, src string) Value {
		f, err := yamlx.Parse(name, []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		return FromYAML(f, f.Docs[0])
	}
	base := parse("values.yaml", "image:\n  repo: semitechnologies/weaviate\n  tag: \"1.27.0\"\nreplicas: 1\nbackups: &b\n  s3: {enabled: yes}\nenvSecrets:\n  <<: {KEY: secret}\n")
	prod := parse("values-prod.yaml", "image:\n  tag: 1.26.9\nreplicas: ~\n")
	l := Layers{Maps: []Value{base, prod}}
	for _, tc := range []struct {
		keys []string
		text string
		span pos.Span
	}{
		{[]string{"image", "tag"}, "1.26.9", pos.Span{File: "values-prod.yaml", Line: 2, Col: 8, EndCol: 14}},
		{[]string{"image", "repo"}, "semitechnologies/weaviate", pos.Span{File: "values.yaml", Line: 2, Col: 9, EndCol: 34}},
		{[]string{"replicas"}, "1", pos.Span{File: "values.yaml", Line: 4, Col: 11, EndCol: 12}}, // a null layer does not override
	} {
		v, ok := l.Lookup(tc.keys...)
		if !ok || v.Text != tc.text || v.Span != tc.span {
			t.Errorf("Lookup(%v) = %q %+v %v; want %q %+v", tc.keys, v.Text, v.Span, ok, tc.text, tc.span)
		}
	}
	if v, ok := l.Lookup("backups", "s3", "enabled"); !ok {
		t.Error("flow mapping not read")
	} else if on, _ := v.Bool(); !on {
		t.Error("yes is true")
	}
	if v, ok := base.Get("envSecrets", "KEY"); !ok || v.Text != "secret" {
		t.Errorf("merge key: %+v %v", v, ok)
	}
	// A --set override (helmfile set, helm --set, HCL set {}) wins over every layer.
	set := Set{Key: "image.tag", Value: Value{Kind: Scalar, Text: "1.25.7", Span: pos.Span{File: "deploy.sh", Line: 3, Col: 40, EndCol: 46}}}
	l.Sets = []Set{set}
	if v, _ := l.Lookup("image", "tag"); v.Text != "1.25.7" || v.Span.File != "deploy.sh" {
		t.Errorf("set did not win: %+v", v)
	}
	if _, ok := l.Lookup("image", "pullPolicy"); ok {
		t.Error("missing key found")
	}
}

func TestAliasBudget(t *testing.T) {
	// An alias bomb expands without end; the conversion stops.
	src := "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
	f, err := yamlx.Parse("bomb.yaml", []byte(src))
	if err != nil {
		t.Fatal("yamlx refuses the bomb, so the budget is not exercised:", err)
	}
	_ = FromYAML(f, f.Docs[0])
}
