package catalog

import (
	"strings"
	"testing"

	"github.com/Masterminds/semver/v3"
)

func TestEmbedded(t *testing.T) {
	c := Embedded()
	latest := map[string]string{"1.23": "1.23.16", "1.25": "1.25.34", "1.26": "1.26.18", "1.27": "1.27.27", "1.38": "1.38.11"}
	for m, want := range latest {
		got, ok := c.Latest(m)
		if !ok || got.String() != want {
			t.Errorf("Latest(%s) = %v, want %s", m, got, want)
		}
	}
	if got := c.AsOf.Format("2006-01-02"); got != "2026-08-20" {
		t.Errorf("AsOf = %s", got)
	}
	if !c.Has(semver.MustParse("1.39.0-rc.0")) {
		t.Error("pre-release 1.39.0-rc.0 missing")
	}
	if !c.NewerThanCatalog(semver.MustParse("1.40.0")) || c.NewerThanCatalog(semver.MustParse("1.38.11")) {
		t.Error("NewerThanCatalog wrong")
	}
	ch, ok := c.Chart("v17.8.3")
	if !ok || ch.DefaultTag != "1.38.2" {
		t.Errorf("Chart(17.8.3) = %+v, %v", ch, ok)
	}
	if ms := c.Minors(); ms[0] != "1.0" || ms[len(ms)-1] != "1.39" {
		t.Errorf("Minors = %v", ms)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ name, data, want string }{
		{"bad version", "x\t2020-01-01\trelease\n", "line 1: version"},
		{"bad date", "1.0.0\tyesterday\trelease\n", "line 1: date"},
		{"bad kind", "# c\n1.0.0\t2020-01-01\tfinal\n", "line 2: kind"},
		{"short row", "1.0.0\t2020-01-01\n", "line 1: want 3"},
		{"empty", "# nothing\n", "no releases"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("f.tsv", []byte(tt.data), nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}
