package remedy

import (
	"strings"
	"testing"

	"github.com/wvlint/wvlint/internal/catalog"
	"github.com/wvlint/wvlint/internal/diag"
	"github.com/wvlint/wvlint/internal/inventory"
	"github.com/wvlint/wvlint/internal/pos"
	"github.com/wvlint/wvlint/internal/version"
)

// dep is a deployment whose tag text raw is written at line 1, column 10.
func dep(id, raw string) inventory.Deployment {
	t := version.Parse(raw)
	return inventory.Deployment{ID: id, File: "f", Line: 1, Column: 10, EndColumn: 10 + pos.RuneLen(raw), Raw: raw,
		Tag: t, Version: t.String(), Image: "semitechnologies/weaviate:" + raw}
}

func TestTarget(t *testing.T) {
	cat := catalog.Embedded()
	// The release that pushed `latest` last, read from the catalog here
	// independently of latestPushed: the newest date, then the highest.
	var pushed catalog.Release
	for _, r := range cat.Releases {
		switch {
		case r.Prerelease:
		case pushed.Version == nil, r.Date.After(pushed.Date), r.Date.Equal(pushed.Date) && pushed.Version.LessThan(r.Version):
			pushed = r
		}
	}
	tests := []struct {
		name, rule, from, raw string
		to                    string // what the rules resolved a floating tag to
		want, msg             string // want "" for no target; msg a substring of the message or the reason
	}{
		{"latest patch", "WV1002", "", "1.27.5", "", "1.27.27", "the latest patch of 1.27"},
		{"skipped minor: the first step", "WV1001", "1.25.10", "1.27.5", "", "1.26.18", "upgrade to 1.26.18 first; then 1.27.27"},
		{"skipped two minors", "WV1001", "1.24.8", "1.27.0", "", "1.25.34", "then 1.26.18 -> 1.27.27"},
		{"skipped minor to a floating tag", "WV1001", "1.25.10", "1.27", "1.27.27", "1.26.18", "upgrade to 1.26.18 first"},
		{"unsafe downgrade: the latest 1.27", "WV1004", "1.30.2", "1.27.20", "", "1.27.27", "downgrade to 1.27.27"},
		{"unsafe downgrade below 1.27: at least 1.27.26", "WV1004", "1.30.2", "1.26.3", "", "1.27.27", "downgrade to 1.27.27"},
		{"floating minor", "WV2001", "", "1.27", "1.27.27", "1.27.27", "latest patch of 1.27 today"},
		{"branch build: no release", "WV2001", "", "stable-v1.27-abc1234", "", "", "stands for no release"},
		{"latest", "WV2001", "", "latest", pushed.Version.String(), pushed.Version.String(), `"latest" points at today: the most recent release build (` + pushed.Date.Format("2006-01-02")},
		{"nightly", "WV2001", "", "nightly", "", "", "stands for no release"},
		{"not fixable", "WV1005", "1.28.0", "1.27.27", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := dep("a", tt.raw)
			v, msg, ok := Target(&diag.Diagnostic{Rule: tt.rule, From: tt.from, To: tt.to, Deployment: "a"}, &d, cat)
			if tt.want == "" {
				if ok {
					t.Fatalf("target %s, want none", v)
				}
			} else if !ok || v.String() != tt.want {
				t.Fatalf("target %v (%s), want %s", v, msg, tt.want)
			}
			if !strings.Contains(msg, tt.msg) {
				t.Errorf("message %q lacks %q", msg, tt.msg)
			}
		})
	}
}

func TestEdit(t *testing.T) {
	cat := catalog.Embedded()
	v, _ := cat.Latest("1.27")
	d := dep("a", "v1.27.5")
	if e, _, ok := Edit(&d, v); !ok || e.New != "v1.27.27" || e.Old != "v1.27.5" {
		t.Errorf("v-prefixed tag: %+v %v", e, ok)
	}
	// No tag: the tag is added to the reference as written.
	d = inventory.Deployment{ID: "b", File: "f", Line: 1, Column: 8, EndColumn: 33, Raw: "semitechnologies/weaviate",
		Image: "semitechnologies/weaviate", Tag: version.Parse("")}
	if e, _, ok := Edit(&d, v); !ok || e.New != "semitechnologies/weaviate:1.27.27" {
		t.Errorf("missing tag: %+v %v", e, ok)
	}
	// The chart's default: no edit, the note says which image.tag to set.
	d = inventory.Deployment{ID: "c", File: "Chart.yaml", Line: 6, Column: 14, EndColumn: 20, Raw: "17.3.0", Chart: "17.3.0", Tag: version.Parse("1.27.0")}
	if _, why, ok := Edit(&d, v); ok || !strings.Contains(why, `set image.tag: "1.27.27"`) {
		t.Errorf("chart-only: ok=%v why=%q", ok, why)
	}
	// A tag split over a variable and text is not one piece of text.
	d = dep("d", "1.27.5")
	d.Raw = "1.27.${P"
	if _, why, ok := Edit(&d, v); ok || !strings.Contains(why, "not written as one piece") {
		t.Errorf("split tag: ok=%v why=%q", ok, why)
	}
}

func TestSuggest(t *testing.T) {
	cat := catalog.Embedded()
	a, b := dep("a", "1.27.5"), dep("b", "1.27.5") // the same text: one .env line
	tests := []struct {
		name  string
		ds    []diag.Diagnostic
		fixes []string // per diagnostic: the new text, or "note: <substring>"
	}{
		{"one deployment, the most cautious finding wins", []diag.Diagnostic{
			{Rule: "WV1001", From: "1.25.10", Deployment: "a", Span: a.Span()},
			{Rule: "WV1002", Deployment: "a", Span: a.Span()},
		}, []string{"1.26.18", "note: fixed by the WV1001 fix"}},
		{"two deployments that agree", []diag.Diagnostic{
			{Rule: "WV1002", Deployment: "a", Span: a.Span(), Shared: []string{"b"}},
		}, []string{"1.27.27"}},
		{"two deployments that need different versions", []diag.Diagnostic{
			{Rule: "WV1001", From: "1.25.10", Deployment: "a", Span: a.Span()},
			{Rule: "WV1002", Deployment: "a", Span: a.Span(), Shared: []string{"b"}},
		}, []string{"note: need different versions (1.26.18 for a, 1.27.27 for b)", "note: need different versions"}},
		{"not fixable rules are left alone", []diag.Diagnostic{
			{Rule: "WV2005", Deployment: "a", Span: a.Span()},
		}, []string{""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Suggest(tt.ds, []inventory.Deployment{a, b}, cat)
			for i, want := range tt.fixes {
				s := got[i]
				switch {
				case strings.HasPrefix(want, "note: "):
					if s.Fix != nil || !strings.Contains(s.Note, strings.TrimPrefix(want, "note: ")) {
						t.Errorf("diagnostic %d: fix %+v note %q, want a note with %q", i, s.Fix, s.Note, want)
					}
				case want == "":
					if s.Fix != nil || s.Note != "" {
						t.Errorf("diagnostic %d: %+v, want nothing", i, s)
					}
				default:
					if s.Fix == nil || len(s.Fix.Edits) != 1 || s.Fix.Edits[0].New != want {
						t.Errorf("diagnostic %d: %+v (note %q), want the edit %q", i, s.Fix, s.Note, want)
					}
				}
			}
		})
	}
}
