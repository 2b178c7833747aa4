package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"golang.org/x/tools/go/analysis/unitchecker"

	"github.com/wvlint/wvlint/analyzer"
	"github.com/wvlint/wvlint/internal/sarifschema"
	"github.com/wvlint/wvlint/internal/weaviatetest"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"wvlint":     func() { os.Exit(run()) },
		"wvlint-vet": func() { unitchecker.Main(analyzer.Analyzer) },
	})
}

// TestTuneGC: a run collects less often than Go's default, under a soft
// memory limit, unless the user set GOGC or GOMEMLIMIT.
func TestTuneGC(t *testing.T) {
	percent := func() int { p := debug.SetGCPercent(100); debug.SetGCPercent(p); return p }
	p0, l0 := percent(), debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetGCPercent(p0); debug.SetMemoryLimit(l0) })
	for _, env := range []struct{ gogc, limit string }{{"50", ""}, {"", "1GiB"}} {
		t.Setenv("GOGC", env.gogc)
		t.Setenv("GOMEMLIMIT", env.limit)
		tuneGC()
		if p, l := percent(), debug.SetMemoryLimit(-1); p != p0 || l != l0 {
			t.Errorf("GOGC=%q GOMEMLIMIT=%q: tuneGC set %d%%, limit %d; want the user's (%d%%, %d) kept", env.gogc, env.limit, p, l, p0, l0)
		}
	}
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	tuneGC()
	if p, l := percent(), debug.SetMemoryLimit(-1); p != gcPercent || l != memoryLimit {
		t.Errorf("tuneGC set %d%%, limit %d; want %d%%, %d", p, l, gcPercent, memoryLimit)
	}
}

// TestScripts runs testdata/script/*.txtar. WVLINT_UPDATE=1 rewrites the
// expected output in the scripts.
func TestScripts(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	goCache := os.Getenv("GOCACHE")
	if goCache == "" {
		out, err := exec.Command("go", "env", "GOCACHE").Output()
		if err != nil {
			t.Fatalf("go env GOCACHE: %v", err)
		}
		goCache = strings.TrimSpace(string(out))
	}
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join(root, "testdata", "script"),
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		UpdateScripts:       os.Getenv("WVLINT_UPDATE") == "1",
		Setup: func(e *testscript.Env) error {
			e.Setenv("REPO", root)
			e.Setenv("NO_COLOR", "1")
			e.Setenv("GIT_AUTHOR_NAME", "t")
			e.Setenv("GIT_AUTHOR_EMAIL", "t@example.com")
			e.Setenv("GIT_COMMITTER_NAME", "t")
			e.Setenv("GIT_COMMITTER_EMAIL", "t@example.com")
			e.Setenv("XDG_CACHE_HOME", filepath.Join(e.WorkDir, ".cache"))
			// For scripts that run the go command (go vet -vettool): offline,
			// with a cache of their own.
			// The build cache is shared with the caller's: a cache of each
			// script's own rebuilds the standard library for every run of
			// go vet (minutes under -race).
			e.Setenv("GOCACHE", goCache)
			e.Setenv("GOPATH", filepath.Join(e.WorkDir, ".gopath"))
			e.Setenv("GOPROXY", "off")
			e.Setenv("GOTOOLCHAIN", "local")
			e.Setenv("GOFLAGS", "-mod=mod")
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"weaviate-start":  weaviateStart,
			"weaviate-backup": weaviateBackup,
			// sarifvalid FILE...: each file is a SARIF 2.1.0 log valid
			// against the official schema (testdata/schemas).
			"sarifvalid": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) == 0 {
					ts.Fatalf("usage: sarifvalid FILE...")
				}
				schema := sarifSchema(ts, root)
				for _, a := range args {
					f, err := os.Open(ts.MkAbs(a))
					ts.Check(err)
					doc, err := jsonschema.UnmarshalJSON(f)
					f.Close()
					if err == nil {
						err = schema.Validate(doc)
					}
					if neg && err == nil {
						ts.Fatalf("%s is valid SARIF", a)
					}
					if !neg && err != nil {
						ts.Fatalf("%s is not valid SARIF: %v", a, err)
					}
				}
			},
			// exitcode N cmd args...: run cmd and require exit code N exactly;
			// testscript itself only tells zero from non-zero.
			"exitcode": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) < 2 {
					ts.Fatalf("usage: exitcode N command [args...]")
				}
				want, err := strconv.Atoi(args[0])
				if err != nil {
					ts.Fatalf("exitcode: %v", err)
				}
				got := 0
				if err := ts.Exec(args[1], args[2:]...); err != nil {
					var ee *exec.ExitError
					if !errors.As(err, &ee) {
						ts.Fatalf("exitcode: %v", err)
					}
					got = ee.ExitCode()
				}
				if got != want {
					ts.Fatalf("%s exited %d, want %d", args[1], got, want)
				}
			},
		},
	})
}

