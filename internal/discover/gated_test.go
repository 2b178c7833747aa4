package discover

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"

	"github.com/wvlint/wvlint/internal/readbuf"
)

// wordGate is a gate for a word that records the pieces it is shown.
type wordGate struct {
	word   string
	pieces [][]byte
}

func (g *wordGate) gate() readbuf.Gate {
	return readbuf.Gate{Overlap: len(g.word), Holds: func(_ string, p []byte) bool {
		g.pieces = append(g.pieces, bytes.Clone(p))
		return bytes.Contains(p, []byte(g.word))
	}}
}

// seen is what the pieces showed of the file, overlaps counted once.
func (g *wordGate) seen() []byte {
	var out []byte
	for i, p := range g.pieces {
		if i > 0 {
			p = p[len(g.word):]
		}
		out = append(out, p...)
	}
	return out
}

// filler is n bytes of YAML-ish lines without the word.
func filler(n int) string {
	line := "  description: the quick brown fox jumps over the lazy dog 0123456789\n"
	return strings.Repeat(line, n/len(line)+1)[:n]
}

// withWord is filler of size bytes with "weaviate" written at offset at.
func withWord(size, at int) string {
	b := []byte(filler(size))
	copy(b[at:], "weaviate")
	return string(b)
}

func TestReadFileGated(t *testing.T) {
	size := 3*pieceSize + 1000
	cases := []struct {
		name, body string
		wanted     bool
		pieces     int // how many pieces the gate is shown; 0: any
	}{
		{name: "absent", body: filler(size), pieces: 4},
		{name: "first piece", body: withWord(size, 100), wanted: true, pieces: 1},
		{name: "past the first piece", body: withWord(size, 2*pieceSize+500), wanted: true, pieces: 3},
		// The word starts 4 bytes before the first piece ends: only the
		// second piece, which starts before it, holds it whole.
		{name: "across a boundary", body: withWord(size, pieceSize-4), wanted: true, pieces: 2},
		{name: "last bytes", body: withWord(size, size-8), wanted: true, pieces: 4},
		{name: "exactly a piece, absent", body: filler(pieceSize)},
	}
	eachMode(t, func(t *testing.T) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				root := t.TempDir()
				name := filepath.Join(root, "all.yaml")
				write(t, root, map[string]string{"all.yaml": c.body})
				fsys := NewOSFS([]string{root}, []string{name}, 64<<20)
				g := &wordGate{word: "weaviate"}
				data, err := fsys.ReadFileGated(name, make([]byte, 0, 4096), g.gate())
				switch {
				case c.wanted && (err != nil || string(data) != c.body):
					t.Fatalf("got %d bytes, %v; want the file's %d bytes", len(data), err, len(c.body))
				case !c.wanted && (!errors.Is(err, readbuf.ErrNotWanted) || data != nil):
					t.Fatalf("got %d bytes, %v; want ErrNotWanted", len(data), err)
				}
				if c.pieces != 0 && len(g.pieces) != c.pieces {
					t.Errorf("the gate saw %d pieces, want %d", len(g.pieces), c.pieces)
				}
				for i, p := range g.pieces {
					if len(p) > pieceSize {
						t.Errorf("piece %d is %d bytes, over a piece (%d)", i, len(p), pieceSize)
					}
				}
				if seen := g.seen(); !strings.HasPrefix(c.body, string(seen)) || !c.wanted && len(seen) != len(c.body) {
					t.Errorf("the pieces show %d bytes, not the file's %d in order", len(seen), len(c.body))
				}
			})
		}
	})
}

// A gated read of a file its buffer holds, or of a small file, reads it
// whole without asking the gate: the caller's own test decides.
func TestReadFileGatedSmall(t *testing.T) {
	eachMode(t, func(t *testing.T) {
		root := t.TempDir()
		small, large := filepath.Join(root, "small.yaml"), filepath.Join(root, "large.yaml")
		write(t, root, map[string]string{"small.yaml": filler(pieceSize - 1), "large.yaml": filler(pieceSize + 10)})
		fsys := NewOSFS([]string{root}, []string{small, large}, 64<<20)
		for _, c := range []struct {
			name string
			buf  []byte
		}{{small, nil}, {large, make([]byte, 0, pieceSize+11)}} {
			g := &wordGate{word: "weaviate"}
			data, err := fsys.ReadFileGated(c.name, c.buf, g.gate())
			body, _ := os.ReadFile(c.name)
			if err != nil || !bytes.Equal(data, body) || len(g.pieces) != 0 {
				t.Errorf("%s: %d bytes, %v, the gate asked %d times; want the whole file, the gate not asked", filepath.Base(c.name), len(data), err, len(g.pieces))
			}
		}
	})
}

