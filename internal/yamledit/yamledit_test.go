package yamledit

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/wvlint/wvlint/internal/yamlx"
)

func TestScalar(t *testing.T) {
	img := []string{"image", "tag"}
	umbrella := []string{"weaviate", "image", "tag"}
	tests := []struct {
		name    string
		src     string
		keys    []string
		want    string
		wantErr string
	}{
		{name: "merge after repo", keys: img,
			src:  "# values\nimage:\n  registry: cr.weaviate.io\n  repo: semitechnologies/weaviate\n  pullPolicy: IfNotPresent\nreplicas: 3\n",
			want: "# values\nimage:\n  registry: cr.weaviate.io\n  repo: semitechnologies/weaviate\n  tag: 1.27.27\n  pullPolicy: IfNotPresent\nreplicas: 3\n"},
		{name: "quoted like repo", keys: img,
			src:  "image:\n    repo: \"semitechnologies/weaviate\"\n",
			want: "image:\n    repo: \"semitechnologies/weaviate\"\n    tag: \"1.27.27\"\n"},
		{name: "no repo: first entry, that mapping's indentation", keys: img,
			src:  "image:   # the server\n    # always pull\n    pullPolicy: Always\nreplicas: 1\n",
			want: "image:   # the server\n    tag: 1.27.27\n    # always pull\n    pullPolicy: Always\nreplicas: 1\n"},
		{name: "crlf", keys: img,
			src:  "image:\r\n  pullPolicy: Always\r\nreplicas: 1\r\n",
			want: "image:\r\n  tag: 1.27.27\r\n  pullPolicy: Always\r\nreplicas: 1\r\n"},
		{name: "bom, no image: appended at the end", keys: img,
			src:  "\ufeffreplicas: 3\r\nenv:\r\n    QUERY_DEFAULTS_LIMIT: 25\r\n\r\n",
			want: "\ufeffreplicas: 3\r\nenv:\r\n    QUERY_DEFAULTS_LIMIT: 25\r\nimage:\r\n    tag: 1.27.27\r\n\r\n"},
		{name: "no final newline stays so", keys: img,
			src:  "replicas: 3",
			want: "replicas: 3\nimage:\n  tag: 1.27.27"},
		{name: "trailing comment kept above", keys: img,
			src:  "replicas: 3\n# image:\n#   tag: 1.20.0\n",
			want: "replicas: 3\n# image:\n#   tag: 1.20.0\nimage:\n  tag: 1.27.27\n"},
		{name: "empty image: gets the key below", keys: img,
			src:  "image:\nreplicas: 1\n",
			want: "image:\n  tag: 1.27.27\nreplicas: 1\n"},
		{name: "empty tag: gets the value", keys: img,
			src:  "image:\n  repo: semitechnologies/weaviate\n  tag:   # set per environment\n",
			want: "image:\n  repo: semitechnologies/weaviate\n  tag: 1.27.27   # set per environment\n"},
		{name: "umbrella: under the dependency key", keys: umbrella,
			src:  "global: {}\nweaviate:\n  replicas: 3\n  persistence:\n    size: 32Gi\n",
			want: "global: {}\nweaviate:\n  image:\n    tag: 1.27.27\n  replicas: 3\n  persistence:\n    size: 32Gi\n"},
		{name: "umbrella: existing image mapping", keys: umbrella,
			src:  "weaviate:\n  image:\n    pullPolicy: Always\n",
			want: "weaviate:\n  image:\n    tag: 1.27.27\n    pullPolicy: Always\n"},
		{name: "umbrella: no dependency key yet", keys: umbrella,
			src:  "ingress:\n   enabled: false\n",
			want: "ingress:\n   enabled: false\nweaviate:\n   image:\n      tag: 1.27.27\n"},
		{name: "only comments", keys: img,
			src:  "# image:\n#   tag: 1.20.0\n\n",
			want: "# image:\n#   tag: 1.20.0\nimage:\n  tag: 1.27.27\n\n"},
		{name: "empty file refused", keys: img, src: "\n\n", wantErr: "empty"},
		{name: "flow image: the entry goes last", keys: img,
			src:  "image: {repo: semitechnologies/weaviate, pullPolicy: Always}   # mirror\r\n",
			want: "image: {repo: semitechnologies/weaviate, pullPolicy: Always, tag: 1.27.27}   # mirror\r\n"},
		{name: "flow image: spacing kept", keys: img, src: "image: { pullPolicy: Always }\n", want: "image: { pullPolicy: Always, tag: 1.27.27 }\n"},
		{name: "flow image: empty", keys: img, src: "image: {}\nreplicas: 1\n", want: "image: {tag: 1.27.27}\nreplicas: 1\n"},
		{name: "flow image: braces in quotes", keys: img, src: "image: {repo: \"a}b\", x: 'it''s'}\n", want: "image: {repo: \"a}b\", x: 'it''s', tag: 1.27.27}\n"},
		{name: "umbrella: flow image", keys: umbrella, src: "weaviate:\n  image: {pullPolicy: Always}\n", want: "weaviate:\n  image: {pullPolicy: Always, tag: 1.27.27}\n"},
		{name: "flow over lines refused", keys: img, src: "image: {repo: x,\n  pullPolicy: Always}\n", wantErr: "does not end on its line"},
		{name: "flow nested refused", keys: img, src: "image: {repo: x, pullSecrets: [a]}\n", wantErr: "nested values"},
		{name: "flow document refused", keys: img, src: "{replicas: 1}\n", wantErr: "flow mapping"},
		{name: "string image refused", keys: img, src: "image: semitechnologies/weaviate\n", wantErr: "is a string here"},
		{name: "explicit null refused", keys: img, src: "image: null\n", wantErr: `written "null"`},
		{name: "alias refused", keys: img, src: "base: &img\n  repo: x\nimage: *img\n", wantErr: "is an alias"},
		{name: "merge refused", keys: img, src: "base: &b\n  image:\n    repo: x\n<<: *b\n", wantErr: "merge"},
		{name: "two documents refused", keys: img, src: "replicas: 1\n---\nreplicas: 2\n", wantErr: "more than one YAML document"},
		{name: "already set", keys: img, src: "image:\n  tag: 1.27.0\n", wantErr: "already set"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := yamlx.Parse("values.yaml", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			in, err := Scalar(f, first(f), tt.keys, "1.27.27")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := apply(t, tt.src, in, "1.27.27")
			if got != tt.want {
				t.Errorf("got\n%q\nwant\n%q", got, tt.want)
			}
			if in.Key != strings.Join(tt.keys, ".") {
				t.Errorf("Key = %q", in.Key)
			}
			// Written, the key is there: a second insertion is refused.
			f2, err := yamlx.Parse("values.yaml", []byte(got))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := Scalar(f2, first(f2), tt.keys, "1.27.27"); err == nil || !strings.Contains(err.Error(), "already set") {
				t.Errorf("second insertion: err = %v, want already set", err)
			}
		})
	}
}

