package yamlx

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/wvlint/wvlint/internal/pos"
)

func TestMergeAndAlias(t *testing.T) {
	src := `
x-base: &base
  image: a:1
  env: {A: "1"}
x-more: &more
  image: b:2
  extra: yes
svc:
  <<: [*base, *more]
  env: {B: "2"}
ref: *base
`
	f, err := Parse("c.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	doc := f.Docs[0]
	if v, _ := Str(Path(doc, "svc", "image")); v != "a:1" {
		t.Errorf("merged image = %q, want first merge source to win", v)
	}
	if v, _ := Str(Path(doc, "svc", "env", "B")); v != "2" {
		t.Errorf("own key lost: %q", v)
	}
	if Path(doc, "svc", "env", "A") != nil {
		t.Errorf("own env must replace merged env, not merge into it")
	}
	if v, _ := Bool(Path(doc, "svc", "extra")); !v {
		t.Errorf("second merge source not seen")
	}
	img := Path(doc, "ref", "image")
	if img.Line != 3 || img.Column != 10 {
		t.Errorf("alias value at %d:%d, want the anchor's 3:10", img.Line, img.Column)
	}
}

func TestValueSpan(t *testing.T) {
	src := "a: \"semitechnologies/weaviate:1.2.3\"\nb: 'x:ü:1.0.0'\nc: |\n    line\nd: ünï:1.0\n"
	f, err := Parse("v.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	doc := f.Docs[0]
	tests := []struct {
		key    string
		off, n int
		want   pos.Span
	}{
		{"a", 26, 5, pos.Span{File: "v.yaml", Line: 1, Col: 31, EndCol: 36}},
		{"b", 4, 5, pos.Span{File: "v.yaml", Line: 2, Col: 9, EndCol: 14}},
		{"c", 0, 4, pos.Span{File: "v.yaml", Line: 4, Col: 5, EndCol: 9}},
		{"d", 4, 3, pos.Span{File: "v.yaml", Line: 5, Col: 8, EndCol: 11}},
	}
	for _, tt := range tests {
		if got := f.ValueSpan(Get(doc, tt.key), tt.off, tt.n); got != tt.want {
			t.Errorf("%s: %+v, want %+v", tt.key, got, tt.want)
		}
	}
}

func TestParseAt(t *testing.T) {
	outer := "spec:\n  values: |\n    image:\n      tag: 1.28.4\n"
	f, _ := Parse("app.yaml", []byte(outer))
	v := Path(f.Docs[0], "spec", "values")
	inner, err := ParseAt(f, []byte(v.Value), v.Line, 4)
	if err != nil {
		t.Fatal(err)
	}
	tag := Path(inner.Docs[0], "image", "tag")
	if sp := inner.Span(tag); sp.Line != 4 || sp.Col != 12 || sp.File != "app.yaml" {
		t.Errorf("tag at %+v, want app.yaml:4:12", sp)
	}
}

func TestErrorLine(t *testing.T) {
	tests := []struct {
		name, src string
		line      int
	}{
		{"bad key in block", "a:\n  b: 1\n  c: 2\n - d\n", 4},
		{"tab indent", "a:\n\tb: 1\n", 2},
		{"unclosed flow", "a: [1, 2\nb: 3\n", 1},
		{"second document", "a: 1\n---\nb: [\n", 3},
		{"control character", "image:\n  tag: 1.27.10\n\x00\n", 3},
		{"escape character", "a: 1\nb: \"x\x1b[31m\"\n", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("x.yaml", []byte(tt.src))
			var ye *Error
			if !errors.As(err, &ye) {
				t.Fatalf("err = %v", err)
			}
			if ye.Line != tt.line {
				t.Errorf("line %d, want %d (%s)", ye.Line, tt.line, ye.Msg)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("a: &x {b: *x}\n<<: *x\n"))
	f.Add([]byte("a:\n  - b\n c"))
	f.Add([]byte("base: &b {image: x, tag: 1}\nsvc:\n  <<: [*b, {port: 2}]\n  tag: 2\n  \"<<\": q\n  tag: 3\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		file, _ := Parse("f.yaml", src)
		for _, d := range file.Docs {
			for _, p := range Pairs(d) {
				_ = file.Span(p.Key)
			}
			checkGet(t, d, 0)
		}
	})
}

// checkGet holds Get to Pairs on every mapping under n: Get returns the
// value of the first pair with the key, merges applied.
func checkGet(t *testing.T, n *yaml.Node, depth int) {
	if n == nil || depth > 20 {
		return
	}
	ps := Pairs(n)
	for _, p := range ps {
		var want *yaml.Node
		for _, q := range ps {
			if q.Key.Value == p.Key.Value {
				want = q.Value
				break
			}
		}
		if got := Get(n, p.Key.Value); got != want {
			t.Fatalf("Get(%q) = %v, Pairs give %v", p.Key.Value, got, want)
		}
	}
	if Get(n, "\x00absent") != nil {
		t.Fatal("Get of an absent key")
	}
	for _, c := range n.Content {
		if c.Kind != yaml.AliasNode {
			checkGet(t, c, depth+1)
		}
	}
}

// TestSharedFile reads one parsed File from many goroutines, as the scanner
// does with a kustomize base that several overlays refer to. Under -race
// (CI runs the tests so) a lazily built line index fails this test.
func TestSharedFile(t *testing.T) {
	f, err := Parse("base.yaml", []byte("a: 1\nb: |\n  two\n  lines\nc: [x, y]\n"))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan [2]int)
	for range 8 {
		go func() {
			line, col := f.Lines().Pos(8)
			done <- [2]int{line, col}
		}()
	}
	for range 8 {
		if got := <-done; got != [2]int{2, 4} {
			t.Errorf("Pos(8) = %v, want line 2 column 4", got)
		}
	}
	if got := f.Lines().Line(5); got != "c: [x, y]" {
		t.Errorf("Line(5) = %q", got)
	}
}

// TestEveryFileHasLines: files from every constructor answer Lines without
// building anything later.
func TestEveryFileHasLines(t *testing.T) {
	src := []byte("a: 1\n---\nb: 2\n")
	whole, _ := Parse("x.yaml", src)
	none, _ := ParseSelected("x.yaml", src, func([]byte) bool { return false })
	some, _ := ParseSelected("x.yaml", src, func(d []byte) bool { return len(d) > 0 && d[0] == 'b' })
	single, _ := ParseSelected("y.yaml", []byte("c: 3\n"), func([]byte) bool { return false })
	for name, f := range map[string]*File{"Parse": whole, "ParseSelected none": none, "ParseSelected some": some, "ParseSelected single": single} {
		if f.Lines() == nil {
			t.Errorf("%s: no line index", name)
			continue
		}
		if got := f.Lines().Line(1); got != string(bytes.SplitN(f.Src, []byte("\n"), 2)[0]) {
			t.Errorf("%s: Line(1) = %q", name, got)
		}
	}
}

// A chain of merges, each naming the link before twice, doubles the work
// at every link when each merge is walked anew (2^40 here: the test would
// not end); a mapping merged twice adds nothing, so the lookup is linear
// and still finds the key at the bottom, with the nearer link's value
// winning over the farther one's.
func TestMergeChain(t *testing.T) {
	var src bytes.Buffer
	src.WriteString("x0: &x0 {image: a:1, k1: far}\n")
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&src, "x%d: &x%d {<<: [*x%d, *x%d], k%d: near}\n", i, i, i-1, i-1, i)
	}
	src.WriteString("svc:\n  <<: *x40\n")
	f, err := Parse("c.yaml", src.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	doc := f.Docs[0]
	if v, _ := Str(Path(doc, "svc", "image")); v != "a:1" {
		t.Errorf("image through 40 merges = %q, want a:1", v)
	}
	if v, _ := Str(Path(doc, "svc", "k1")); v != "near" {
		t.Errorf("k1 = %q, want the nearer link's value", v)
	}
	if n := len(Pairs(Path(doc, "svc"))); n != 41 {
		t.Errorf("%d keys, want 41 (image and k1..k40, each once)", n)
	}
}
