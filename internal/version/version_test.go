package version

import "testing"

func TestParse(t *testing.T) {
	tests := []struct {
		name, raw string
		kind      Kind
		version   string
		minor     string
	}{
		{"release", "1.27.5", Release, "1.27.5", ""},
		{"leading v", "v1.27.5", Release, "1.27.5", ""},
		{"release candidate", "1.30.0-rc.0", Prerelease, "1.30.0-rc.0", ""},
		{"beta", "1.25.0-beta.1", Prerelease, "1.25.0-beta.1", ""},
		{"no tag", "", Missing, "", ""},
		{"latest", "latest", Floating, "", ""},
		{"nightly", "nightly", Floating, "", ""},
		{"minor only", "1.27", Floating, "", "1.27"},
		{"stable branch", "stable-v1.26-abc1234", Floating, "", "1.26"},
		{"preview slug", "preview-fix-things-abc1234", Preview, "", ""},
		{"main build", "main-abc1234", Preview, "", ""},
		{"sha build", "1.27.5-abc1234", Preview, "", "1.27"},
		{"sha build arch", "1.27.5-abc1234.arm64", Preview, "", "1.27"},
		{"garbage", "not-a-version", Invalid, "", ""},
		{"leading zero", "1.027.5", Invalid, "", ""},
		{"old helm", "0.12.71-7cdf2dd", Preview, "", "0.12"},
		{"minor with a suffix", "1.27-alpine", Floating, "", "1.27"},
		{"v minor with a suffix", "v1.27-debug", Floating, "", "1.27"},
		{"hyphenated pre-release", "1.39.2-raft-beta.1", Prerelease, "1.39.2-raft-beta.1", ""},
		{"other pre-release", "1.27.5-foo", Prerelease, "1.27.5-foo", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Parse(tt.raw)
			if got.Kind != tt.kind || got.String() != tt.version || got.Minor != tt.minor {
				t.Errorf("Parse(%q) = %v %q minor %q, want %v %q minor %q", tt.raw, got.Kind, got.String(), got.Minor, tt.kind, tt.version, tt.minor)
			}
			if got.Version == nil && got.Reason == "" {
				t.Errorf("Parse(%q): no version and no reason", tt.raw)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"1.27.5", "v1.0.0-rc.1", "latest", "1.27", "stable-v1.2-x", "1.2.3-abc1234.amd64", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Parse(s)
		if got.Version == nil && got.Reason == "" {
			t.Fatalf("Parse(%q): no version and no reason", s)
		}
		if got.Version != nil && got.Kind != Release && got.Kind != Prerelease {
			t.Fatalf("Parse(%q): version with kind %v", s, got.Kind)
		}
	})
}