// A buffer of more than a piece that cannot hold the file is the piece.
func TestReadFileGatedUsesBuffer(t *testing.T) {
	eachMode(t, func(t *testing.T) {
		root := t.TempDir()
		name := filepath.Join(root, "all.yaml")
		body := filler(5 * pieceSize)
		write(t, root, map[string]string{"all.yaml": body})
		fsys := NewOSFS([]string{root}, []string{name}, 64<<20)
		g := &wordGate{word: "weaviate"}
		buf := make([]byte, 0, 2*pieceSize)
		if _, err := fsys.ReadFileGated(name, buf, g.gate()); !errors.Is(err, readbuf.ErrNotWanted) {
			t.Fatalf("err = %v, want ErrNotWanted", err)
		}
		if len(g.pieces) != 3 || len(g.pieces[0]) != 2*pieceSize || string(g.seen()) != body {
			t.Errorf("the gate saw %d pieces (the first of %d bytes), want 3 of the buffer's %d bytes showing the whole file", len(g.pieces), len(g.pieces[0]), 2*pieceSize)
		}
	})
}

// The size limit comes first: an oversized file is a TooLargeError, its
// Sniff telling whether it mentions what the scan looks for.
func TestReadFileGatedSizeLimit(t *testing.T) {
	eachMode(t, func(t *testing.T) {
		root := t.TempDir()
		name := filepath.Join(root, "all.yaml")
		write(t, root, map[string]string{"all.yaml": withWord(3*pieceSize, 2*pieceSize+3)})
		fsys := NewOSFS([]string{root}, []string{name}, 2*pieceSize)
		fsys.Sniff = func(b []byte) bool { return bytes.Contains(b, []byte("weaviate")) }
		fsys.SniffWidth = 8
		g := &wordGate{word: "weaviate"}
		var tl *readbuf.TooLargeError
		if _, err := fsys.ReadFileGated(name, nil, g.gate()); !errors.As(err, &tl) || !tl.Mentions || tl.Size != 3*pieceSize {
			t.Errorf("err = %v, want a TooLargeError that mentions", err)
		}
	})
}

// git's index is listed as it streams, through a buffer shorter than some
// paths: each path once (a conflict holds one per stage), joined to the
// root as filepath.Join joins it, regular or not by its mode, without what
// goes through vendor/.
func TestGitTracked(t *testing.T) {
	root := filepath.Join(t.TempDir(), "repo")
	git := gitIn(t, root)
	long := strings.Repeat("d", 40) + "/" + strings.Repeat("e", 40) + ".yaml"
	write(t, root, map[string]string{"conflict.yaml": "a\n", "sub/b.yaml": "", long: "", "vendor/v.yaml": "", "with space/ü.yaml": ""})
	if err := os.Symlink("sub/b.yaml", filepath.Join(root, "link.yaml")); err != nil {
		t.Fatal(err)
	}
	git("init", "-q", "-b", "main")
	git("add", ".")
	git("commit", "-q", "-m", "x")
	git("checkout", "-q", "-b", "other")
	write(t, root, map[string]string{"conflict.yaml": "b\n"})
	git("commit", "-q", "-am", "b")
	git("checkout", "-q", "main")
	write(t, root, map[string]string{"conflict.yaml": "c\n"})
	git("commit", "-q", "-am", "c")
	if out, err := exec.Command("git", "-C", root, "merge", "-q", "other").CombinedOutput(); err == nil {
		t.Fatalf("the merge did not conflict: %s", out)
	}
	defer func(n int) { listBuf = n }(listBuf)
	listBuf = 32 // bufio's least: the long path spans reads

	var got []gitEntry
	n, ok := gitTracked(root)(func(e gitEntry) { got = append(got, e) })
	want := []gitEntry{
		{path: filepath.Join(root, "conflict.yaml"), regular: true},
		{path: filepath.Join(root, long), regular: true},
		{path: filepath.Join(root, "link.yaml")},
		{path: filepath.Join(root, "sub/b.yaml"), regular: true},
		{path: filepath.Join(root, "with space/ü.yaml"), regular: true},
	}
	if !ok || n != len(want) || !reflect.DeepEqual(got, want) {
		t.Errorf("gitTracked = %d, %v: %+v\nwant %+v", n, ok, got, want)
	}
	// A root below the repository, given relative: git lists the paths
	// under it relative to it.
	t.Chdir(root)
	got = nil
	if _, ok := gitTracked("sub/")(func(e gitEntry) { got = append(got, e) }); !ok || !reflect.DeepEqual(got, []gitEntry{{path: filepath.Join("sub", "b.yaml"), regular: true}}) {
		t.Errorf("gitTracked(sub/) = %+v", got)
	}
	got = nil
	if _, ok := gitTracked(".")(func(e gitEntry) { got = append(got, e) }); !ok || len(got) != len(want) || got[0].path != "conflict.yaml" {
		t.Errorf("gitTracked(.) = %+v", got)
	}
	if _, ok := gitTracked(t.TempDir())(func(gitEntry) {}); ok {
		t.Error("gitTracked outside a work tree: ok")
	}
}

