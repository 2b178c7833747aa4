// Command benchcorpus generates a monorepo-like tree and measures wvlint
// against `rg -l weaviate` on it, in the same run, as ratios: the speed and
// memory goals of the scan engine live here, not in timed tests.
//
//	go run ./internal/benchcorpus -files 50000 -wvlint bin/wvlint
package main

import (
	"errors"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"
)

func main() {
	files := flag.Int("files", 5000, "number of files in the generated tree")
	dir := flag.String("dir", "", "where to generate (default .bench/corpus-N)")
	wvlint := flag.String("wvlint", "bin/wvlint", "wvlint binary to measure")
	runs := flag.Int("runs", 5, "paired runs; the median is reported")
	flag.Parse()
	if *dir == "" {
		*dir = filepath.Join(".bench", fmt.Sprintf("corpus-%d", *files))
	}
	if err := run(*dir, *files, *wvlint, *runs); err != nil {
		fmt.Fprintln(os.Stderr, "benchcorpus:", err)
		os.Exit(1)
	}
}

func run(dir string, n int, wvlint string, runs int) error {
	if _, err := exec.LookPath("rg"); err != nil {
		return fmt.Errorf("the reference run needs ripgrep: apt-get install ripgrep")
	}
	stamp := filepath.Join(dir, ".generated")
	if _, err := os.Stat(stamp); err != nil {
		fmt.Printf("generating %d files in %s ...\n", n, dir)
		if err := os.RemoveAll(dir); err != nil {
			return err
		}
		w, err := generate(dir, n)
		if err != nil {
			return err
		}
		fmt.Printf("  %d files mention weaviate (%.1f%%)\n", w, 100*float64(w)/float64(n))
		if err := gitHistory(dir); err != nil {
			return err
		}
		if err := os.WriteFile(stamp, nil, 0o644); err != nil {
			return err
		}
	}
	abs, err := filepath.Abs(wvlint)
	if err != nil {
		return err
	}
	wvlint = abs
	// Every command runs inside the corpus, which is a git repository whose
	// work tree changes a few Weaviate pins against HEAD.
	cmds := []struct {
		name string
		argv []string
	}{
		{"rg -l weaviate (reference)", []string{"rg", "-l", "-j2", "weaviate", "."}},
		{"wvlint inventory", []string{wvlint, "inventory", "-f", "json", "."}},
		{"wvlint --no-git (plain scan)", []string{wvlint, "--no-git", "-f", "json", "."}},
		{"wvlint --base HEAD", []string{wvlint, "--base", "HEAD", "-f", "json", "."}},
	}
	walls := make([][]time.Duration, len(cmds))
	peaks := make([]int64, len(cmds))
	for i := 0; i < runs+1; i++ { // the first round warms the page cache
		for c, cmd := range cmds {
			wall, rss, err := measure(dir, cmd.argv)
			if err != nil {
				return fmt.Errorf("%s: %w", cmd.name, err)
			}
			if i == 0 {
				continue
			}
			walls[c] = append(walls[c], wall)
			peaks[c] = max(peaks[c], rss)
		}
	}
	ref := median(walls[0])
	fmt.Printf("\n%-30s %10s %12s %8s\n", "command", "median", "peak RSS", "vs rg")
	for c, cmd := range cmds {
		m := median(walls[c])
		fmt.Printf("%-30s %10s %9.1f MB %7.2fx\n", cmd.name, m.Round(time.Millisecond), float64(peaks[c])/1024, float64(m)/float64(ref))
	}
	fmt.Printf("\n--base HEAD vs the plain scan: %.2fx\n", float64(median(walls[3]))/float64(median(walls[2])))
	fmt.Printf("targets: inventory within 2x of rg and under 150 MB peak; --base under 2x the plain scan (%d files, %d paired runs)\n", n, runs)
	return nil
}

func measure(dir string, argv []string) (time.Duration, int64, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = nil, nil
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	var ee *exec.ExitError
	if errors.As(err, &ee) && ee.ExitCode() <= 2 {
		err = nil // rg exits 1 on no match; wvlint 2 on input errors in the corpus
	}
	var rss int64
	if cmd.ProcessState != nil {
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			rss = ru.Maxrss // KiB on Linux
		}
	}
	return wall, rss, err
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

