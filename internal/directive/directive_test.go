package suppress

import (
	"testing"

	"github.com/wvlint/wvlint/internal/pos"
)

func TestParse(t *testing.T) {
	src := "a: 1\n  # wvlint:ignore WV1002,skipped-minor waiting for the vendor\nimage: x # wvlint:ignore WV2001 tests only\n# wvlint:ignore WV1002\n# wvlint:ignore\n"
	ds := Parse("f.yaml", pos.NewLines([]byte(src)))
	if len(ds) != 4 {
		t.Fatalf("got %d directives", len(ds))
	}
	if d := ds[0]; d.Target != 3 || len(d.Rules) != 2 || d.Reason != "waiting for the vendor" || d.Span.Col != 5 {
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
