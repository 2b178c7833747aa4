package rules

import (
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/Masterminds/semver/v3"
)

func TestDataTablesParse(t *testing.T) {
	if len(KnownIssues()) < 10 {
		t.Errorf("known issues: %d rows", len(KnownIssues()))
	}
	// Env only indexes the embedded table's rows: every one is checked
	// here, and each looks up as the checked parse reads it.
	checked, err := ParseEnvTable(envTSV)
	if err != nil {
		t.Fatalf("weaviate-env-by-version.tsv: %v", err)
	}
	env := Env()
	if env.Len() < 400 || env.Len() != checked.Len() {
		t.Errorf("env table: %d rows, %d checked", env.Len(), checked.Len())
	}
	for name := range checked.rows {
		got, ok := env.Lookup(name)
		want, _ := checked.Lookup(name)
		if !ok || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: looked up as %+v, checked as %+v", name, got, want)
		}
	}
	if _, ok := env.Lookup("NOT_A_WEAVIATE_SETTING"); ok {
		t.Error("a name the table lacks was found")
	}
	if m := env.Minors(); len(m) != 21 || m[0] != "1.19" || m[len(m)-1] != "1.39" || env.Newest() != "1.39.0" {
		t.Errorf("env table covers %v up to %s", m, env.Newest())
	}
	if len(NoopSettings()) != 5 {
		t.Errorf("no-op settings: %d rows", len(NoopSettings()))
	}
	for _, s := range NoopSettings() {
		e, ok := env.Lookup(s.Name)
		if !ok || env.Reading(e, s.From).Status != EnvRead {
			t.Errorf("no-op %s: not read by %s in the env table", s.Name, s.From)
		}
	}
}

func TestEnvReading(t *testing.T) {
	env := Env()
	tests := []struct {
		name, v  string
		status   EnvStatus
		readFrom string // EnvGap
		since    string // EnvNotInNewest
		latest   bool   // EnvGap: the latest patch of the minor reads it
	}{
		{"PROFILING_PORT", "1.25.3", EnvRead, "", "", false},
		{"PROFILING_PORT", "1.26.0", EnvRemoved, "", "", false},
		{"PROFILING_PORT", "1.18.0", EnvUnknown, "", "", false},
		{"PROFILING_PORT", "1.24.0", EnvNotYet, "", "", false},
		{"PROFILING_PORT", "1.45.0", EnvRemoved, "", "", false},
		{"ENABLE_API_BASED_MODULES", "1.32.27", EnvRead, "", "", false},
		{"ENABLE_API_BASED_MODULES", "1.33.0", EnvRemoved, "", "", false},
		{"REINDEX_MAP_TO_BLOCKMAX_AT_STARTUP", "1.37.14", EnvRead, "", "", false},
		{"REINDEX_MAP_TO_BLOCKMAX_AT_STARTUP", "1.38.0", EnvRemoved, "", "", false},
		{"ALLOWED_COMPRESSION_TYPES", "1.37.4", EnvNotYet, "", "", false},
		{"ALLOWED_COMPRESSION_TYPES", "1.37.5", EnvRead, "", "", false},
		{"ENABLE_MODULES", "1.45.0", EnvRead, "", "", false},
		// Item 19: a backport gap. 1.26.14+ read it, 1.27 only from 1.27.11.
		{"ASYNC_REPLICATION_DISABLED", "1.27.5", EnvGap, "1.27.11", "", true},
		{"ASYNC_REPLICATION_DISABLED", "1.27.11", EnvRead, "", "", false},
		{"ASYNC_REPLICATION_DISABLED", "1.26.13", EnvNotYet, "", "", false},
		// REPLICA_MOVEMENT_ENABLED: 1.31.x, 1.32.16+, 1.33.4+, 1.34+.
		{"REPLICA_MOVEMENT_ENABLED", "1.32.5", EnvGap, "1.32.16", "", true},
		// Item 18: backports v1.39.0 lacks.
		{"GCS_MODULE_TRANSPORT", "1.39.0", EnvNotInNewest, "", "1.38.10", false},
		{"GCS_MODULE_TRANSPORT", "1.39.1", EnvRead, "", "", false},
		{"GCS_MODULE_TRANSPORT", "1.40.0", EnvRead, "", "", false},
		{"GCS_MODULE_TRANSPORT", "1.38.9", EnvNotYet, "", "", false},
		{"RUNTIME_REINDEX_ENABLED", "1.39.0", EnvNotInNewest, "", "1.38.9", false},
		{"REPLICA_MOVEMENT_CLEANUP_MAX_AGE", "1.40.3", EnvRead, "", "", false},
		// Gone from 1.38.1 on, and from stable/v1.39 and main: a removal.
		{"REPLICATED_INDICES_REQUEST_QUEUE_ENABLED", "1.39.0", EnvRemoved, "", "", false},
		{"REPLICATED_INDICES_REQUEST_QUEUE_ENABLED", "1.40.0", EnvRemoved, "", "", false},
		{"REPLICATED_INDICES_REQUEST_QUEUE_ENABLED", "1.38.3", EnvRemoved, "", "", false},
	}
	for _, tt := range tests {
		e, ok := env.Lookup(tt.name)
		if !ok {
			t.Fatalf("%s not in the table", tt.name)
		}
		got := env.Reading(e, semver.MustParse(tt.v))
		want := EnvReading{Status: tt.status, ReadFrom: tt.readFrom, Since: tt.since, LatestReads: tt.latest}
		if got != want {
			t.Errorf("%s at %s: %+v, want %+v", tt.name, tt.v, got, want)
		}
	}
}

