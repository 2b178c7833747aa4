package fix

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wvlint/wvlint/internal/pos"
)

func sp(line, col, end int) pos.Span { return pos.Span{File: "f", Line: line, Col: col, EndCol: end} }

func TestApply(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		edits   []Edit
		want    string
		wantErr string
	}{
		{name: "plain", src: "image: weaviate:1.27.0\n", edits: []Edit{{Span: sp(1, 17, 23), New: "1.27.27", Old: "1.27.0"}}, want: "image: weaviate:1.27.27\n"},
		{name: "quotes and comment kept", src: "  tag: \"1.27.0\" # pinned\n", edits: []Edit{{Span: sp(1, 9, 15), New: "1.27.27"}}, want: "  tag: \"1.27.27\" # pinned\n"},
		{name: "crlf kept", src: "a: 1\r\ntag: 1.27.0\r\nb: 2\r\n", edits: []Edit{{Span: sp(2, 6, 12), New: "1.28.16"}}, want: "a: 1\r\ntag: 1.28.16\r\nb: 2\r\n"},
		{name: "bom is not a column", src: "\ufefftag: 1.27.0\n", edits: []Edit{{Span: sp(1, 6, 12), New: "1.27.27", Old: "1.27.0"}}, want: "\ufefftag: 1.27.27\n"},
		{name: "code points, not bytes", src: "# é\nnamé: «1.27.0»\n", edits: []Edit{{Span: sp(2, 8, 14), New: "1.27.27", Old: "1.27.0"}}, want: "# é\nnamé: «1.27.27»\n"},
		{name: "tab is one column", src: "\tWEAVIATE=1.27.0", edits: []Edit{{Span: sp(1, 11, 17), New: "1.27.27", Old: "1.27.0"}}, want: "\tWEAVIATE=1.27.27"},
		{name: "no final newline", src: "V=1.27.0", edits: []Edit{{Span: sp(1, 3, 9), New: "1.27.27"}}, want: "V=1.27.27"},
		{name: "two edits on a line", src: "a:1.0.0 b:2.0.0\n", edits: []Edit{{Span: sp(1, 11, 16), New: "2.0.1"}, {Span: sp(1, 3, 8), New: "1.0.1"}}, want: "a:1.0.1 b:2.0.1\n"},
		{name: "same edit twice is one", src: "V=1.27.0\n", edits: []Edit{{Span: sp(1, 3, 9), New: "1.27.27"}, {Span: sp(1, 3, 9), New: "1.27.27"}}, want: "V=1.27.27\n"},
		{name: "insertion", src: "image: semitechnologies/weaviate\n", edits: []Edit{{Span: sp(1, 33, 33), New: ":1.27.27"}}, want: "image: semitechnologies/weaviate:1.27.27\n"},
		{name: "conflict", src: "V=1.27.0\n", edits: []Edit{{Span: sp(1, 3, 9), New: "1.27.27"}, {Span: sp(1, 3, 9), New: "1.28.16"}}, wantErr: `f:1:3: conflicting edits: "1.28.16" here and "1.27.27" at f:1:3 overlap`},
		{name: "overlap", src: "V=1.27.0\n", edits: []Edit{{Span: sp(1, 3, 9), New: "1.27.27"}, {Span: sp(1, 5, 7), New: "28"}}, wantErr: "conflicting edits"},
		{name: "old text differs", src: "V=1.27.5\n", edits: []Edit{{Span: sp(1, 3, 9), New: "1.27.27", Old: "1.27.0"}}, wantErr: `f:1:3: expected "1.27.0" here, found "1.27.5"`},
		{name: "past the line end", src: "V=1.27.0\r\nW=1\n", edits: []Edit{{Span: sp(1, 3, 11), New: "x"}}, wantErr: "column 11 is past the end of line 1"},
		{name: "past the last line", src: "V=1\n", edits: []Edit{{Span: sp(3, 1, 2), New: "x"}}, wantErr: "the file has only 2 lines"},
		{name: "unknown end", src: "V=1\n", edits: []Edit{{Span: sp(1, 3, 0), New: "x"}}, wantErr: "do not make a span"},
		{name: "line break refused", src: "V=1\n", edits: []Edit{{Span: sp(1, 3, 4), New: "1\nX=2"}}, wantErr: "line break"},
		{name: "line break refused unless after the checked text", src: "V=1\n", edits: []Edit{{Span: sp(1, 1, 4), Old: "V=1", New: "V=2\nX=2"}}, wantErr: "line break"},
		{name: "lines added after a checked line", src: "\ufeffimage:\r\n  repo: x\r\n", edits: []Edit{{Span: sp(1, 1, 7), Old: "image:", New: "image:\r\n  tag: 1.27.27"}}, want: "\ufeffimage:\r\n  tag: 1.27.27\r\n  repo: x\r\n"},
		{name: "no edits", src: "a\r\n", want: "a\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Apply([]byte(tt.src), tt.edits)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestDiffPatch checks that what Diff writes is what `patch -p1` applies,
// with the real patch program, on the shapes wvlint edits.
func TestDiffPatch(t *testing.T) {
	if _, err := exec.LookPath("patch"); err != nil {
		t.Fatal("the patch program is needed for this test (apt-get install patch)")
	}
	long := func(eol string, n int, change map[int]string, last bool) string {
		var b strings.Builder
		for i := 1; i <= n; i++ {
			line := "line " + strings.Repeat("x", i%5)
			if c, ok := change[i]; ok {
				line = c
			}
			b.WriteString(line)
			if i < n || last {
				b.WriteString(eol)
			}
		}
		return b.String()
	}
	tests := []struct{ name, old, new string }{
		{"one line", "V=1.27.0\n", "V=1.27.27\n"},
		{"crlf", long("\r\n", 20, map[int]string{10: "tag: 1.27.0"}, true), long("\r\n", 20, map[int]string{10: "tag: 1.27.27"}, true)},
		{"bom", "\ufefftag: 1.27.0\nx: 1\n", "\ufefftag: 1.27.27\nx: 1\n"},
		{"no final newline", long("\n", 9, map[int]string{9: "V=1.27.0"}, false), long("\n", 9, map[int]string{9: "V=1.27.27"}, false)},
		{"two hunks", long("\n", 40, map[int]string{2: "a: 1.27.0", 35: "b: 1.27.0"}, true), long("\n", 40, map[int]string{2: "a: 1.27.27", 35: "b: 1.27.27"}, true)},
		{"merged hunk", long("\n", 40, map[int]string{10: "a: 1.27.0", 16: "b: 1.27.0"}, true), long("\n", 40, map[int]string{10: "a: 1.27.27", 16: "b: 1.27.27"}, true)},
		{"adjacent lines", long("\n", 8, map[int]string{4: "a", 5: "b"}, true), long("\n", 8, map[int]string{4: "A", 5: "B"}, true)},
		{"lines added", "a\nb\nc\n", "a\nb\nb2\nb3\nc\n"},
		{"lines removed", "a\nb\nb2\nc\n", "a\nc\n"},
		{"from empty", "", "a\n"},
		{"to empty", "a\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			name := "deploy/sub dir/compose.yaml"
			p := filepath.Join(dir, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(tt.old), 0o644); err != nil {
				t.Fatal(err)
			}
			var d bytes.Buffer
			if err := Diff(&d, name, []byte(tt.old), []byte(tt.new)); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command("patch", "-p1", "--batch", "--silent", "--no-backup-if-mismatch")
			cmd.Dir, cmd.Stdin = dir, bytes.NewReader(d.Bytes())
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("patch: %v\n%s\ndiff:\n%s", err, out, d.String())
			}
			got, err := os.ReadFile(p)
			if err != nil && (tt.new != "" || !os.IsNotExist(err)) {
				t.Fatal(err)
			}
			if string(got) != tt.new {
				t.Errorf("patched file = %q, want %q\ndiff:\n%s", got, tt.new, d.String())
			}
		})
	}
}