// ReadFile follows a link that stays inside the trees, refuses a link or a
// ".." out of them, and says a FIFO is not a regular file without waiting
// for a writer.
func TestOSFSReadFile(t *testing.T) {
	eachMode(t, func(t *testing.T) {
		base := t.TempDir()
		tree := filepath.Join(base, "tree")
		write(t, base, map[string]string{"tree/a.yaml": "a", "tree/sub/b.yaml": "b", "secret.yaml": "s"})
		for link, target := range map[string]string{"in.yaml": "sub/b.yaml", "subl": "sub", "out.yaml": filepath.Join(base, "secret.yaml")} {
			if err := os.Symlink(target, filepath.Join(tree, link)); err != nil {
				t.Fatal(err)
			}
		}
		t.Chdir(tree)
		for _, root := range []string{tree, "."} {
			fsys := NewOSFS([]string{root}, nil, 1<<20)
			in := func(p string) string {
				if root == "." {
					return p
				}
				return tree + string(filepath.Separator) + p
			}
			for name, want := range map[string]string{"a.yaml": "a", "in.yaml": "b", "subl/b.yaml": "b", "sub/b.yaml": "b"} {
				if got, err := fsys.ReadFile(in(name)); err != nil || string(got) != want {
					t.Errorf("root %s: ReadFile(%s) = %q, %v; want %q", root, name, got, err, want)
				}
			}
			for _, name := range []string{"out.yaml", "../secret.yaml", "sub/../../secret.yaml"} {
				if _, err := fsys.ReadFile(in(name)); !errors.Is(err, ErrOutside) {
					t.Errorf("root %s: ReadFile(%s) err = %v, want ErrOutside", root, name, err)
				}
			}
			if _, err := fsys.ReadFile(in("gone.yaml")); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("root %s: ReadFile(gone.yaml) err = %v, want not found", root, err)
			}
			if _, err := fsys.ReadFile(in("a.yaml/x.yaml")); !errors.Is(err, syscall.ENOTDIR) {
				t.Errorf("root %s: ReadFile(a.yaml/x.yaml) err = %v, want not a directory", root, err)
			}
		}
		if err := syscall.Mkfifo(filepath.Join(tree, "pipe.yaml"), 0o644); err != nil {
			t.Fatal(err)
		}
		pipe := filepath.Join(tree, "pipe.yaml")
		fsys := NewOSFS([]string{tree}, []string{pipe}, 1<<20) // a regular file when it was listed
		if _, err := fsys.ReadFile(pipe); !errors.Is(err, errNotRegularFile) {
			t.Errorf("ReadFile(FIFO) err = %v, want not a regular file", err)
		}
		var sk *readbuf.SkippedError
		if _, err := fsys.ReadFileBuf(pipe, nil); !errors.As(err, &sk) || sk.Notice != "" {
			t.Errorf("ReadFileBuf(FIFO) err = %v, want skipped silently", err)
		}
	})
}

