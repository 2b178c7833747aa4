package imageref

import "testing"

func TestParse(t *testing.T) {
	tests := []struct {
		name, raw   string
		weaviate    bool
		tag, digest string
		tagOffset   int
		wantErr     bool
	}{
		{"docker hub short", "semitechnologies/weaviate:1.27.5", true, "1.27.5", "", 26, false},
		{"own registry", "cr.weaviate.io/semitechnologies/weaviate:1.28.2", true, "1.28.2", "", 41, false},
		{"registry with port", "registry.local:5000/mirror/semitechnologies/weaviate:v1.25.0", true, "v1.25.0", "", 53, false},
		{"no tag", "semitechnologies/weaviate", true, "", "", 25, false},
		{"digest", "semitechnologies/weaviate@sha256:" + sha, true, "", "sha256:" + sha, 25, false},
		{"tag and digest", "semitechnologies/weaviate:1.27.5@sha256:" + sha, true, "1.27.5", "sha256:" + sha, 26, false},
		{"module image", "cr.weaviate.io/semitechnologies/transformers-inference:sentence-transformers", false, "sentence-transformers", "", 55, false},
		{"lookalike", "semitechnologies/weaviate-extra:1.0.0", false, "1.0.0", "", 32, false},
		{"other", "postgres:16", false, "16", "", 9, false},
		{"uppercase", "SemiTechnologies/Weaviate:1.2.3", false, "", "", 0, true},
		{"space", "semitechnologies/weaviate: 1.2.3", false, "", "", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Parse(tt.raw)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if r.IsWeaviate() != tt.weaviate || r.Tag != tt.tag || r.Digest != tt.digest || r.TagOffset != tt.tagOffset {
				t.Errorf("got weaviate=%v tag=%q digest=%q off=%d", r.IsWeaviate(), r.Tag, r.Digest, r.TagOffset)
			}
		})
	}
}

const sha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

func FuzzParse(f *testing.F) {
	f.Add("semitechnologies/weaviate:1.27.5")
	f.Add("a:b@sha256:" + sha)
	f.Fuzz(func(t *testing.T, s string) {
		r, err := Parse(s)
		if err == nil && (r.TagOffset < 0 || r.TagOffset > len([]rune(s))) {
			t.Fatalf("offset %d out of range for %q", r.TagOffset, s)
		}
		_ = LooksWeaviate(s)
	})
}
