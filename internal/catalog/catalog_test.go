package catalog

import (
	"strings"
	"testing"
	"time"

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
	// Parse keys releases by their text: each is found as a version
	// parsed elsewhere (by its String) finds it.
	for _, r := range c.Releases {
		if !c.Has(semver.MustParse(r.Version.String())) {
			t.Errorf("%s: not found by its own version", r.Version)
		}
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

// TestStanding: a version the catalog does not list is unknown only when
// the catalog shows it cannot exist; otherwise it is newer than the
// catalog (embedded: 2026-08-20).
func TestStanding(t *testing.T) {
	c := Embedded()
	tests := []struct {
		v    string
		want Standing
		why  string
	}{
		{"1.38.11", Listed, ""},
		{"1.39.0-rc.1", Listed, ""},
		{"1.38.12", Newer, "newer than the release catalog of 2026-08-20"}, // a patch of a maintained minor
		{"1.39.1", Newer, "newer than the release catalog of 2026-08-20"},
		{"1.40.0", Newer, "newer than the release catalog"},
		{"1.40.3", Newer, "newer than the release catalog"},
		{"2.0.0", Newer, "newer than the release catalog"},
		{"1.39.1-rc.0", Newer, "newer than the release catalog"},
		{"1.35.24", Newer, "newer than the release catalog"}, // 1.35.23 was tagged 2026-06-05: still patched
		{"1.27.99", Impossible, "1.27 stopped receiving patches at 1.27.27 (2025-05-19), long before the catalog's date 2026-08-20"},
		{"1.30.99", Impossible, "stopped receiving patches"}, // 1.30's last patch: 2025-12-04
		{"1.27.15", Listed, ""},
		{"1.38.5-rc.9", Impossible, "1.38.5 was released without this pre-release"},
		{"1.39.0-rc.9", Impossible, "1.39.0 was released"},
		{"1.3.5", Impossible, "1.3 stopped receiving patches"},
		{"1.36.0-beta.1", Impossible, "1.36.0 was released"},
	}
	for _, tt := range tests {
		t.Run(tt.v, func(t *testing.T) {
			got, why := c.Standing(semver.MustParse(tt.v))
			if got != tt.want || !strings.Contains(why, tt.why) {
				t.Errorf("Standing(%s) = %d %q, want %d %q", tt.v, got, why, tt.want, tt.why)
			}
			if c.NewerThanCatalog(semver.MustParse(tt.v)) != (tt.want == Newer) {
				t.Errorf("NewerThanCatalog(%s) disagrees with Standing", tt.v)
			}
		})
	}
}

// TestStandingGap: a patch below its minor's latest that was never tagged
// cannot appear later.
func TestStandingGap(t *testing.T) {
	c, err := Parse("gap.tsv", []byte("1.38.4\t2026-07-01\trelease\n1.38.6\t2026-08-01\trelease\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if s, why := c.Standing(semver.MustParse("1.38.5")); s != Impossible || why != "1.38.5 was never tagged; the latest patch of 1.38 is 1.38.6" {
		t.Errorf("1.38.5: %d %q", s, why)
	}
	if s, _ := c.Standing(semver.MustParse("1.37.9")); s != Impossible {
		t.Errorf("1.37.9 (a minor older than the newest, with no release): %d", s)
	}
}

func TestChartStanding(t *testing.T) {
	c := Embedded()
	for v, want := range map[string]Standing{"17.8.3": Listed, "v17.8.3": Listed, "17.9.0": Newer, "18.0.0": Newer, "17.8.4": Newer, "17.2.9": Impossible, "17.9.0-rc.1": Impossible, "x": Impossible} {
		if got := c.ChartStanding(v); got != want {
			t.Errorf("ChartStanding(%s) = %d, want %d", v, got, want)
		}
	}
}

// TestParseFileCharts: a catalog file may carry the chart table after a
// "[charts]" line; without one the embedded chart table applies.
func TestParseFileCharts(t *testing.T) {
	data := "1.39.0\t2026-08-03\trelease\n1.40.0\t2026-10-01\trelease\n[charts]\n# chart table\n17.9.0\t2026-10-02\t1.40.0\t1.40.0\n"
	c, err := ParseFile("mine.tsv", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	if ch, ok := c.Chart("17.9.0"); !ok || ch.DefaultTag != "1.40.0" {
		t.Errorf("Chart(17.9.0) = %+v %v", ch, ok)
	}
	if _, ok := c.Chart("17.8.3"); ok {
		t.Error("a file with its own chart table got the embedded one too")
	}
	if got := c.ChartsAsOf.Format(time.DateOnly); got != "2026-10-02" {
		t.Errorf("ChartsAsOf = %s", got)
	}
	back, err := ParseFile("again", c.Format("round trip"))
	if err != nil || len(back.Releases) != 2 || len(back.Charts()) != 1 {
		t.Fatalf("round trip: %v %d %d", err, len(back.Releases), len(back.Charts()))
	}
	c, err = ParseFile("releases-only.tsv", []byte("1.39.0\t2026-08-03\trelease\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Chart("17.8.3"); !ok {
		t.Error("a release-only file lost the embedded chart table")
	}
	_, err = ParseFile("bad.tsv", []byte("1.39.0\t2026-08-03\trelease\n[charts]\n17.9.0\tsoon\t1.40.0\t1.40.0\n"))
	if err == nil || !strings.Contains(err.Error(), "line 3: date \"soon\"") {
		t.Errorf("err = %v, want the file's line 3", err)
	}
}

func TestStaleNote(t *testing.T) {
	c := Embedded()
	if n := c.StaleNote(c.AsOf.Add(59 * 24 * time.Hour)); n != "" {
		t.Errorf("59 days: %q", n)
	}
	want := "the built-in release catalog dates from 2026-08-20, more than 60 days ago: run 'wvlint releases update'"
	if n := c.StaleNote(c.AsOf.Add(61 * 24 * time.Hour)); n != want {
		t.Errorf("61 days: %q", n)
	}
	mine, _ := ParseFile("mine.tsv", []byte("1.39.0\t2020-08-03\trelease\n"))
	if n := mine.StaleNote(time.Now()); n != "" {
		t.Errorf("a catalog the user named: %q", n)
	}
}

// TestEmbeddedShared calls Embedded from many goroutines at once, as the
// analyzer does under golangci-lint: one catalog, parsed once. Under -race a
// lazily filled global fails this test.
func TestEmbeddedShared(t *testing.T) {
	got := make(chan *Catalog)
	for range 8 {
		go func() { got <- Embedded() }()
	}
	first := <-got
	for range 7 {
		if c := <-got; c != first {
			t.Fatalf("Embedded returned two catalogs: it parsed the table more than once")
		}
	}
}
