package inventory

import "testing"

// TestDockerEnv: both ENV forms, quotes stripped, and the legacy
// "ENV KEY value with spaces" form keeps the whole value.
func TestDockerEnv(t *testing.T) {
	tests := []struct {
		line      string
		key, want string
		col, end  int
	}{
		{`ENV ENABLE_MODULES text2vec-openai, backup-s3`, "ENABLE_MODULES", "text2vec-openai, backup-s3", 20, 46},
		{`ENV GREETING "hello world"  `, "GREETING", "hello world", 15, 26},
		{`ENV QUERY_DEFAULTS_LIMIT 25`, "QUERY_DEFAULTS_LIMIT", "25", 26, 28},
		{`ENV A=1 B="two words"`, "B", "two words", 12, 21},
		{`ENV CLUSTER_HOSTNAME=node1`, "CLUSTER_HOSTNAME", "node1", 22, 27},
		{`ENV X='a "b"' ENABLE_MODULES="backup-s3, text2vec-openai"`, "ENABLE_MODULES", "backup-s3, text2vec-openai", 31, 57},
	}
	for _, tt := range tests {
		lines := dockerLines("Dockerfile", []byte(tt.line+"\n"))
		if len(lines) != 1 {
			t.Fatalf("%q: %d logical lines", tt.line, len(lines))
		}
		env := map[string]EnvVar{}
		dockerEnv(lines[0], fields(lines[0].text)[1:], env)
		got, ok := env[tt.key]
		if !ok || got.Value != tt.want || got.Span.Col != tt.col || got.Span.EndCol != tt.end {
			t.Errorf("%q: %s = %+v, want %q at %d-%d", tt.line, tt.key, got, tt.want, tt.col, tt.end)
		}
	}
}
