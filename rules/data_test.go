package rules

import (
	"testing"

	"github.com/Masterminds/semver/v3"
)

func TestDataTablesParse(t *testing.T) {
	if len(KnownIssues()) < 10 {
		t.Errorf("known issues: %d rows", len(KnownIssues()))
	}
	env := EnvTable()
	if len(env) < 400 {
		t.Errorf("env table: %d rows", len(env))
	}
	tests := []struct {
		name, v     string
		reads, know bool
	}{
		{"PROFILING_PORT", "1.25.3", true, true},
		{"PROFILING_PORT", "1.26.0", false, true},
		{"PROFILING_PORT", "1.18.0", false, false},
		{"ENABLE_API_BASED_MODULES", "1.32.27", true, true},
		{"ENABLE_API_BASED_MODULES", "1.33.0", false, true},
		{"REINDEX_MAP_TO_BLOCKMAX_AT_STARTUP", "1.37.14", true, true},
		{"REINDEX_MAP_TO_BLOCKMAX_AT_STARTUP", "1.38.0", false, true},
		{"ALLOWED_COMPRESSION_TYPES", "1.37.4", false, true},
		{"ALLOWED_COMPRESSION_TYPES", "1.37.5", true, true},
		{"ENABLE_MODULES", "1.45.0", true, true},
		{"PROFILING_PORT", "1.45.0", false, true},
	}
	for _, tt := range tests {
		reads, known := env[tt.name].Reads(semver.MustParse(tt.v))
		if reads != tt.reads || known != tt.know {
			t.Errorf("%s at %s: reads=%v known=%v, want %v %v", tt.name, tt.v, reads, known, tt.reads, tt.know)
		}
	}
	ki := KnownIssues()[0]
	if !ki.Affects(semver.MustParse("1.27.24")) || ki.Affects(semver.MustParse("1.27.27")) {
		t.Errorf("restore-blocked range wrong: %+v", ki)
	}
}

func TestDataTablesReject(t *testing.T) {
	bad := map[string]string{
		"columns":      "x\t1.0.0\t1.0.1\n",
		"version":      "x\t1.0\t1.0.1\t1.0.2\tany\ts\n",
		"applies":      "x\t1.0.0\t1.0.1\t1.0.2\tsometimes\ts\n",
		"fix in range": "x\t1.0.0\t1.0.5\t1.0.2\tany\ts\n",
	}
	for name, row := range bad {
		if _, err := ParseKnownIssues([]byte(row)); err == nil {
			t.Errorf("%s: accepted %q", name, row)
		}
	}
	if _, err := ParseEnvTable([]byte("env_var\tfirst_seen_tag\tlast_seen_tag\tin_v1.39.0\tdetected_by\tv1.38\tv1.39\tnotes\nX\tv1.38.0\tv1.39.0\tyes\tgetenv\tsometimes\tall\t\n")); err == nil {
		t.Error("env table with a bad cell accepted")
	}
}
