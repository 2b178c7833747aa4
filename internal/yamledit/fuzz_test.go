package yamledit

import (
	"strings"
	"testing"

	"github.com/wvlint/wvlint/internal/yamlx"
)

// FuzzScalar: on any file Scalar either refuses or gives an insertion that,
// applied, leaves the rest of the line and file as they were and makes
// image.tag read back as the value written.
func FuzzScalar(f *testing.F) {
	f.Add("image:\n  repo: x\n")
	f.Add("\ufeffweaviate:\r\n  replicas: 1\r\n")
	f.Add("image: {repo: x}\n")
	f.Add("# only a comment")
	f.Add("a: &x\n  b: 1\nimage: *x\n")
	f.Add("image:\n  tag:\n")
	f.Add("k: |\n  text\n\n")
	f.Fuzz(func(t *testing.T, src string) {
		yf, err := yamlx.Parse("values.yaml", []byte(src))
		if err != nil {
			return
		}
		in, err := Scalar(yf, first(yf), []string{"image", "tag"}, "1.27.27")
		if err != nil {
			return
		}
		if !strings.Contains(src, in.Old) || !strings.HasPrefix(in.New("1.27.27"), in.Old) && in.Suffix == "" {
			t.Fatalf("insertion %+v does not keep its line %q", in, in.Old)
		}
		out := apply(t, src, in, "1.27.27")
		of, err := yamlx.Parse("values.yaml", []byte(out))
		if err != nil {
			t.Fatalf("the result does not parse: %v\n%q", err, out)
		}
		if v, _ := yamlx.Str(yamlx.Path(first(of), "image", "tag")); v != "1.27.27" {
			t.Fatalf("image.tag reads %q in\n%q", v, out)
		}
	})
}
