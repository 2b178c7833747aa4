package plan

import (
	"strings"
	"testing"

	"github.com/Masterminds/semver/v3"

	"github.com/wvlint/wvlint/internal/catalog"
)

func TestLadder(t *testing.T) {
	cat := catalog.Embedded()
	tests := []struct {
		name, from, to, want, err string
	}{
		// The 13-rung ladder a real project wrote by hand in 2026, to the
		// newest release of the embedded catalog.
		{name: "1.27.0 to the newest", from: "1.27.0", to: "1.39.0",
			want: "1.27.27 1.28.16 1.29.11 1.30.23 1.31.22 1.32.27 1.33.18 1.34.20 1.35.23 1.36.23 1.37.14 1.38.11 1.39.0"},
		{name: "on the latest patch: next minor", from: "1.27.27", to: "1.29.11", want: "1.28.16 1.29.11"},
		{name: "patch only", from: "1.27.0", to: "1.27.27", want: "1.27.27"},
		{name: "to a patch that is not the latest", from: "1.27.0", to: "1.28.3", want: "1.27.27 1.28.3"},
		{name: "from a release candidate", from: "1.30.0-rc.0", to: "1.31.22", want: "1.30.23 1.31.22"},
		{name: "nothing to do", from: "1.39.0", to: "1.39.0", want: ""},
		{name: "downgrade", from: "1.30.2", to: "1.27.27", err: "a downgrade is not a ladder"},
		{name: "major", from: "1.27.0", to: "2.0.0", err: "different major versions"},
		{name: "unknown minor on the way", from: "1.39.0", to: "1.41.0", err: "knows no release of 1.40"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Ladder(semver.MustParse(tt.from), semver.MustParse(tt.to), cat)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var s []string
			for _, v := range got {
				s = append(s, v.String())
			}
			if strings.Join(s, " ") != tt.want {
				t.Errorf("ladder = %s, want %s", strings.Join(s, " "), tt.want)
			}
		})
	}
	if n := NewestRelease(cat); n.String() != "1.39.0" {
		t.Errorf("newest release = %s, want 1.39.0 (the embedded catalog's)", n)
	}
}
