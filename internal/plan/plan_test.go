package plan

import (
	"strings"
	"testing"

	"github.com/Masterminds/semver/v3"

	"github.com/wvlint/wvlint/internal/catalog"
)

// summary renders a plan compactly: "1.26.18[backup,metadata-sync,upgrade] 1.27.27[...]".
func summary(p *Plan) string {
	var parts []string
	for _, s := range p.Steps {
		var kinds []string
		for _, a := range s.Actions {
			kinds = append(kinds, a.Kind)
		}
		parts = append(parts, s.Version+"["+strings.Join(kinds, ",")+"]")
	}
	return strings.Join(parts, " ")
}

func TestMake(t *testing.T) {
	cat := catalog.Embedded()
	tests := []struct {
		name, from, to string
		opt            Options
		steps          string
		refused        bool
		warning        string // a substring of some warning, "" for none expected
	}{
		{"docs worked example", "1.25.10", "1.27", Options{Platform: Docker},
			"1.26.18[backup,metadata-sync,upgrade] 1.27.27[metadata-sync,upgrade]", false, ""},
		{"patch upgrade", "1.27.5", "1.27.27", Options{}, "1.27.27[backup,metadata-sync,patch]", false, ""},
		{"same version", "1.27.5", "1.27.5", Options{}, "", false, ""},
		{"raft docker", "1.24.8", "1.25", Options{Platform: Docker},
			"1.25.34[backup,upgrade,raft-migration]", false, "take another backup"},
		{"raft kubernetes", "1.24.8", "1.26", Options{Platform: Kubernetes, Nodes: 3},
			"1.25.34[backup,raft-migration,upgrade,raft-migration] 1.26.18[backup,metadata-sync,upgrade]", false, ""},
		{"raft unknown platform", "1.24.0", "1.25.0", Options{},
			"1.25.0[backup,raft-migration,upgrade,raft-migration]", false, "pass --platform"},
		{"restore boundary below", "1.23.12", "1.24", Options{},
			"1.23.16[backup,patch,restore] 1.24.26[upgrade]", false, ""},
		{"restore boundary at", "1.23.13", "1.24", Options{}, "1.24.26[backup,upgrade]", false, ""},
		{"restore from older minor", "1.22.3", "1.24", Options{},
			"1.23.16[backup,upgrade,restore] 1.24.26[upgrade]", false, ""},
		{"restore target still old", "1.22.3", "1.23.10", Options{}, "1.23.10[backup,upgrade]", false, "still below 1.23.13"},
		{"to non-latest patch", "1.26.18", "1.27.5", Options{}, "1.27.5[backup,metadata-sync,upgrade]", false, ""},
		{"downgrade 1.27.25 multi from 1.28.13", "1.28.13", "1.27.25", Options{Nodes: 3}, "", true, "1.27.27 instead"},
		{"downgrade 1.27.26 multi from 1.28.13", "1.28.13", "1.27.26", Options{Nodes: 3}, "1.27.26[backup,downgrade]", false,
			"1.27.26 is not the latest patch of 1.27: downgrade to 1.27.27 instead; 1.27.26 has a known issue that 1.27.27 fixes"},
		{"downgrade to an old patch names the latest", "1.29.6", "1.28.3", Options{}, "1.28.3[backup,downgrade]", false,
			"1.28.3 is not the latest patch of 1.28: downgrade to 1.28.16 instead; the latest patch of a minor carries every fix"},
		{"downgrade from 1.28.12 is safe", "1.28.12", "1.27.20", Options{Nodes: 3}, "1.27.20[backup,downgrade]", false, ""},
		{"1.29.4 safe", "1.29.4", "1.27.20", Options{Nodes: 3}, "1.27.20[backup,downgrade]", false, ""},
		{"1.29.5 refused", "1.29.5", "1.27.20", Options{Nodes: 3}, "", true, ""},
		{"1.30.1 safe", "1.30.1", "1.27.20", Options{Nodes: 3}, "1.27.20[backup,downgrade]", false, ""},
		{"1.30.2 refused", "1.30.2", "1.27.20", Options{Nodes: 2}, "", true, ""},
		{"later minor refused", "1.33.1", "1.27.0", Options{Nodes: 3}, "", true, ""},
		{"single node warned", "1.30.2", "1.27.20", Options{Nodes: 1}, "1.27.20[backup,downgrade]", false, "single node"},
		{"unknown nodes warned", "1.30.2", "1.27.20", Options{}, "1.27.20[backup,downgrade]", false, "if this is a multi-node"},
		{"schema-v1 downgrade", "1.25.10", "1.24.10", Options{Platform: Kubernetes}, "1.24.10[backup,schema-v1,schema-v1,downgrade]", false, ""},
		{"schema-v1 gone", "1.35.2", "1.24.10", Options{}, "", true, ""},
		{"1.39 to 1.38 reads back", "1.39.0", "1.38.11", Options{}, "1.38.11[backup,downgrade]", false, ""},
		{"1.39 to 1.36.9 cannot read back", "1.39.0", "1.36.9", Options{}, "", true, "downgrade to 1.36.23 instead"},
		{"prerelease", "1.38.11", "1.39.0-rc.1", Options{}, "1.39.0-rc.1[backup,metadata-sync,upgrade]", false, "pre-release"},
		{"newer than catalog", "1.38.11", "1.40.2", Options{}, "1.39.0[backup,metadata-sync,upgrade] 1.40.2[metadata-sync,upgrade]", false, "newer than the release catalog"},
		{"minor past catalog", "1.39.0", "1.41.0", Options{}, "1.40.x[backup,upgrade] 1.41.0[metadata-sync,upgrade]", false, "newer than the release catalog"},
		{"unknown from", "1.27.99", "1.28", Options{}, "1.28.16[backup,metadata-sync,upgrade]", false, "not a Weaviate release"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from := semver.MustParse(tt.from)
			to, err := ParseTarget(tt.to, cat)
			if err != nil {
				t.Fatal(err)
			}
			p := Make(from, to, tt.opt, cat)
			if got := summary(p); got != tt.steps {
				t.Errorf("steps\n got %s\nwant %s", got, tt.steps)
			}
			if (p.Refused != "") != tt.refused {
				t.Errorf("refused = %q, want %v", p.Refused, tt.refused)
			}
			found := tt.warning == ""
			for _, w := range p.Warnings {
				found = found || strings.Contains(w, tt.warning)
			}
			if !found {
				t.Errorf("no warning containing %q in %q", tt.warning, p.Warnings)
			}
		})
	}
}

