package facts

import (
	"strings"
	"testing"

	"github.com/Masterminds/semver/v3"
)

func TestFactsHaveSources(t *testing.T) {
	for _, f := range All() {
		if f.Version == nil || f.Says == "" || f.Source == "" {
			t.Errorf("fact without version, text or source: %+v", f)
		}
	}
}

// The HNSW read-back boundaries are the first tags with
// migrate_compact_v2_snapshot.
func TestReadsHNSWSnapshots(t *testing.T) {
	for v, want := range map[string]bool{
		"1.34.20": false, "1.35.16": false, "1.35.17": true, "1.35.23": true,
		"1.36.0": false, "1.36.9": false, "1.36.10": true, "1.36.23": true,
		"1.37.0": true, "1.38.11": true, "1.39.0": true, "1.40.2": true, "1.24.26": false,
	} {
		if got := ReadsHNSWSnapshots(semver.MustParse(v)); got != want {
			t.Errorf("ReadsHNSWSnapshots(%s) = %v, want %v", v, got, want)
		}
	}
}

// The .sorted rename boundaries are the first tags with
// migrateCompactV2SortedFiles; the caveat is for the patches between the
// read-back and the rename.
func TestSortedCaveat(t *testing.T) {
	for v, want := range map[string]bool{
		"1.35.16": false, "1.35.17": true, "1.35.18": true, "1.35.19": false, "1.35.23": false,
		"1.36.9": false, "1.36.10": true, "1.36.12": true, "1.36.13": false, "1.36.23": false,
		"1.37.0": true, "1.37.2": true, "1.37.3": false, "1.38.0": false, "1.38.11": false,
	} {
		why, got := SortedCaveat(semver.MustParse("1.39.0"), semver.MustParse(v))
		if got != want || got && !strings.Contains(why, v+" reads 1.39's HNSW snapshot back but not the .sorted commit logs") {
			t.Errorf("SortedCaveat(1.39.0, %s) = %q, %v; want %v", v, why, got, want)
		}
		if _, irreversible := Irreversible(semver.MustParse("1.39.0"), semver.MustParse(v)); got && irreversible {
			t.Errorf("1.39.0 -> %s is both irreversible and a caveat", v)
		}
	}
	for _, tt := range [][2]string{{"1.38.11", "1.36.10"}, {"1.36.10", "1.39.0"}, {"1.39.0", "1.39.0"}} {
		if why, ok := SortedCaveat(semver.MustParse(tt[0]), semver.MustParse(tt[1])); ok {
			t.Errorf("SortedCaveat(%s, %s) = %q: only a downgrade from 1.39 writes .sorted logs", tt[0], tt[1], why)
		}
	}
}

func TestUnsafeDowngrade(t *testing.T) {
	for _, tt := range []struct {
		from, to string
		want     bool
	}{
		{"1.28.12", "1.27.20", false}, {"1.28.13", "1.27.20", true}, {"1.29.4", "1.27.20", false},
		{"1.29.5", "1.27.25", true}, {"1.30.2", "1.27.26", false}, {"1.31.0", "1.27.0", true},
		{"1.33.1", "1.24.10", false}, // below Raft: WV1009's schema-v1 case, not this one
		{"2.0.0", "1.27.1", true},
	} {
		if got := UnsafeDowngrade(semver.MustParse(tt.from), semver.MustParse(tt.to)); got != tt.want {
			t.Errorf("UnsafeDowngrade(%s, %s) = %v, want %v", tt.from, tt.to, got, tt.want)
		}
	}
}

func TestIrreversible(t *testing.T) {
	for _, tt := range []struct {
		from, to, want string // want "" for reversible
	}{
		{"1.35.0", "1.24.26", "1.35.0 removed that endpoint"},
		{"1.34.9", "1.24.26", ""},
		{"1.39.0", "1.36.9", "1.36.9 has no code to read that file back"},
		{"1.39.2", "1.36.10", ""},
		{"1.38.0", "1.36.0", ""},
		{"1.24.26", "1.35.0", ""}, // an upgrade
	} {
		why, ok := Irreversible(semver.MustParse(tt.from), semver.MustParse(tt.to))
		if ok != (tt.want != "") || !strings.Contains(why, tt.want) {
			t.Errorf("Irreversible(%s, %s) = %q, %v; want %q", tt.from, tt.to, why, ok, tt.want)
		}
	}
}

func TestTestcontainersDefaultsText(t *testing.T) {
	want := "1.23.9 in v0.29, 1.24.6 in v0.30-v0.31, 1.25.5 in v0.32-v0.35, 1.29.0 in v0.36-v0.44"
	if got := TestcontainersDefaultsText(); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestHasBackupList(t *testing.T) {
	for v, want := range map[string]bool{
		"1.23.16": false, "1.24.24": false, "1.24.25": true, "1.25.16": false, "1.25.17": true,
		"1.26.4": false, "1.26.5": true, "1.27.0": true, "1.36.23": true, "2.0.0": true,
	} {
		if got := HasBackupList(semver.MustParse(v)); got != want {
			t.Errorf("HasBackupList(%s) = %v, want %v", v, got, want)
		}
	}
}
