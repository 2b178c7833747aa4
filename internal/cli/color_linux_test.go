//go:build linux

package cli

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"unsafe"
)

// openPTY opens a pseudo-terminal pair: what wvlint writes to slave is
// read from master, and slave is a terminal as an interactive shell's is.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("no pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	var n uint32
	if err := ioctl(m.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n))); err != nil {
		t.Fatalf("TIOCGPTN: %v", err)
	}
	var unlock int32
	if err := ioctl(m.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); err != nil {
		t.Fatalf("TIOCSPTLCK: %v", err)
	}
	s, err := os.OpenFile("/dev/pts/"+strconv.Itoa(int(n)), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("pseudo-terminal slave: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return m, s
}

func ioctl(fd, req, arg uintptr) error {
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, fd, req, arg); e != 0 {
		return e
	}
	return nil
}

// TestColorAuto runs wvlint with its standard output on a real terminal:
// --color auto colors the text there, and not when TERM=dumb or NO_COLOR
// says the terminal should not be colored; --color always still colors.
func TestColorAuto(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte("services:\n  w:\n    image: semitechnologies/weaviate:1.37.13\n    environment: {CLUSTER_HOSTNAME: node1}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	for _, tc := range []struct {
		name, term, noColor, color string
		want                       bool
	}{
		{"a terminal", "xterm-256color", "", "auto", true},
		{"TERM=dumb", "dumb", "", "auto", false},
		{"NO_COLOR", "xterm-256color", "1", "auto", false},
		{"TERM=dumb with --color always", "dumb", "", "always", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("TERM", tc.term)
			t.Setenv("NO_COLOR", tc.noColor)
			master, slave := openPTY(t)
			read := make(chan []byte)
			go func() {
				out, _ := io.ReadAll(master) // EIO once the slave is closed
				read <- out
			}()
			var stderr bytes.Buffer
			code := Run([]string{"--no-git", "--fail-on", "error", "--color", tc.color, "."}, strings.NewReader(""), slave, &stderr)
			slave.Close()
			out := string(<-read)
			if code != ExitOK || !strings.Contains(out, "compose.yaml:3:") || !strings.Contains(out, "not the latest patch") {
				t.Fatalf("exit %d, terminal %q, stderr %q", code, out, stderr.String())
			}
			if got := strings.Contains(out, "\x1b["); got != tc.want {
				t.Errorf("colored %v, want %v: %q", got, tc.want, out)
			}
		})
	}
}