func TestDiffFormat(t *testing.T) {
	old := "a\nb\nc\nd\nV=1.27.0\ne\nf\ng\nh\n"
	new := strings.Replace(old, "1.27.0", "1.27.27", 1)
	var d bytes.Buffer
	if err := Diff(&d, "x/.env", []byte(old), []byte(new)); err != nil {
		t.Fatal(err)
	}
	want := "--- a/x/.env\n+++ b/x/.env\n@@ -2,7 +2,7 @@\n b\n c\n d\n-V=1.27.0\n+V=1.27.27\n e\n f\n g\n"
	if d.String() != want {
		t.Errorf("diff:\n%s\nwant:\n%s", d.String(), want)
	}
	d.Reset()
	if err := Diff(&d, "x", []byte(old), []byte(old)); err != nil || d.Len() != 0 {
		t.Errorf("equal contents gave %q, %v", d.String(), err)
	}
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "run.sh")
	if err := os.WriteFile(p, []byte("V=1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(p, []byte("V=1\n"), []byte("V=2\n")); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(p)
	fi, _ := os.Stat(p)
	if string(got) != "V=2\n" || fi.Mode().Perm() != 0o755 {
		t.Errorf("got %q mode %v, want \"V=2\\n\" -rwxr-xr-x", got, fi.Mode())
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("temporary files left: %v", ents)
	}
	// The file changed since it was read: refused, left alone.
	if err := WriteFile(p, []byte("V=1\n"), []byte("V=3\n")); err == nil || !strings.Contains(err.Error(), "changed while") {
		t.Errorf("stale write: err = %v", err)
	}
	if got, _ := os.ReadFile(p); string(got) != "V=2\n" {
		t.Errorf("stale write changed the file: %q", got)
	}
	link := filepath.Join(dir, "link.sh")
	if err := os.Symlink("run.sh", link); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(link, []byte("V=2\n"), []byte("V=4\n")); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("symlink: err = %v", err)
	}
	if got, _ := os.ReadFile(p); string(got) != "V=2\n" {
		t.Errorf("write through a symlink changed the target: %q", got)
	}
}