// Every file is sent once, however the roots overlap: a tracked file given
// again, a directory inside a root given before, the untracked files and
// a nested repository's; the index's listing of the first root is not
// recorded file by file, and what follows it is still told apart.
func TestStreamGitOnce(t *testing.T) {
	root := filepath.Join(t.TempDir(), "repo")
	git := gitIn(t, root)
	write(t, root, map[string]string{"a.yaml": "", "deploy/b.yaml": "", "deploy/c.yaml": "", "z.yaml": ""})
	git("init", "-q")
	git("add", ".")
	git("commit", "-q", "-m", "x")
	write(t, root, map[string]string{"deploy/untracked.yaml": "", "nested/d.yaml": ""})
	gitIn(t, filepath.Join(root, "nested"))("init", "-q")
	in := func(p string) string { return filepath.Join(root, p) }
	all := []string{in("a.yaml"), in("deploy/b.yaml"), in("deploy/c.yaml"), in("deploy/untracked.yaml"), in("nested/d.yaml"), in("z.yaml")}
	eachMode(t, func(t *testing.T) {
		for _, roots := range [][]string{
			{root},
			{root, root},
			{root, in("deploy")},
			{in("deploy"), root},
			{in("z.yaml"), root, in("deploy/b.yaml")},
		} {
			got, probs := walk(roots)
			if !reflect.DeepEqual(got, all) || len(probs) != 0 {
				t.Errorf("Stream(%q) = %q, %v\nwant each of %q once", roots, got, probs, all)
			}
		}
	})
}

// ReadDir lists the regular files of a directory, sorted, through a link
// that stays inside the trees too, and refuses a link or a ".." out.
func TestOSFSReadDir(t *testing.T) {
	eachMode(t, func(t *testing.T) {
		base := t.TempDir()
		tree := filepath.Join(base, "tree")
		write(t, base, map[string]string{"tree/sub/b.yaml": "", "tree/sub/a.yaml": "", "tree/sub/c.md": "", "tree/sub/deeper/x.yaml": "", "out/s.yaml": ""})
		for link, target := range map[string]string{"sub/link.yaml": "a.yaml", "subl": "sub", "outl": filepath.Join(base, "out")} {
			if err := os.Symlink(target, filepath.Join(tree, link)); err != nil {
				t.Fatal(err)
			}
		}
		if err := syscall.Mkfifo(filepath.Join(tree, "sub", "pipe.yaml"), 0o644); err != nil {
			t.Fatal(err)
		}
		fsys := NewOSFS([]string{tree}, nil, 1<<20)
		want := []string{"a.yaml", "b.yaml", "c.md"}
		for _, dir := range []string{"sub", "subl"} {
			if got, err := fsys.ReadDir(filepath.Join(tree, dir)); err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("ReadDir(%s) = %q, %v; want %q", dir, got, err, want)
			}
		}
		for _, dir := range []string{tree + "/outl", tree + "/sub/../../out"} {
			if _, err := fsys.ReadDir(dir); !errors.Is(err, ErrOutside) {
				t.Errorf("ReadDir(%s) err = %v, want ErrOutside", dir, err)
			}
		}
		if _, err := fsys.ReadDir(filepath.Join(tree, "gone")); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("ReadDir(gone) err = %v, want not found", err)
		}
	})
}

// A listing of the untracked files started by the caller (Want.Untracked)
// is the walk's, for the root it lists: the walk makes no second listing
// of its own. Shown by a file added after the listing was made, which
// only a listing of the walk's own would see; a listing of another
// directory is not used.
func TestStreamSharesUntrackedListing(t *testing.T) {
	root := filepath.Join(t.TempDir(), "repo")
	git := gitIn(t, root)
	write(t, root, map[string]string{"a.yaml": "", "sub/b.yaml": ""})
	git("init", "-q")
	git("add", ".")
	git("commit", "-q", "-m", "x")
	write(t, root, map[string]string{"early.yaml": ""})
	l := ListUntracked(root)
	if got, err := l.Paths(); err != nil || !reflect.DeepEqual(got, []string{"early.yaml"}) {
		t.Fatalf("Paths() = %q, %v", got, err)
	}
	other := ListUntracked(filepath.Join(root, "sub"))
	if _, err := other.Paths(); err != nil {
		t.Fatal(err)
	}
	write(t, root, map[string]string{"late.yaml": ""})
	in := func(p string) string { return filepath.Join(root, p) }
	for _, tt := range []struct {
		pre  *Listing
		want []string
	}{
		{l, []string{in("a.yaml"), in("early.yaml"), in("sub/b.yaml")}},
		{other, []string{in("a.yaml"), in("early.yaml"), in("late.yaml"), in("sub/b.yaml")}},
		{nil, []string{in("a.yaml"), in("early.yaml"), in("late.yaml"), in("sub/b.yaml")}},
	} {
		w := want
		w.Untracked = tt.pre
		got, probs := walkWant([]string{root}, w)
		if !reflect.DeepEqual(got, tt.want) || len(probs) != 0 {
			t.Errorf("Stream with listing %p = %q, %v; want %q", tt.pre, got, probs, tt.want)
		}
	}
}