// apply replaces the insertion's line the way fix.Apply does: the span is
// the whole text of one line, after a BOM.
func apply(t *testing.T, src string, in Insertion, v string) string {
	t.Helper()
	lines := strings.SplitAfter(src, "\n")
	l := lines[in.Span.Line-1]
	bom := ""
	if in.Span.Line == 1 && strings.HasPrefix(l, "\ufeff") {
		bom, l = "\ufeff", l[3:]
	}
	if !strings.HasPrefix(l, in.Old) {
		t.Fatalf("line %d is %q, Old %q", in.Span.Line, l, in.Old)
	}
	if in.Span.Col != 1 || in.Span.EndCol != len([]rune(in.Old))+1 {
		t.Fatalf("span %v is not the whole of %q", in.Span, in.Old)
	}
	lines[in.Span.Line-1] = bom + in.New(v) + l[len(in.Old):]
	return strings.Join(lines, "")
}

func first(f *yamlx.File) *yaml.Node {
	if len(f.Docs) == 0 {
		return nil
	}
	return f.Docs[0]
}

// TestScalarAt: a mapping nested in one document of several (a Flux
// HelmRelease's spec.values beside its HelmRepository).
func TestScalarAt(t *testing.T) {
	src := "apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: weaviate\n---\n" +
		"apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nspec:\n  values:\n    replicas: 2\n    image:\n      pullPolicy: Always\n"
	want := "apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: weaviate\n---\n" +
		"apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nspec:\n  values:\n    replicas: 2\n    image:\n      tag: 1.28.16\n      pullPolicy: Always\n"
	f, err := yamlx.Parse("release.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	spec := yamlx.Get(f.Docs[1], "spec")
	key, vals := own(spec, "values")
	in, err := ScalarAt(Target{File: f, Map: vals, Key: key}, []string{"image", "tag"}, "1.0.0")
	if err != nil {
		t.Fatal(err)
	}
	if got := apply(t, src, in, "1.28.16"); got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
	// No image key: the new mapping is the first entry of values.
	src2 := strings.Replace(src, "    image:\n      pullPolicy: Always\n", "", 1)
	f2, _ := yamlx.Parse("release.yaml", []byte(src2))
	key2, vals2 := own(yamlx.Get(f2.Docs[1], "spec"), "values")
	in2, err := ScalarAt(Target{File: f2, Map: vals2, Key: key2}, []string{"image", "tag"}, "1.0.0")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := apply(t, src2, in2, "1.28.16"), strings.Replace(src2, "  values:\n", "  values:\n    image:\n      tag: 1.28.16\n", 1); got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
	// A flow mapping is refused.
	src3 := strings.Replace(src2, "  values:\n    replicas: 2\n", "  values: {replicas: 2}\n", 1)
	f3, _ := yamlx.Parse("release.yaml", []byte(src3))
	key3, vals3 := own(yamlx.Get(f3.Docs[1], "spec"), "values")
	if _, err := ScalarAt(Target{File: f3, Map: vals3, Key: key3}, []string{"image", "tag"}, "1.0.0"); err == nil {
		t.Error("a flow mapping was accepted")
	}
}
