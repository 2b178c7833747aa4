package format

import "testing"

func TestRedact(t *testing.T) {
	tests := map[string]string{
		"ENV WEAVIATE_APIKEY=sk-12345":                    "ENV WEAVIATE_APIKEY=****",
		"      AWS_SECRET_ACCESS_KEY: abc/def":            "      AWS_SECRET_ACCESS_KEY: ****",
		`  "AZURE_STORAGE_CONNECTION_STRING": "x;y=z"`:    `  "AZURE_STORAGE_CONNECTION_STRING": "****"`,
		"- OPENAI_APIKEY=${OPENAI_KEY} # from the env":    "- OPENAI_APIKEY=**** # from the env",
		"    image: semitechnologies/weaviate:1.27.27":    "    image: semitechnologies/weaviate:1.27.27",
		"WEAVIATE_VERSION=1.27.27":                        "WEAVIATE_VERSION=1.27.27",
		"      AUTHENTICATION_APIKEY_ALLOWED_KEYS: k1,k2": "      AUTHENTICATION_APIKEY_ALLOWED_KEYS: ****",
	}
	for in, want := range tests {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzRedact holds Redact's shortcut to the regexp it skips.
func FuzzRedact(f *testing.F) {
	f.Add("ENV WEAVIATE_APIKEY=sk-12345")
	f.Add("\u212aEY=x")
	f.Add("image: semitechnologies/weaviate:1.27.27")
	f.Fuzz(func(t *testing.T, line string) {
		if got, want := Redact(line), secretRE().ReplaceAllString(line, "${1}${2}****"); got != want {
			t.Fatalf("Redact(%q) = %q, the regexp gives %q", line, got, want)
		}
	})
}
