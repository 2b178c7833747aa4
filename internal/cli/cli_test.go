package cli

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wvlint/wvlint/internal/lint"
)

// lintIn runs `wvlint --no-git .` in a directory holding one compose file,
// with the engine replaced by fail.
func lintIn(t *testing.T, fail func(lint.Options) (*lint.Report, error)) (int, string, string) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte("services:\n  w:\n    image: semitechnologies/weaviate:1.38.11\n    environment: {CLUSTER_HOSTNAME: node1}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	saved := runEngine
	runEngine = fail
	t.Cleanup(func() { runEngine = saved })
	var stdout, stderr bytes.Buffer
	code := Run([]string{"--no-git", "."}, strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// TestPanicExit3: a panic anywhere under a command is exit 3 with one
// short message, never a stack trace.
func TestPanicExit3(t *testing.T) {
	code, stdout, stderr := lintIn(t, func(opt lint.Options) (*lint.Report, error) {
		var deps []int
		_ = deps[len(opt.Paths)+2] // index out of range
		return nil, nil
	})
	if code != ExitInternal {
		t.Errorf("exit %d, want %d", code, ExitInternal)
	}
	if stdout != "" {
		t.Errorf("stdout: %q", stdout)
	}
	if !strings.HasPrefix(stderr, "wvlint: internal error: runtime error: index out of range [3] with length 0\n") ||
		strings.Contains(stderr, "goroutine") || strings.Count(stderr, "\n") != 2 {
		t.Errorf("stderr: %q", stderr)
	}
}

// TestEngineErrorExit3: an engine failure (git, a rule) is exit 3, not 2:
// exit 2 is for the user's input.
func TestEngineErrorExit3(t *testing.T) {
	code, _, stderr := lintIn(t, func(lint.Options) (*lint.Report, error) {
		return nil, errors.New("WV1001 skipped-minor: internal error: boom")
	})
	if code != ExitInternal || stderr != "wvlint: WV1001 skipped-minor: internal error: boom\n" {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// TestRealEngine: the hook is the engine; without a replacement a clean
// file exits 0.
func TestRealEngine(t *testing.T) {
	code, stdout, stderr := lintIn(t, lint.Run)
	if code != ExitOK || stdout != "" || !strings.Contains(stderr, "no findings in 1 deployment") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}
