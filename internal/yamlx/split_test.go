package yamlx

import (
	"go.yaml.in/yaml/v3"

	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestSplit(t *testing.T) {
	for _, tc := range []struct {
		name string
		src  string
		want []Segment
	}{
		{"single", "a: 1\nb: 2\n", []Segment{{[]byte("a: 1\nb: 2\n"), 0}}},
		{"empty", "", []Segment{{[]byte(""), 0}}},
		{"leading marker", "---\na: 1\n---\nb: 2\n", []Segment{{[]byte("---\na: 1\n"), 0}, {[]byte("---\nb: 2\n"), 2}}},
		{"comments before first", "# c\n\n---\na: 1\n", []Segment{{[]byte("# c\n\n---\na: 1\n"), 0}}},
		{"no leading marker", "a: 1\n---\nb: 2\n", []Segment{{[]byte("a: 1\n"), 0}, {[]byte("---\nb: 2\n"), 1}}},
		{"end marker and directive", "a: 1\n...\n%YAML 1.2\n---\nb: 2\n", []Segment{{[]byte("a: 1\n...\n"), 0}, {[]byte("%YAML 1.2\n---\nb: 2\n"), 2}}},
		{"marker with content", "a: 1\n--- {b: 2}\n", []Segment{{[]byte("a: 1\n"), 0}, {[]byte("--- {b: 2}\n"), 1}}},
		{"CRLF", "a: 1\r\n---\r\nb: 2\r\n", []Segment{{[]byte("a: 1\r\n"), 0}, {[]byte("---\r\nb: 2\r\n"), 1}}},
		{"not markers", "a: ---x\n----\n ---\nb: '---'\n", []Segment{{[]byte("a: ---x\n----\n ---\nb: '---'\n"), 0}}},
		{"no final newline", "a: 1\n---\nb: 2", []Segment{{[]byte("a: 1\n"), 0}, {[]byte("---\nb: 2"), 1}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Split([]byte(tc.src))
			if len(got) != len(tc.want) {
				t.Fatalf("Split(%q) = %d segments %v, want %d", tc.src, len(got), got, len(tc.want))
			}
			var joined []byte
			for i := range got {
				if !bytes.Equal(got[i].Src, tc.want[i].Src) || got[i].Line != tc.want[i].Line {
					t.Errorf("segment %d = {%q, %d}, want {%q, %d}", i, got[i].Src, got[i].Line, tc.want[i].Src, tc.want[i].Line)
				}
				joined = append(joined, got[i].Src...)
			}
			if string(joined) != tc.src {
				t.Errorf("segments do not add up to the source: %q", joined)
			}
		})
	}
}

// ParseSelected keeping everything gives what Parse gives, positions included.
func TestParseSelectedMatchesParse(t *testing.T) {
	src := "# rendered\n---\napiVersion: v1\nkind: ConfigMap\n---\n# Source: x\napiVersion: apps/v1\nkind: StatefulSet\nspec:\n  image: &i semitechnologies/weaviate:1.27.1\n  again: *i\n...\n---\nlast: |\n  text\n  more\n"
	full, err := Parse("f.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	sel, err := ParseSelected("f.yaml", []byte(src), func([]byte) bool { return true })
	if err != nil {
		t.Fatal(err)
	}
	if len(full.Docs) != len(sel.Docs) || sel.Partial {
		t.Fatalf("docs: %d vs %d (partial %v)", len(full.Docs), len(sel.Docs), sel.Partial)
	}
	var walk func(a, b *yaml.Node, path string)
	walk = func(a, b *yaml.Node, path string) {
		if a.Line != b.Line || a.Column != b.Column || a.Value != b.Value || len(a.Content) != len(b.Content) {
			t.Fatalf("%s: %d:%d %q vs %d:%d %q", path, a.Line, a.Column, a.Value, b.Line, b.Column, b.Value)
		}
		for i := range a.Content {
			walk(a.Content[i], b.Content[i], path+"/"+a.Content[i].Value)
		}
	}
	for i := range full.Docs {
		walk(full.Docs[i], sel.Docs[i], "doc")
	}
}

func TestParseSelectedSkipsAndShifts(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 50; i++ {
		b.WriteString("---\nkind: ConfigMap\ndata:\n  k: v\n")
	}
	b.WriteString("---\nkind: StatefulSet\nimage: semitechnologies/weaviate:1.27.1\n")
	b.WriteString("---\nbroken: [\n") // a syntax error in a document nobody needs
	f, err := ParseSelected("r.yaml", []byte(b.String()), func(d []byte) bool { return bytes.Contains(d, []byte("weaviate")) })
	if err != nil {
		t.Fatalf("error from a skipped document: %v", err)
	}
	if len(f.Docs) != 1 || !f.Partial {
		t.Fatalf("%d docs (partial %v), want 1 of a partial parse", len(f.Docs), f.Partial)
	}
	img := Get(f.Docs[0], "image")
	if img.Line != 203 || img.Column != 8 {
		t.Fatalf("image at %d:%d, want 203:8", img.Line, img.Column)
	}
	if sp := f.Span(img); sp.Line != 203 || sp.Col != 8 {
		t.Fatalf("span %+v", sp)
	}

	_, err = ParseSelected("r.yaml", []byte("a: 1\n---\nb: weaviate\nc: [\n---\nd: weaviate\n"), func(d []byte) bool { return bytes.Contains(d, []byte("weaviate")) })
	var ye *Error
	if !errors.As(err, &ye) || ye.Line != 4 {
		t.Fatalf("error %v, want one at line 4", err)
	}
}

// FuzzSplit: the segments always add up to the source, and where the
// whole stream parses, parsing it document by document finds the same
// documents at the same positions.
func FuzzSplit(f *testing.F) {
	for _, s := range []string{"a: 1\n---\nb: 2\n", "---\n...\n---\n", "%YAML 1.2\n---\na: [1, 2]\n...\n", "a: |\n  ---\n---\nb: 1\r\n"} {
		f.Add(s)
	}
	f.Add("----\n---x\n...y\n--- a\n")
	f.Add("# c\n%TAG ! x\n\n---\n- a\n...\n# after\n...\n")
	f.Fuzz(func(t *testing.T, src string) {
		var joined []byte
		for _, s := range Split([]byte(src)) {
			joined = append(joined, s.Src...)
		}
		if string(joined) != src {
			t.Fatalf("segments %q do not add up to %q", joined, src)
		}
		full, err := Parse("f", []byte(src))
		if err != nil {
			return
		}
		sel, err := ParseSelected("f", []byte(src), func([]byte) bool { return true })
		if err != nil {
			t.Fatalf("whole stream parses, a document does not: %v", err)
		}
		if len(full.Docs) != len(sel.Docs) {
			t.Fatalf("%d documents, split %d", len(full.Docs), len(sel.Docs))
		}
		for i := range full.Docs {
			if full.Docs[i].Line != sel.Docs[i].Line || full.Docs[i].Column != sel.Docs[i].Column {
				t.Fatalf("doc %d at %d:%d, split %d:%d", i, full.Docs[i].Line, full.Docs[i].Column, sel.Docs[i].Line, sel.Docs[i].Column)
			}
		}
	})
}

func TestWithoutDocsPlacesNodes(t *testing.T) {
	f, err := Parse("c.yaml", []byte("services:\n  w:\n    image: \"semitechnologies/weaviate:1.28.3\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	img := Path(f.Docs[0], "services", "w", "image")
	w := f.WithoutDocs()
	if len(w.Docs) != 0 || !w.Partial || w.Path != f.Path {
		t.Fatalf("WithoutDocs: %+v", w)
	}
	if got, want := w.ValueSpan(img, 25, 6), f.ValueSpan(img, 25, 6); got != want || got.Line != 3 || got.Col != 38 {
		t.Fatalf("span %+v, want %+v at 3:38", got, want)
	}
}
