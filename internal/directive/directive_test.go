package directive

import (
	"testing"

	"github.com/wvlint/wvlint/internal/pos"
)

func TestParseIgnore(t *testing.T) {
	src := "a: 1\n  # wvlint:ignore WV1002,skipped-minor waiting for the vendor\nimage: x # wvlint:ignore WV2001 tests only\n# wvlint:ignore WV1002\n# wvlint:ignore\n"
	ds := Parse("f.yaml", pos.NewLines([]byte(src)))
	if len(ds) != 4 {
		t.Fatalf("got %d directives", len(ds))
	}
	if d := ds[0]; d.Kind != Ignore || d.Target != 3 || len(d.Rules) != 2 || d.Reason != "waiting for the vendor" || d.Span.Col != 5 || d.Span.EndCol != 5+len("wvlint:ignore") {
		t.Errorf("own-line directive: %+v", d)
	}
	if !ds[0].Covers("WV1001", "skipped-minor", 3) || ds[0].Covers("WV1001", "skipped-minor", 2) {
		t.Error("Covers by name or line wrong")
	}
	if d := ds[1]; d.Target != 3 || d.Reason != "tests only" {
		t.Errorf("trailing directive: %+v", d)
	}
	if ds[2].Reason != "" || len(ds[3].Rules) != 0 {
		t.Errorf("malformed ones: %+v %+v", ds[2], ds[3])
	}
}

func TestParseBackup(t *testing.T) {
	src := "image:\n  # wvlint:backup s3/before-1.26\n  tag: 1.26.18 #wvlint:backup gcs/nightly-7 taken by the runbook\n# wvlint:backup nothing\n# wvlint:ignore WV1003 no backup needed here\n"
	all := Parse("values.yaml", pos.NewLines([]byte(src)))
	ds := Of(all, Backup)
	if len(all) != 4 || len(ds) != 3 {
		t.Fatalf("got %d directives, %d backups", len(all), len(ds))
	}
	want := []struct {
		target int
		backup string
	}{{3, "s3/before-1.26"}, {3, "gcs/nightly-7"}, {5, ""}}
	for i, w := range want {
		if ds[i].Target != w.target || ds[i].Backup != w.backup {
			t.Errorf("backup %d: %+v, want target %d backup %q", i, ds[i], w.target, w.backup)
		}
	}
	if ds[0].Covers("WV1003", "missing-backup", 3) {
		t.Error("a backup directive silences nothing")
	}
	if d := Of(all, Ignore); len(d) != 1 || d[0].Target != 6 {
		t.Errorf("ignore among backups: %+v", d)
	}
}

func FuzzParse(f *testing.F) {
	f.Add("# wvlint:ignore WV1002 why\nx # wvlint:backup s3/x\n")
	f.Fuzz(func(t *testing.T, s string) {
		for _, d := range Parse("f", pos.NewLines([]byte(s))) {
			if d.Target < d.Span.Line || d.Span.Col < 1 {
				t.Fatalf("bad directive %+v", d)
			}
		}
	})
}
