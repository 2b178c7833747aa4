package baseline

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wvlint/wvlint/internal/diag"
	"github.com/wvlint/wvlint/internal/pos"
)

func TestRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "base.json")
	ds := []diag.Diagnostic{
		{Rule: "WV2001", Span: pos.Span{File: "b.yaml", Line: 3}, Message: "moving tag (path: 1.27.27 -> 1.28.9)", Fingerprint: "bb:1"},
		{Rule: "WV9001", Span: pos.Span{File: "a.yaml"}, Message: "binary file", Fingerprint: "aa:1"},
	}
	if err := Write(path, ds); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	if i, j := strings.Index(string(data), "aa:1"), strings.Index(string(data), "bb:1"); i < 0 || j < i {
		t.Errorf("not sorted by fingerprint:\n%s", data)
	}
	if !strings.Contains(string(data), `"message": "moving tag (path: 1.27.27 -> 1.28.9)"`) || !strings.HasSuffix(string(data), "}\n") {
		t.Errorf("the file is not written as people read it (HTML-escaped, or no final newline):\n%s", data)
	}
	set, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	now := append(slices.Clone(ds), diag.Diagnostic{Rule: "WV1002", Fingerprint: "cc:1"})
	kept, n := set.Filter(now)
	if n != 2 || len(kept) != 1 || kept[0].Fingerprint != "cc:1" {
		t.Errorf("Filter: kept %+v, dropped %d", kept, n)
	}
}

func TestReadErrors(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{"bad.json": "{", "v2.json": `{"version":2,"findings":[]}`} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, want := range map[string]string{"bad.json": "baseline " + filepath.Join(dir, "bad.json"), "v2.json": "unknown version 2", "missing.json": "baseline: open"} {
		if _, err := Read(filepath.Join(dir, name)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Read(%s) = %v, want %q", name, err, want)
		}
	}
}
