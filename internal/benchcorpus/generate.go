package main

import (
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// ensureGenerated writes the corpus into dir once (a stamp file marks it).
func ensureGenerated(dir string, n int) error {
	stamp := filepath.Join(dir, ".generated")
	if _, err := os.Stat(stamp); err == nil {
		return nil
	}
	fmt.Printf("generating %d files in %s ...\n", n, dir)
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	c, err := generate(dir, n)
	if err != nil {
		return err
	}
	fmt.Printf("  %d files mention weaviate (%.1f%%), %d Weaviate pins\n", c.mentions, 100*float64(c.mentions)/float64(n), len(c.pins))
	if err := gitHistory(dir); err != nil {
		return err
	}
	return os.WriteFile(stamp, nil, 0o644)
}

// corpus is what generate wrote: how many files mention weaviate, and every
// Weaviate pin a scan must find (files that .gitignore ignores are not
// among them).
type corpus struct {
	mentions int
	pins     []pin
}

// pin is one Weaviate version a scan must report: the file it is written
// in and the version.
type pin struct{ file, version string }

// generate writes n files shaped like a monorepo: Go services, Helm charts
// with templates and values override layers, Kubernetes manifests, compose
// stacks, kustomize overlays, workflows, docs, nested .gitignore files with
// ignored build output, and a few large rendered multi-document YAML files
// in which only a few documents mention weaviate. About 2-3% of the files
// mention weaviate, as in the measured repository (see PERFORMANCE notes).
func generate(dir string, n int) (c corpus, err error) {
	r := rand.New(rand.NewSource(1))
	want := func(p, version string) { c.pins = append(c.pins, pin{p, version}) }
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
			c.mentions++
		}
	}
	write(".gitignore", "/dist/\n*.out\n.idea/\n")
	big := max(1, n/12000)
	for i := 0; i < big; i++ {
		p := fmt.Sprintf("rendered/release-%d.yaml", i)
		write(p, rendered(i, (1+i%5)<<20))
		want(p, fmt.Sprintf("1.27.%d", 10+i%10)) // two StatefulSets
		want(p, fmt.Sprintf("1.27.%d", 10+i%10))
	}
	for i := big; i < n; i++ {
		svc := fmt.Sprintf("services/svc-%03d", i/40)
		isW := r.Intn(1000) < 24
		switch k := r.Intn(100); {
		case k < 40:
			p := fmt.Sprintf("%s/pkg/f%d.go", svc, i)
			write(p, goFile(i, isW))
			if isW {
				want(p, "1.27.5")
			}
		case k < 57:
			p := fmt.Sprintf("%s/k8s/m%d.yaml", svc, i)
			body, v := manifest(i, isW, r)
			write(p, body)
			if isW {
				want(p, v)
			}
		case k < 65:
			write(fmt.Sprintf("charts/c%d/templates/t%d.yaml", i/20, i), "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  replicas: {{ .Values.replicas }}\n")
		case k < 69:
			if !isW {
				write(fmt.Sprintf("charts/c%d/values-%d.yaml", i/20, i), valuesFile(i, false))
				continue
			}
			// A copy of the weaviate chart's values with an environment's
			// override layer on top of it.
			dir := fmt.Sprintf("charts/weaviate-%d", i)
			write(dir+"/values.yaml", valuesFile(i, true))
			want(dir+"/values.yaml", fmt.Sprintf("1.28.%d", i%17))
			write(dir+"/values-prod.yaml", fmt.Sprintf("image:\n  tag: 1.28.%d\nreplicas: 5\n", (i+1)%17))
			want(dir+"/values-prod.yaml", fmt.Sprintf("1.28.%d", (i+1)%17))
		case k < 74:
			p := fmt.Sprintf("%s/compose-%d/docker-compose.yml", svc, i)
			write(p, composeFile(i, isW))
			if isW {
				want(p, "1.26.18")
			}
		case k < 77:
			write(fmt.Sprintf("%s/overlays/o%d/kustomization.yaml", svc, i), "resources: [../../k8s]\nimages:\n  - name: nginx\n    newTag: \"1.27\"\n")
		case k < 79:
			write(fmt.Sprintf(".github/workflows/w%d.yml", i), "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n")
		case k < 81:
			write(fmt.Sprintf("%s/Dockerfile.%d", svc, i), "FROM golang:1.26 AS build\nRUN go build ./...\nFROM gcr.io/distroless/base\n")
		case k < 83:
			// Build output that a nested .gitignore ignores: it mentions
			// weaviate, and a scan that honours .gitignore never reads it.
			write(fmt.Sprintf("%s/.gitignore", svc), "/build/\n*.tmp\n")
			body, _ := manifest(i, true, r)
			write(fmt.Sprintf("%s/build/out-%d.yaml", svc, i), body)
		default:
			write(fmt.Sprintf("docs/d%d/page-%d.md", i/50, i), strings.Repeat("Some documentation text about services and deployments.\n", 20+r.Intn(40)))
		}
	}
	return c, err
}

// rendered is a `helm template` output of about size bytes: hundreds of
// documents, two of which deploy weaviate.
func rendered(i, size int) string {
	var b strings.Builder
	for d := 0; b.Len() < size; d++ {
		if d == 40 || d == 400 {
			fmt.Fprintf(&b, "---\n# Source: weaviate/templates/weaviateStatefulset.yaml\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: weaviate-%d\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n        - name: weaviate\n          image: cr.weaviate.io/semitechnologies/weaviate:1.27.%d\n", d, 10+i%10)
			continue
		}
		fmt.Fprintf(&b, "---\n# Source: platform/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-%d-%d\n  labels:\n    app.kubernetes.io/part-of: platform\ndata:\n  key: %q\n  other: |\n    line one\n    line two\n", i, d, strings.Repeat("x", 200))
	}
	return b.String()
}

func goFile(i int, w bool) string {
	s := fmt.Sprintf("package pkg\n\n// F%d does a thing.\nfunc F%d() int { return %d }\n", i, i, i)
	if w {
		s += "\nconst image = \"semitechnologies/weaviate:1.27.5\"\n"
	}
	return s
}

// manifest is a Deployment and a Service; with w the Deployment runs
// weaviate, at the version returned.
func manifest(i int, w bool, r *rand.Rand) (string, string) {
	img := fmt.Sprintf("registry.example.com/app-%d:1.%d.0", i, r.Intn(9))
	v := ""
	if w {
		v = fmt.Sprintf("1.%d.%d", 24+r.Intn(10), r.Intn(20))
		img = "cr.weaviate.io/semitechnologies/weaviate:" + v
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
`, i, img, i), v
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

// gitHistory commits the corpus (tag base), then edits a few Weaviate pins
// and commits again (tag head), as a pull request would; the work tree is
// left at head.
func gitHistory(dir string) error {
	if err := commit(dir, "corpus", "base"); err != nil {
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
	if err != nil {
		return err
	}
	return commit(dir, "bump", "head")
}

// commit commits every file of dir (a repository is made when there is
// none) and tags the commit.
func commit(dir, msg, tag string) error {
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
	if _, err := os.Stat(filepath.Join(dir, ".git")); err != nil {
		if err := git("init", "-q"); err != nil {
			return err
		}
	}
	for _, args := range [][]string{{"add", "-A"}, {"commit", "-q", "--allow-empty", "-m", msg}, {"tag", tag}} {
		if err := git(args...); err != nil {
			return err
		}
	}
	return nil
}
