// Command benchcorpus measures wvlint against `rg -l weaviate` on a
// monorepo-like tree, in the same run, as ratios: the speed and memory goals
// of the scan engine live here, not in timed tests.
//
//	go run ./internal/benchcorpus -files 50000 -wvlint bin/wvlint
//	go run ./internal/benchcorpus -tree /tmp/wvbench/large -wvlint bin/wvlint
//
// Without -tree it generates a tree of its own (see generate.go). With
// -tree it measures a prepared tree, such as one written by the shared
// gencorpus generator; when that tree has a git tag "base", `--base base`
// is measured too. -staged N also measures `wvlint --staged` with N staged
// compose files in a clone of the tree (the pre-commit case).
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"syscall"
	"time"
)

func main() {
	files := flag.Int("files", 5000, "number of files in the generated tree (without -tree)")
	tree := flag.String("tree", "", "measure this prepared tree instead of generating one")
	dir := flag.String("dir", "", "where to generate (default .bench/corpus-N)")
	wvlint := flag.String("wvlint", "bin/wvlint", "wvlint binary to measure")
	runs := flag.Int("runs", 5, "paired runs; the median is reported")
	staged := flag.Int("staged", 10, "also measure --staged with this many staged files (0: skip)")
	stagedRuns := flag.Int("staged-runs", 50, "runs of the --staged measurement")
	flag.Parse()
	if err := run(*tree, *dir, *files, *wvlint, *runs, *staged, *stagedRuns); err != nil {
		fmt.Fprintln(os.Stderr, "benchcorpus:", err)
		os.Exit(1)
	}
}

type command struct {
	name string
	argv []string
	dir  string
}

type sample struct {
	wall, cpu time.Duration
	rss       int64 // KiB
}

func run(tree, dir string, n int, wvlint string, runs, staged, stagedRuns int) error {
	if runs < 1 || staged > 0 && stagedRuns < 1 {
		return fmt.Errorf("-runs and -staged-runs must be at least 1 (a median needs a run)")
	}
	if _, err := exec.LookPath("rg"); err != nil {
		return fmt.Errorf("the reference run needs ripgrep: apt-get install ripgrep")
	}
	if tree == "" {
		if dir == "" {
			dir = filepath.Join(".bench", fmt.Sprintf("corpus-%d", n))
		}
		if err := ensureGenerated(dir, n); err != nil {
			return err
		}
		tree = dir
	}
	abs, err := filepath.Abs(wvlint)
	if err != nil {
		return err
	}
	wvlint = abs
	tree, err = filepath.Abs(tree)
	if err != nil {
		return err
	}
	base := "HEAD"
	if gitOK(tree, "rev-parse", "-q", "--verify", "refs/tags/base") {
		base = "base"
	}
	cmds := []command{
		{"rg -l weaviate (reference)", []string{"rg", "-l", "-j2", "weaviate", "."}, tree},
		{"wvlint inventory", []string{wvlint, "inventory", "-f", "json", "."}, tree},
		{"wvlint --no-git (plain scan)", []string{wvlint, "--no-git", "-f", "json", "."}, tree},
		{"wvlint --base " + base, []string{wvlint, "--base", base, "-f", "json", "."}, tree},
	}
	// The same deployments and findings before and after an optimisation:
	// print what each wvlint command found.
	for _, c := range cmds[1:] {
		out, _ := output(c)
		fmt.Printf("%-30s %s\n", c.name, counts(out))
	}
	res := make([][]sample, len(cmds))
	for i := 0; i < runs+1; i++ { // the first round warms the page cache
		for c, cmd := range cmds {
			s, err := measure(cmd)
			if err != nil {
				return fmt.Errorf("%s: %w", cmd.name, err)
			}
			if i > 0 {
				res[c] = append(res[c], s)
			}
		}
	}
	ref := summarize(res[0])
	fmt.Printf("\n%s: %d paired runs, medians\n", tree, runs)
	fmt.Printf("%-30s %9s %9s %10s %8s %8s %8s\n", "command", "wall", "CPU", "peak RSS", "wall/rg", "CPU/rg", "RSS/rg")
	for c, cmd := range cmds {
		s := summarize(res[c])
		fmt.Printf("%-30s %9s %9s %7.1f MiB %7.2fx %7.2fx %7.2fx\n", cmd.name,
			s.wall.Round(time.Millisecond), s.cpu.Round(time.Millisecond), float64(s.rss)/1024,
			ratio(s.wall, ref.wall), ratio(s.cpu, ref.cpu), float64(s.rss)/float64(max(ref.rss, 1)))
	}
	plain, withBase := summarize(res[2]), summarize(res[3])
	fmt.Printf("\n--base %s vs the plain scan: %.2fx wall\n", base, ratio(withBase.wall, plain.wall))
	fmt.Println("goals (issue 11): large tree wall <= 1.3x rg, CPU <= 1.5x rg, peak RSS <= 100 MiB; small tree wall <= 2x rg; --base <= 1.5x the plain scan; --staged (10 files) <= 30 ms")
	if staged > 0 {
		return measureStaged(tree, wvlint, staged, stagedRuns)
	}
	return nil
}

