package interp

import (
	"reflect"
	"strings"
	"testing"

	"github.com/wvlint/wvlint/internal/pos"
)

func env(m map[string]string) Lookup {
	return func(n string) (Value, bool) {
		v, ok := m[n]
		return Value{Text: v, Span: pos.Span{File: ".env", Line: 1, Col: 1}}, ok
	}
}

func TestExpand(t *testing.T) {
	vars := env(map[string]string{"TAG": "1.27.5", "EMPTY": "", "REG": "cr.weaviate.io"})
	tests := []struct {
		name, in, want string
		unset          []string
		errs           int
	}{
		{"plain", "img:1.0", "img:1.0", nil, 0},
		{"braced", "img:${TAG}", "img:1.27.5", nil, 0},
		{"bare", "img:$TAG", "img:1.27.5", nil, 0},
		{"default unused", "img:${TAG:-1.0.0}", "img:1.27.5", nil, 0},
		{"default used", "img:${NOPE:-1.0.0}", "img:1.0.0", nil, 0},
		{"colon default on empty", "img:${EMPTY:-1.0.0}", "img:1.0.0", nil, 0},
		{"dash default on empty", "img:${EMPTY-1.0.0}", "img:", nil, 0},
		{"dash default unset", "img:${NOPE-1.0.0}", "img:1.0.0", nil, 0},
		{"required", "img:${NOPE:?set it}", "img:", nil, 1},
		{"required set", "img:${TAG:?set it}", "img:1.27.5", nil, 0},
		{"alt", "x${TAG:+-y}", "x-y", nil, 0},
		{"dollar dollar", "a$$b", "a$b", nil, 0},
		{"unset", "img:${NOPE}", "img:", []string{"NOPE"}, 0},
		{"nested default", "${NOPE:-${REG}}/w:${TAG}", "cr.weaviate.io/w:1.27.5", nil, 0},
		{"unterminated", "img:${TAG", "img:", nil, 1},
		{"bad name", "${1X}", "", nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Expand(tt.in, vars)
			if r.Text != tt.want || !reflect.DeepEqual(r.Unset, tt.unset) || len(r.Errors) != tt.errs {
				t.Errorf("Expand(%q) = %q unset %v errs %v", tt.in, r.Text, r.Unset, r.Errors)
			}
		})
	}
}

func TestOrigin(t *testing.T) {
	vars := env(map[string]string{"TAG": "1.27.5"})
	r := Expand("semitechnologies/weaviate:${NOPE:-1.26.1}", vars)
	seg, d, ok := r.Origin(26)
	if !ok || seg.Var != "" || seg.SrcOff+d != 34 {
		t.Errorf("default origin = %+v %d", seg, d)
	}
	r = Expand("w:${TAG}", vars)
	seg, d, ok = r.Origin(2)
	if !ok || seg.Var != "TAG" || d != 0 || seg.SrcOff != 2 {
		t.Errorf("var origin = %+v %d", seg, d)
	}
}

func FuzzExpand(f *testing.F) {
	f.Add("a${B:-${C}}$$D$E")
	f.Fuzz(func(t *testing.T, s string) {
		r := Expand(s, env(map[string]string{"B": "x"}))
		n := 0
		for _, seg := range r.Segments {
			if seg.Out != n {
				t.Fatalf("segments not contiguous for %q", s)
			}
			n += seg.Len
		}
		if n != pos.RuneLen(r.Text) {
			t.Fatalf("segment lengths %d != %d", n, pos.RuneLen(r.Text))
		}
	})
}

// Defaults nest as deep as real files write them; a hostile file nesting
// thousands deep is refused with an error instead of taking quadratic time.
func TestExpandNestingBound(t *testing.T) {
	r := Expand("${A:-${B:-${C:-1.27.1}}}", func(string) (Value, bool) { return Value{}, false })
	if r.Text != "1.27.1" || len(r.Errors) != 0 {
		t.Fatalf("3 deep: %q %v", r.Text, r.Errors)
	}
	const n = 20000
	hostile := strings.Repeat("${A:-", n) + "x" + strings.Repeat("}", n)
	r = Expand(hostile, func(string) (Value, bool) { return Value{}, false })
	if len(r.Errors) == 0 || !strings.Contains(r.Errors[0], "nested more than 16 deep") {
		t.Fatalf("errors = %v", r.Errors)
	}
}