// scriptT adapts a testscript to what weaviatetest needs: the servers it
// starts are stopped when the script ends.
type scriptT struct{ ts *testscript.TestScript }

func (s scriptT) Helper()                      {}
func (s scriptT) Fatalf(f string, args ...any) { s.ts.Fatalf(f, args...) }
func (s scriptT) Logf(f string, args ...any)   { s.ts.Logf(f, args...) }
func (s scriptT) Cleanup(fn func())            { s.ts.Defer(fn) }
func (s scriptT) Failed() bool                 { return false }
func (s scriptT) TempDir() string {
	d, err := os.MkdirTemp(s.ts.Getenv("WORK"), "weaviate")
	if err != nil {
		s.ts.Fatalf("%v", err)
	}
	return d
}

// weaviate-start VERSION [apikey=KEY] [filesystem]: start a real single
// Weaviate node (built by .ci/weaviate-server.sh; missing, the script
// fails) and set $WEAVIATE_URL to it.
func weaviateStart(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 {
		ts.Fatalf("usage: weaviate-start VERSION [apikey=KEY] [filesystem]")
	}
	opt := weaviatetest.Options{}
	for _, a := range args[1:] {
		switch {
		case a == "filesystem":
			opt.Filesystem = true
		case strings.HasPrefix(a, "apikey="):
			opt.Key = strings.TrimPrefix(a, "apikey=")
			opt.Env = append(opt.Env, "AUTHENTICATION_ANONYMOUS_ACCESS_ENABLED=false", "AUTHENTICATION_APIKEY_ENABLED=true",
				"AUTHENTICATION_APIKEY_ALLOWED_KEYS="+strings.TrimPrefix(a, "apikey="), "AUTHENTICATION_APIKEY_USERS=admin")
		default:
			ts.Fatalf("weaviate-start: unknown option %q", a)
		}
	}
	start := time.Now()
	c := weaviatetest.Start(scriptT{ts}, args[0], 1, opt)
	ts.Logf("Weaviate %s up in %s", args[0], time.Since(start).Round(time.Second))
	ts.Setenv("WEAVIATE_URL", c.URL())
}

// weaviate-backup BACKEND ID: take a backup through the API of
// $WEAVIATE_URL (with $WEAVIATE_API_KEY) and wait for SUCCESS.
func weaviateBackup(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: weaviate-backup BACKEND ID")
	}
	url, key := ts.Getenv("WEAVIATE_URL"), ts.Getenv("WEAVIATE_API_KEY")
	weaviatetest.AddObjects(scriptT{ts}, url, key, 1, 3)
	weaviatetest.Backup(scriptT{ts}, url, key, args[0], args[1])
}

// sarifSchema compiles the official SARIF 2.1.0 schema that the repository
// keeps a copy of.
func sarifSchema(ts *testscript.TestScript, root string) *jsonschema.Schema {
	s, err := sarifschema.Load(root)
	ts.Check(err)
	return s
}