// measureStaged clones the tree, stages n edited compose files and times
// `wvlint --staged` as pre-commit runs it: with the staged file names.
func measureStaged(tree, wvlint string, n, runs int) error {
	tmp, err := os.MkdirTemp("", "wvbench-staged-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if !gitOK(tree, "rev-parse", "--git-dir") {
		fmt.Println("\n--staged: skipped (the tree is not a git repository)")
		return nil
	}
	clone := filepath.Join(tmp, "repo")
	if out, err := exec.Command("git", "clone", "-q", "--shared", tree, clone).CombinedOutput(); err != nil {
		return fmt.Errorf("git clone: %w: %s", err, out)
	}
	out, err := exec.Command("git", "-C", clone, "ls-files", "-z").Output()
	if err != nil {
		return err
	}
	var picked []string
	for _, p := range strings.Split(string(out), "\x00") {
		base := filepath.Base(p)
		if len(picked) < n && (strings.HasPrefix(base, "docker-compose") || strings.HasPrefix(base, "compose")) {
			picked = append(picked, p)
		}
	}
	if len(picked) == 0 {
		fmt.Println("\n--staged: skipped (no compose files in the tree)")
		return nil
	}
	for _, p := range picked {
		f, err := os.OpenFile(filepath.Join(clone, p), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		_, err = f.WriteString("# staged edit\n")
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	if out, err := exec.Command("git", append([]string{"-C", clone, "add", "--"}, picked...)...).CombinedOutput(); err != nil {
		return fmt.Errorf("git add: %w: %s", err, out)
	}
	cmd := command{"wvlint --staged", append([]string{wvlint, "--staged"}, picked...), clone}
	var ss []sample
	for i := 0; i < runs+1; i++ {
		s, err := measure(cmd)
		if err != nil {
			return err
		}
		if i > 0 {
			ss = append(ss, s)
		}
	}
	s := summarize(ss)
	fmt.Printf("\nwvlint --staged with %d staged files, %d runs: median wall %s, CPU %s, peak RSS %.1f MiB\n",
		len(picked), runs, s.wall.Round(100*time.Microsecond), s.cpu.Round(100*time.Microsecond), float64(s.rss)/1024)
	return nil
}

func gitOK(dir string, args ...string) bool {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	return cmd.Run() == nil
}

func output(c command) ([]byte, error) {
	cmd := exec.Command(c.argv[0], c.argv[1:]...)
	cmd.Dir = c.dir
	return cmd.Output()
}

// counts summarises wvlint's JSON output: deployments (inventory) or
// findings and errors (lint).
func counts(out []byte) string {
	var v struct {
		Deployments []json.RawMessage `json:"deployments"`
		Findings    []struct {
			Rule string `json:"rule"`
		} `json:"findings"`
		Errors []json.RawMessage `json:"errors"`
	}
	if err := json.NewDecoder(bytes.NewReader(out)).Decode(&v); err != nil {
		return "(no JSON output: " + err.Error() + ")"
	}
	if v.Deployments != nil {
		return fmt.Sprintf("%d deployments, %d errors", len(v.Deployments), len(v.Errors))
	}
	by := map[string]int{}
	for _, f := range v.Findings {
		by[f.Rule]++
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(by)) {
		parts = append(parts, fmt.Sprintf("%s=%d", k, by[k]))
	}
	return fmt.Sprintf("%d findings (%s), %d errors", len(v.Findings), strings.Join(parts, " "), len(v.Errors))
}

func measure(c command) (sample, error) {
	cmd := exec.Command(c.argv[0], c.argv[1:]...)
	cmd.Dir = c.dir
	start := time.Now()
	err := cmd.Run()
	s := sample{wall: time.Since(start)}
	var ee *exec.ExitError
	if errors.As(err, &ee) && ee.ExitCode() <= 2 {
		err = nil // rg exits 1 on no match; wvlint 1 on findings, 2 on input errors in the corpus
	}
	if ps := cmd.ProcessState; ps != nil {
		s.cpu = ps.UserTime() + ps.SystemTime()
		if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
			s.rss = ru.Maxrss // KiB on Linux
		}
	}
	return s, err
}

// summarize takes the median wall and CPU and the peak RSS.
func summarize(ss []sample) sample {
	walls := make([]time.Duration, len(ss))
	cpus := make([]time.Duration, len(ss))
	var out sample
	for i, s := range ss {
		walls[i], cpus[i] = s.wall, s.cpu
		out.rss = max(out.rss, s.rss)
	}
	out.wall, out.cpu = median(walls), median(cpus)
	return out
}

func ratio(a, b time.Duration) float64 { return float64(a) / float64(max(b, 1)) }

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}