// generate writes n files shaped like a monorepo: Go services, Helm charts
// with templates, Kubernetes manifests, compose stacks, kustomize overlays,
// workflows, docs, and a few large rendered YAML files. About 2-3% mention
// weaviate, as in the measured repository (see PERFORMANCE notes).
func generate(dir string, n int) (weaviate int, err error) {
	r := rand.New(rand.NewSource(1))
	write := func(p, body string) {
		if err != nil {
			return
		}
		full := filepath.Join(dir, p)
		if e := os.MkdirAll(filepath.Dir(full), 0o755); e != nil {
			err = e
			return
		}
		err = os.WriteFile(full, []byte(body), 0o644)
		if strings.Contains(body, "weaviate") {
			weaviate++
		}
	}
	big := max(1, n/25000)
	for i := 0; i < big; i++ {
		var b strings.Builder
		for b.Len() < (1+i%5)<<20 {
			fmt.Fprintf(&b, "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-%d\ndata:\n  key: %q\n", b.Len(), strings.Repeat("x", 200))
		}
		write(fmt.Sprintf("rendered/big-%d.yaml", i), b.String())
	}
	for i := big; i < n; i++ {
		svc := fmt.Sprintf("services/svc-%03d", i/40)
		isW := r.Intn(1000) < 24
		switch k := r.Intn(100); {
		case k < 40:
			write(fmt.Sprintf("%s/pkg/f%d.go", svc, i), goFile(i, isW))
		case k < 58:
			write(fmt.Sprintf("%s/k8s/m%d.yaml", svc, i), manifest(i, isW, r))
		case k < 66:
			write(fmt.Sprintf("charts/c%d/templates/t%d.yaml", i/20, i), "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  replicas: {{ .Values.replicas }}\n")
		case k < 70:
			write(fmt.Sprintf("charts/c%d/values-%d.yaml", i/20, i), valuesFile(i, isW))
		case k < 75:
			write(fmt.Sprintf("%s/compose-%d/docker-compose.yml", svc, i), composeFile(i, isW))
		case k < 78:
			write(fmt.Sprintf("%s/overlays/o%d/kustomization.yaml", svc, i), "resources: [../../k8s]\nimages:\n  - name: nginx\n    newTag: \"1.27\"\n")
		case k < 80:
			write(fmt.Sprintf(".github/workflows/w%d.yml", i), "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n")
		case k < 82:
			write(fmt.Sprintf("%s/Dockerfile.%d", svc, i), "FROM golang:1.26 AS build\nRUN go build ./...\nFROM gcr.io/distroless/base\n")
		default:
			write(fmt.Sprintf("docs/d%d/page-%d.md", i/50, i), strings.Repeat("Some documentation text about services and deployments.\n", 20+r.Intn(40)))
		}
	}
	return weaviate, err
}

func goFile(i int, w bool) string {
	s := fmt.Sprintf("package pkg\n\n// F%d does a thing.\nfunc F%d() int { return %d }\n", i, i, i)
	if w {
		s += "\nconst image = \"semitechnologies/weaviate:1.27.5\"\n"
	}
	return s
}

func manifest(i int, w bool, r *rand.Rand) string {
	img := fmt.Sprintf("registry.example.com/app-%d:1.%d.0", i, r.Intn(9))
	if w {
		img = fmt.Sprintf("cr.weaviate.io/semitechnologies/weaviate:1.%d.%d", 24+r.Intn(10), r.Intn(20))
	}
	return fmt.Sprintf(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-%d
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: app
          image: %s
          env:
            - name: LOG_LEVEL
              value: info
---
apiVersion: v1
kind: Service
metadata:
  name: app-%d
spec:
  ports: [{port: 80}]
`, i, img, i)
}

func valuesFile(i int, w bool) string {
	if w {
		return fmt.Sprintf("image:\n  repo: semitechnologies/weaviate\n  tag: 1.28.%d\nreplicas: 3\n", i%17)
	}
	return fmt.Sprintf("image:\n  repository: nginx\n  tag: 1.%d\nreplicas: 2\n", i%30)
}

func composeFile(i int, w bool) string {
	img := "postgres:16"
	if w {
		img = "semitechnologies/weaviate:${WEAVIATE_VERSION:-1.26.18}"
	}
	return fmt.Sprintf("services:\n  s%d:\n    image: %s\n    environment:\n      A: b\n", i, img)
}

// gitHistory commits the corpus and then edits a few Weaviate pins in the
// work tree, as a pull request would.
func gitHistory(dir string) error {
	git := func(args ...string) error {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=bench", "GIT_AUTHOR_EMAIL=b@example.com", "GIT_COMMITTER_NAME=bench", "GIT_COMMITTER_EMAIL=b@example.com")
		out, err := cmd.CombinedOutput()
		if err != nil {
			return fmt.Errorf("git %s: %w: %s", args[0], err, out)
		}
		return nil
	}
	if err := git("init", "-q"); err != nil {
		return err
	}
	if err := git("add", "-A"); err != nil {
		return err
	}
	if err := git("commit", "-q", "-m", "corpus"); err != nil {
		return err
	}
	changed := 0
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || changed >= 20 || !strings.HasSuffix(p, ".yml") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil || !strings.Contains(string(data), "1.26.18") {
			return err
		}
		changed++
		return os.WriteFile(p, []byte(strings.ReplaceAll(string(data), "1.26.18", "1.28.16")), 0o644)
	})
	return err
}
