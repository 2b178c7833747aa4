package dotenv

import (
	"testing"

	"github.com/wvlint/wvlint/internal/pos"
)

func TestParse(t *testing.T) {
	src := "\ufeff# versions\r\nWEAVIATE_VERSION=1.27.5\r\nexport TAG = \"1.28.0\"\nQ='v1.2.3' \nC=1.2.3 # pinned\nbad line\nÄ=1\n"
	env, errs := Parse(".env", []byte(src))
	want := map[string]pos.Span{
		"WEAVIATE_VERSION": {File: ".env", Line: 2, Col: 18, EndCol: 24},
		"TAG":              {File: ".env", Line: 3, Col: 15, EndCol: 21},
		"Q":                {File: ".env", Line: 4, Col: 4, EndCol: 10},
		"C":                {File: ".env", Line: 5, Col: 3, EndCol: 8},
	}
	for k, sp := range want {
		if got := env[k].Span; got != sp {
			t.Errorf("%s at %+v, want %+v", k, got, sp)
		}
	}
	if env["C"].Value != "1.2.3" || env["TAG"].Value != "1.28.0" || env["Q"].Value != "v1.2.3" {
		t.Errorf("values: %+v", env)
	}
	if len(errs) != 1 || errs[0].Line != 6 {
		t.Errorf("errs = %v", errs)
	}
}

func FuzzParse(f *testing.F) {
	f.Add("A=1\nexport B='x' # c\nC=\"unterminated\n")
	f.Fuzz(func(t *testing.T, s string) {
		env, _ := Parse(".env", []byte(s))
		for _, v := range env {
			if v.Span.Line < 1 || v.Span.Col < 1 {
				t.Fatalf("bad span %+v", v)
			}
		}
	})
}
