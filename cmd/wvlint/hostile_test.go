package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/wvlint/wvlint/internal/sarifschema"
)

// canary is a Weaviate version that only a file outside the tree holds:
// an output that mentions it read outside the tree.
const canary = "1.31.7"

func compose(version string) string {
	return "services:\n  weaviate:\n    image: semitechnologies/weaviate:" + version + "\n"
}

// hostileTree builds a repository that tries everything a checkout can
// hold against a linter: symbolic links that loop and that leave the tree,
// a FIFO, NUL bytes, invalid UTF-8, a BOM with CRLF, a 60 MB YAML file, a
// 5 MB line, 5,000 documents, YAML alias bombs, pathological
// interpolation, and file names with newlines, terminal escapes, "::" and
// "%0A". Big inputs are generated here, never committed.
func hostileTree(t *testing.T) (root string) {
	t.Helper()
	base := t.TempDir()
	root = filepath.Join(base, "tree")
	outside := filepath.Join(base, "outside")
	for _, d := range []string{root, outside, filepath.Join(root, "a")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	put := func(name string, data []byte) {
		t.Helper()
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	link := func(target, name string) {
		t.Helper()
		if err := os.Symlink(target, filepath.Join(root, name)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(outside, "compose.yml"), []byte(compose(canary)), 0o644); err != nil {
		t.Fatal(err)
	}
	put("ok/compose.yml", []byte(compose("1.37.13")))

	// Links: loops, and escapes to a file and a directory outside.
	link(".", "loop")
	link("../a", "a/back")
	link(filepath.Join(outside, "compose.yml"), "escape.yml")
	link(outside, "escape-dir")
	link("../../outside/compose.yml", "ok/relative-escape.yml")
	link("missing.yml", "dangling.yml")
	if err := syscall.Mkfifo(filepath.Join(root, "fifo.yml"), 0o644); err != nil {
		t.Fatal(err)
	}

	// Bytes a parser meets rarely.
	put("nul.yml", []byte(compose("1.37.13")+"x: \"\x00\"\n"))
	put("invalid-utf8.yml", []byte("# caf\xe9 \xff\xfe\n"+compose("1.37.13")))
	put("bom-crlf.yml", []byte(strings.ReplaceAll("\ufeff"+compose("1.37.12"), "\n", "\r\n")))
	put("escape-in-value.yml", []byte("services:\n  weaviate:\n    image: \"semitechnologies/weaviate:1.37.13\\e[2J\\u202e\"\n"))

	// Size: 60 MB (over the default limit), a 5 MB line, 5,000 documents.
	// The 60 MB file is written piece by piece: a test that held it in
	// memory would pass its peak RSS on to every wvlint it starts (Linux
	// carries the parent's peak into a child started with vfork and exec),
	// and the RSS measured below would be the test's, not wvlint's.
	put("big/huge.yml", nil)
	huge, err := os.OpenFile(filepath.Join(root, "big/huge.yml"), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(huge)
	_, _ = w.WriteString(compose("1.37.13") + "filler:\n") // a write error stays: Flush reports it
	filler := "  - \"" + strings.Repeat("x", 100) + "\"\n"
	for n := 0; n < 60<<20; n += len(filler) {
		_, _ = w.WriteString(filler)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := huge.Close(); err != nil {
		t.Fatal(err)
	}
	put("big/long-line.yml", []byte("services: {weaviate: {image: \"semitechnologies/weaviate:1.37.13\", x: \""+strings.Repeat("y", 5<<20)+"\"}}\n"))
	var docs strings.Builder
	for i := range 5000 {
		fmt.Fprintf(&docs, "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w%d}\nspec:\n  template:\n    spec:\n      containers:\n        - name: weaviate\n          image: semitechnologies/weaviate:1.37.%d\n", i, i%15)
	}
	put("big/docs.yaml", []byte(docs.String()))

	// YAML bombs: aliases that expand exponentially, and a merge-key chain.
	var bomb strings.Builder
	bomb.WriteString("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i <= 12; i++ {
		fmt.Fprintf(&bomb, "a%d: &a%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*a%d, ", i-1), 10), ", "))
	}
	bomb.WriteString("services:\n  weaviate:\n    image: semitechnologies/weaviate:1.37.13\n    environment: *a12\n    labels: *a12\n")
	put("bomb/aliases.yml", []byte(bomb.String()))
	var merge strings.Builder
	merge.WriteString("x0: &x0 {image: semitechnologies/weaviate:1.37.13}\n")
	for i := 1; i <= 30; i++ {
		fmt.Fprintf(&merge, "x%d: &x%d {<<: [*x%d, *x%d], k%d: v}\n", i, i, i-1, i-1, i)
	}
	merge.WriteString("services:\n  weaviate:\n    <<: *x30\n")
	put("bomb/merge.yml", []byte(merge.String()))
	put("bomb/k8s.yaml", []byte("base: &b {name: weaviate, image: semitechnologies/weaviate:1.37.13}\napiVersion: v1\nkind: List\nitems: [&i {apiVersion: apps/v1, kind: Deployment, metadata: {name: x}, spec: {template: {spec: {containers: [*b, *b, *b]}}}}, *i, *i, *i]\n"))

	// Interpolation: deep nesting, long defaults, a cycle through .env.
	deep := strings.Repeat("${A:-", 20000) + "1.37.13" + strings.Repeat("}", 20000)
	put("interp/deep/compose.yml", []byte("services:\n  weaviate:\n    image: \"semitechnologies/weaviate:"+deep+"\"\n"))
	put("interp/cycle/compose.yml", []byte(compose("${A}")))
	put("interp/cycle/.env", []byte("A=${B}\nB=${A}\nC="+strings.Repeat("$", 100000)+"\n"))
	put("interp/dollars/compose.yml", []byte(compose(strings.Repeat("$$", 50000)+"${X:?"+strings.Repeat("e", 100000)+"}")))

	// Starlark: a million nested brackets (the parser recurses per level).
	put("tilt/Tiltfile", []byte("helm_resource('w', 'weaviate/weaviate', flags=["+strings.Repeat("(", 1_000_000)+"])\n"))

	// Names.
	for _, name := range []string{"esc\x1b[31mred.yml", "::error title=x::y.yml", "new\nline.yml", "pct%0A.yml", "bidi\u202eevil.yml", "bad\xffname.yml"} {
		put("names/"+name, []byte(compose("1.37.12")))
	}
	return root
}

func buildWvlint(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "wvlint")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestHostileTree runs every format, and the inventory, over the hostile
// tree: no panic (exit 0, 1 or 2, never 3), no hang (a minute each), bounded
// memory, valid SARIF, nothing read outside the tree, no raw control
// character in any output.
func TestHostileTree(t *testing.T) {
	root := hostileTree(t)
	bin := buildWvlint(t)
	schema := loadSARIFSchema(t)
	const memLimit = 1 << 30
	for _, args := range [][]string{
		{"inventory", "."},
		{"inventory", "-f", "json", "."},
		{"--no-git", "."},
		{"--no-git", "-f", "json", "."},
		{"--no-git", "-f", "github", "."},
		{"--no-git", "-f", "sarif", "."},
		{"--from", "1.36.5", "-f", "text", "--color", "always", "."},
	} {
		name := strings.Join(args, " ")
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		cmd := exec.CommandContext(ctx, bin, args...)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "NO_COLOR=", "XDG_CACHE_HOME="+t.TempDir())
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		start := time.Now()
		err := cmd.Run()
		timedOut := errors.Is(ctx.Err(), context.DeadlineExceeded)
		cancel()
		if timedOut {
			t.Errorf("wvlint %s: still running after a minute (a hang)", name)
			continue
		}
		code := cmd.ProcessState.ExitCode()
		if err != nil && code < 0 {
			t.Fatalf("wvlint %s: %v", name, err)
		}
		rss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss * 1024
		t.Logf("wvlint %s: exit %d in %s, peak RSS %d MB (a floor: the test's own peak, %d MB), %d bytes out", name, code, time.Since(start).Round(time.Millisecond), rss>>20, selfPeak()>>20, stdout.Len())
		if code != 1 && code != 2 && code != 0 {
			t.Errorf("wvlint %s: exit %d, want 0, 1 or 2\n%s", name, code, tail(stderr.String()))
		}
		if strings.Contains(stderr.String(), "panic") || strings.Contains(stderr.String(), "goroutine ") {
			t.Errorf("wvlint %s: a panic\n%s", name, tail(stderr.String()))
		}
		if rss > memLimit {
			t.Errorf("wvlint %s: peak RSS %d MB, over %d MB", name, rss>>20, memLimit>>20)
		}
		for what, out := range map[string][]byte{"stdout": stdout.Bytes(), "stderr": stderr.Bytes()} {
			if strings.Contains(string(out), canary) {
				t.Errorf("wvlint %s: %s mentions %s, which only a file outside the tree holds", name, what, canary)
			}
			if at, bad := rawControl(out, args[len(args)-2] == "always"); bad {
				t.Errorf("wvlint %s: %s holds a raw control character near %s", name, what, at)
			}
		}
		if !strings.Contains(stdout.String()+stderr.String(), "ok/compose.yml") {
			t.Errorf("wvlint %s: the one ordinary file was not reported", name)
		}
		switch {
		case args[len(args)-2] == "sarif":
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(stdout.Bytes()))
			if err == nil {
				err = schema.Validate(doc)
			}
			if err != nil {
				t.Errorf("wvlint %s: invalid SARIF: %v", name, err)
			}
		case args[len(args)-2] == "json":
			if !json.Valid(stdout.Bytes()) {
				t.Errorf("wvlint %s: invalid JSON", name)
			}
		}
	}
}

// rawControl finds a character no output may hold raw: C0 controls but
// newline and tab (and ESC when colors were asked for), DEL, C1 and format
// characters, invalid UTF-8.
var colorRE = regexp.MustCompile("\x1b\\[[0-9;]*m")

func rawControl(out []byte, color bool) (string, bool) {
	if color {
		out = colorRE.ReplaceAll(out, nil)
	}
	for i := 0; i < len(out); {
		r, n := utf8.DecodeRune(out[i:])
		if r == utf8.RuneError && n == 1 || r != '\n' && r != '\t' && r != ' ' && !strconv.IsPrint(r) {
			return strconv.Quote(string(out[max(0, i-30):min(len(out), i+30)])), true
		}
		i += n
	}
	return "", false
}

// selfPeak is the test process's own peak RSS (VmHWM), which a child's
// peak cannot be below; 0 when unknown.
func selfPeak() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

func tail(s string) string {
	if len(s) > 2000 {
		return "..." + s[len(s)-2000:]
	}
	return s
}

func loadSARIFSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	s, err := sarifschema.Load(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return s
}
