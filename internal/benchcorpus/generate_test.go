package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/wvlint/wvlint/internal/cli"
)

// The scan finds exactly the pins the generator wrote, in a git work tree
// and outside one: the file listing from git's index, the nested .gitignore
// files, the rendered multi-document files parsed document by document and
// the values override layers all keep every deployment and add none. This
// pins the benchmark's counts: an optimisation that loses a deployment
// fails here, not in a timing table.
func TestScanFindsEveryGeneratedPin(t *testing.T) {
	dir := t.TempDir()
	c, err := generate(dir, 2000)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.pins) < 30 {
		t.Fatalf("the generator wrote only %d pins", len(c.pins))
	}
	want := map[pin]int{}
	for _, p := range c.pins {
		want[p]++
	}
	check := func(t *testing.T) {
		t.Helper()
		var out, errb bytes.Buffer
		code := cli.Run([]string{"inventory", "-f", "json", dir}, nil, &out, &errb)
		if code != 0 {
			t.Fatalf("wvlint inventory exited %d: %s", code, errb.String())
		}
		var inv struct {
			Deployments []struct {
				File, Version, Raw string
				Line, Column       int
			}
			Errors []json.RawMessage
		}
		if err := json.Unmarshal(out.Bytes(), &inv); err != nil {
			t.Fatal(err)
		}
		got := map[pin]int{}
		for _, d := range inv.Deployments {
			got[pin{relTo(dir, d.File), d.Version}]++
			// The position is exact: the version text starts there.
			if at := textAt(t, d.File, d.Line, d.Column, len([]rune(d.Raw))); at != d.Raw {
				t.Errorf("%s:%d:%d holds %q, not the version %q", d.File, d.Line, d.Column, at, d.Raw)
			}
		}
		if fmt.Sprint(sorted(got)) != fmt.Sprint(sorted(want)) {
			t.Errorf("found %d deployments, the generator wrote %d\nmissing: %v\nextra: %v", len(inv.Deployments), len(c.pins), minus(want, got), minus(got, want))
		}
		if len(inv.Errors) != 0 {
			t.Errorf("errors: %s", inv.Errors)
		}
	}
	t.Run("walk", check)
	if err := commit(dir, "corpus", "base"); err != nil {
		t.Fatal(err)
	}
	t.Run("git", check)
}

// textAt is n code points of file from line:col (1-based).
func textAt(t *testing.T, file string, line, col, n int) string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	if line < 1 || line > len(lines) {
		return ""
	}
	r := []rune(lines[line-1])
	if col < 1 || col-1+n > len(r) {
		return ""
	}
	return string(r[col-1 : col-1+n])
}

func relTo(dir, file string) string {
	if len(file) > len(dir) && file[:len(dir)] == dir {
		return file[len(dir)+1:]
	}
	return file
}

func sorted(m map[pin]int) []string {
	var s []string
	for p, n := range m {
		s = append(s, fmt.Sprintf("%s %s x%d", p.file, p.version, n))
	}
	sort.Strings(s)
	return s
}

func minus(a, b map[pin]int) []string {
	var s []string
	for p, n := range a {
		if b[p] < n {
			s = append(s, fmt.Sprintf("%s %s", p.file, p.version))
		}
	}
	sort.Strings(s)
	return s
}
