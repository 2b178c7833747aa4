package tsv

import (
	"errors"
	"strings"
	"testing"
)

func TestRows(t *testing.T) {
	data := "# comment\n\na\tb\tc\r\nd\te\n"
	var got []string
	err := Rows([]byte(data), 2, func(n int, f []string) error {
		got = append(got, strings.Join(f, "|")+"@"+string(rune('0'+n)))
		return nil
	})
	if err != nil || strings.Join(got, " ") != "a|b|c@3 d|e@4" {
		t.Errorf("rows %q, err %v", got, err)
	}
	if err := Rows([]byte("a\tb\nc\n"), 2, func(int, []string) error { return nil }); err == nil || err.Error() != "line 2: want 2 tab-separated columns, got 1" {
		t.Errorf("short row: %v", err)
	}
	bad := errors.New(`date "soon"`)
	err = Rows([]byte("x\n\ny\n"), 0, func(n int, f []string) error {
		if f[0] == "y" {
			return bad
		}
		return nil
	})
	if !errors.Is(err, bad) || err.Error() != `line 3: date "soon"` {
		t.Errorf("fn error: %v", err)
	}
	long := strings.Repeat("x", 200<<10)
	if err := Rows([]byte(long+"\n"), 1, func(int, []string) error { return nil }); err != nil {
		t.Errorf("a 200 KB line: %v", err)
	}
}
