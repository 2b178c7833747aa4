package commalist

import (
	"reflect"
	"testing"
)

func TestSplit(t *testing.T) {
	for in, want := range map[string][]string{
		"backup-s3, text2vec-openai": {"backup-s3", "text2vec-openai"},
		" a ,, b ,":                  {"a", "b"},
		"":                           nil,
		" , ":                        nil,
		"WV1002":                     {"WV1002"},
	} {
		if got := Split(in); !reflect.DeepEqual(got, want) {
			t.Errorf("Split(%q) = %q, want %q", in, got, want)
		}
	}
	if !Contains("text2vec-openai, backup-s3", "backup-s3") || Contains("backup-s3x", "backup-s3") {
		t.Error("Contains wrong")
	}
}