// TestDowngradeLatestPatch: a downgrade to the latest patch of the target
// minor says nothing more; one below it names the latest patch.
func TestDowngradeLatestPatch(t *testing.T) {
	cat := catalog.Embedded()
	p := Make(semver.MustParse("1.29.6"), semver.MustParse("1.27.27"), Options{Nodes: 3}, cat)
	if len(p.Warnings) != 0 || p.Alternative != "" {
		t.Errorf("1.27.27: warnings %q, alternative %q", p.Warnings, p.Alternative)
	}
	p = Make(semver.MustParse("1.29.6"), semver.MustParse("1.27.26"), Options{Nodes: 3}, cat)
	if p.Alternative != "1.27.27" || p.Steps[0].Actions[1].Text != "downgrade to 1.27.26; the latest patch of 1.27 is 1.27.27: prefer it" {
		t.Errorf("1.27.26: alternative %q, actions %+v", p.Alternative, p.Steps[0].Actions)
	}
}

// A 1.39 downgrade is refused exactly where the HNSW snapshots cannot be
// read back (facts.ReadsHNSWSnapshots), with facts.Irreversible's reason.
func TestHNSWDowngrade(t *testing.T) {
	cat := catalog.Embedded()
	for v, refused := range map[string]bool{
		"1.34.20": true, "1.35.16": true, "1.35.17": false, "1.35.23": false,
		"1.36.0": true, "1.36.9": true, "1.36.10": false, "1.36.23": false,
		"1.37.0": false, "1.38.11": false, "1.24.26": true,
	} {
		p := Make(semver.MustParse("1.39.0"), semver.MustParse(v), Options{Nodes: 1}, cat)
		if got := p.Refused != ""; got != refused {
			t.Errorf("plan 1.39.0 %s: refused %q, want refused %v", v, p.Refused, refused)
		}
		if refused && !strings.Contains(p.Refused, "has no code to read that file back") && v != "1.24.26" {
			t.Errorf("plan 1.39.0 %s: refused for another reason: %q", v, p.Refused)
		}
	}
}