// The table is built once and shared by parallel lints: parsing another
// table must not change it (it once kept its minors in a package global
// that a test's table overwrote for the rest of the binary).
func TestEnvTableImmutable(t *testing.T) {
	env := Env()
	before := env.Minors()
	small := "env_var\tfirst_seen_tag\tlast_seen_tag\tin_v1.3.0\tdetected_by\tv1.2\tv1.3\tnotes\nX\tv1.2.0\tv1.3.0\tyes\tgetenv\tall\tall\t\n"
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := ParseEnvTable([]byte(small)); err != nil {
				t.Error(err)
			}
			e, _ := env.Lookup("PROFILING_PORT")
			_ = env.Reading(e, semver.MustParse("1.26.0"))
		}()
	}
	wg.Wait()
	if got := env.Minors(); strings.Join(got, ",") != strings.Join(before, ",") {
		t.Errorf("minors changed: %v, were %v", got, before)
	}
	e, _ := env.Lookup("PROFILING_PORT")
	if r := env.Reading(e, semver.MustParse("1.26.0")); r.Status != EnvRemoved {
		t.Errorf("PROFILING_PORT at 1.26.0 after parsing another table: %+v", r)
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
	const header = "env_var\tfirst_seen_tag\tlast_seen_tag\tin_v1.39.0\tdetected_by\tv1.38\tv1.39\tnotes\n"
	badEnv := map[string]string{
		"cell":          header + "X\tv1.38.0\tv1.39.0\tyes\tgetenv\tsometimes\tall\t\n",
		"other minor":   header + "X\tv1.38.0\tv1.39.0\tyes\tgetenv\t>=1.37.2\tall\t\n",
		"leading zero":  header + "X\tv1.38.0\tv1.39.0\tyes\tgetenv\t>=1.38.02\tall\t\n",
		"reversed":      header + "X\tv1.38.0\tv1.39.0\tyes\tgetenv\t1.38.5..1.38.2\tall\t\n",
		"in_v disagree": header + "X\tv1.38.0\tv1.38.4\tyes\tgetenv\tall\t-\t\n",
		"duplicate":     header + "X\tv1.38.0\tv1.39.0\tyes\tgetenv\tall\tall\t\nX\tv1.38.0\tv1.39.0\tyes\tgetenv\tall\tall\t\n",
		"header":        "env_var\tfirst\tlast\tin_latest\tdetected_by\tv1.38\tv1.39\tnotes\n",
		"minors order":  "env_var\tfirst_seen_tag\tlast_seen_tag\tin_v1.39.0\tdetected_by\tv1.39\tv1.38\tnotes\n",
		"empty":         "",
	}
	for name, text := range badEnv {
		if _, err := ParseEnvTable([]byte(text)); err == nil {
			t.Errorf("env table %s: accepted", name)
		}
	}
	for name, text := range map[string]string{
		"columns": "X\t1.39.0\n",
		"version": "X\t1.39\tsays\n",
		"empty":   "X\t1.39.0\t\n",
	} {
		if _, err := ParseNoopSettings([]byte(text)); err == nil {
			t.Errorf("no-op table %s: accepted", name)
		}
	}
}

func BenchmarkParseEnvTable(b *testing.B) {
	for b.Loop() {
		if _, err := ParseEnvTable(envTSV); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIndexEnvTable is what a lint pays for the table on first use.
func BenchmarkIndexEnvTable(b *testing.B) {
	for b.Loop() {
		if _, err := indexEnvTable(envTSV); err != nil {
			b.Fatal(err)
		}
	}
}
