package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/wvlint/wvlint/internal/cli"
	"github.com/wvlint/wvlint/internal/inventory"
)

// TestReadmeExample runs the README's first example command from the
// repository root and checks that every line of the output the README
// prints ("..." marks lines left out) appears, in order, and that it exits
// 1 as the README says.
func TestReadmeExample(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := regexp.MustCompile(`(?m)^go run ./cmd/wvlint (.*?)\s+#`).FindSubmatch(readme)
	if cmd == nil {
		t.Fatal("README has no `go run ./cmd/wvlint ...` example")
	}
	// The fenced block after the command's own block is its output.
	at := bytes.Index(readme, cmd[0])
	if at < 0 {
		t.Fatal("README: the example command is not where it was found")
	}
	rest := readme[at:]
	fences := regexp.MustCompile("(?m)^```[a-z]*\n").FindAllIndex(rest, 3)
	if len(fences) < 3 {
		t.Fatal("README: no output block after the example command")
	}
	body := rest[fences[1][1]:fences[2][0]]
	t.Chdir(root)
	t.Setenv("XDG_CACHE_HOME", t.TempDir()) // the built-in catalog, as for a new user
	var stdout, stderr bytes.Buffer
	code := cli.Run(strings.Fields(string(cmd[1])), nil, &stdout, &stderr)
	if code != 1 {
		t.Errorf("exit code %d, README says 1\n%s%s", code, stdout.String(), stderr.String())
	}
	got := strings.Split(stdout.String()+stderr.String(), "\n")
	i := 0
	for _, want := range strings.Split(strings.TrimSuffix(string(body), "\n"), "\n") {
		if want == "..." {
			continue
		}
		for i < len(got) && got[i] != want {
			i++
		}
		if i == len(got) {
			t.Errorf("README output line not printed (in order):\n%s\n\ngot:\n%s%s", want, stdout.String(), stderr.String())
			return
		}
	}
}

// TestReadmeNamesEverySource holds the README's "What it reads" to the
// source registry: one bullet per source, naming it as "(`name`".
func TestReadmeNamesEverySource(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	at := bytes.Index(readme, []byte("## What it reads"))
	if at < 0 {
		t.Fatal(`README has no "## What it reads" section`)
	}
	section, _, _ := strings.Cut(string(readme[at:]), "\n## ")
	for _, s := range inventory.Sources() {
		if !strings.Contains(section, "(`"+s.Name+"`") {
			t.Errorf("README \"What it reads\" has no bullet for source %s (write it as **Title** (`%s`, ...): ...)", s.Name, s.Name)
		}
	}
}
