package pos

import (
	"reflect"
	"testing"
)

func TestLines(t *testing.T) {
	for _, tt := range []struct {
		src   string
		lines []string
		// offset -> line, column
		pos map[int][2]int
	}{
		{"", []string{""}, map[int][2]int{0: {1, 1}}},
		{"a", []string{"a"}, map[int][2]int{0: {1, 1}}},
		{"a\n", []string{"a", ""}, map[int][2]int{1: {1, 2}, 2: {2, 1}}},
		{"a\r\nbé\nc", []string{"a", "bé", "c"}, map[int][2]int{3: {2, 1}, 4: {2, 2}, 7: {3, 1}}},
		{"\n\n", []string{"", "", ""}, map[int][2]int{1: {2, 1}, 2: {3, 1}}},
		{"\ufeffx\ny", []string{"x", "y"}, map[int][2]int{5: {2, 1}}},
	} {
		l := NewLines([]byte(tt.src))
		var got []string
		for n := 1; n <= l.Count(); n++ {
			got = append(got, l.Line(n))
		}
		if !reflect.DeepEqual(got, tt.lines) {
			t.Errorf("%q: lines %q, want %q", tt.src, got, tt.lines)
		}
		for off, want := range tt.pos {
			if line, col := l.Pos(off); line != want[0] || col != want[1] {
				t.Errorf("%q: Pos(%d) = %d:%d, want %d:%d", tt.src, off, line, col, want[0], want[1])
			}
		}
	}
}