// Where 1.39's snapshot is read back but its .sorted commit logs are not
// renamed, the plan is not refused but warns (facts.SortedCaveat).
func TestSortedDowngradeWarning(t *testing.T) {
	cat := catalog.Embedded()
	for v, want := range map[string]bool{"1.36.10": true, "1.36.12": true, "1.37.0": true, "1.35.17": true, "1.36.13": false, "1.37.3": false, "1.38.0": false} {
		p := Make(semver.MustParse("1.39.0"), semver.MustParse(v), Options{Nodes: 1}, cat)
		got := false
		for _, w := range p.Warnings {
			got = got || strings.Contains(w, v+" reads 1.39's HNSW snapshot back but not the .sorted commit logs")
		}
		if got != want || p.Refused != "" {
			t.Errorf("plan 1.39.0 %s: warnings %q, refused %q; want the .sorted warning %v", v, p.Warnings, p.Refused, want)
		}
	}
}

func TestParseTarget(t *testing.T) {
	cat := catalog.Embedded()
	for in, want := range map[string]string{"1.27": "1.27.27", "v1.26": "1.26.18", "1.27.5": "1.27.5", "v1.30.0-rc.0": "1.30.0-rc.0"} {
		got, err := ParseTarget(in, cat)
		if err != nil || got.String() != want {
			t.Errorf("ParseTarget(%q) = %v, %v; want %s", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "latest", "1.x", "1.99", "one.two"} {
		if _, err := ParseTarget(bad, cat); err == nil {
			t.Errorf("ParseTarget(%q): no error", bad)
		}
	}
}

func FuzzPlan(f *testing.F) {
	cat := catalog.Embedded()
	f.Add("1.25.10", "1.27", 3)
	f.Add("0.0.1", "9.9.9", 0)
	f.Fuzz(func(t *testing.T, a, b string, nodes int) {
		from, err1 := ParseTarget(a, cat)
		to, err2 := ParseTarget(b, cat)
		if err1 != nil || err2 != nil {
			return
		}
		p := Make(from, to, Options{Nodes: nodes}, cat)
		if p.Direction == "upgrade" && len(p.Steps) == 0 && p.Refused == "" {
			t.Fatalf("upgrade %s -> %s without steps", from, to)
		}
	})
}

// TestRestoreTexts: the restore step and warning name the boundaries of
// internal/facts, in these words.
func TestRestoreTexts(t *testing.T) {
	cat := catalog.Embedded()
	p := Make(semver.MustParse("1.23.12"), semver.MustParse("1.24.26"), Options{}, cat)
	var texts []string
	for _, s := range p.Steps {
		for _, a := range s.Actions {
			if a.Kind == KindRestore {
				texts = append(texts, a.Text)
			}
		}
	}
	if want := "restore the backup taken before the upgrade into 1.23.16: versions before 1.23.13 could store restored data incorrectly"; len(texts) != 1 || texts[0] != want {
		t.Errorf("restore actions %q, want [%q]", texts, want)
	}
	p = Make(semver.MustParse("1.22.3"), semver.MustParse("1.23.10"), Options{}, cat)
	if want := "1.23.10 is still below 1.23.13, which fixed a backup-restore bug: continue to 1.23.16 and restore your backup there"; len(p.Warnings) != 1 || p.Warnings[0] != want {
		t.Errorf("warnings %q, want [%q]", p.Warnings, want)
	}
}
