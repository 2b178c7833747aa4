package buildinfo

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"golang.org/x/mod/module"
	"golang.org/x/mod/zip"
)

func TestResolve(t *testing.T) {
	withVersion := func(v string) *debug.BuildInfo {
		return &debug.BuildInfo{Main: debug.Module{Path: "github.com/wvlint/wvlint", Version: v}}
	}
	for _, tc := range []struct {
		name    string
		stamped string
		bi      *debug.BuildInfo
		ok      bool
		want    string
	}{
		{"stamped by a release build", "v1.4.2", withVersion("(devel)"), true, "v1.4.2"},
		{"stamped wins over the module version", "v1.4.2", withVersion("v1.4.1"), true, "v1.4.2"},
		{"go install @version", "", withVersion("v1.4.2"), true, "v1.4.2"},
		{"checkout build", "", withVersion("(devel)"), true, "(devel)"},
		{"no module version", "", withVersion(""), true, "(devel)"},
		{"no build info", "", nil, false, "(devel)"},
	} {
		if got := resolve(tc.stamped, tc.bi, tc.ok); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func run(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// TestReleaseBuild runs the release workflow's build script for this
// platform: the binary prints the tag it was stamped with, and the
// checksums file matches it.
func TestReleaseBuild(t *testing.T) {
	root := repoRoot(t)
	out := t.TempDir()
	target := runtime.GOOS + "/" + runtime.GOARCH
	run(t, root, []string{"TARGETS=" + target}, "bash", ".ci/release-build.sh", "v1.4.2", out)
	bin := filepath.Join(out, "wvlint_"+runtime.GOOS+"_"+runtime.GOARCH)
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	if got := run(t, out, nil, bin, "version"); got != "wvlint v1.4.2\n" {
		t.Errorf("wvlint version printed %q, want %q", got, "wvlint v1.4.2\n")
	}
	sums, err := os.ReadFile(filepath.Join(out, "checksums.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(sums), "  "+filepath.Base(bin)+"\n") {
		t.Errorf("checksums.txt does not list %s:\n%s", filepath.Base(bin), sums)
	}
	run(t, out, nil, "sha256sum", "--check", "--strict", "checksums.txt")
	// -trimpath: no path of the build machine is in the binary.
	data, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), root) {
		t.Errorf("the binary holds the build directory %s: not built with -trimpath", root)
	}

	cmd := exec.Command("bash", ".ci/release-build.sh", "1.4.2", out)
	cmd.Dir = root
	if msg, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(msg), "is not a release tag") {
		t.Errorf("a version without v was accepted: %v %s", err, msg)
	}
}

func TestReleaseNotes(t *testing.T) {
	root := repoRoot(t)
	changelog := filepath.Join(t.TempDir(), "CHANGELOG.md")
	if err := os.WriteFile(changelog, []byte(`# Changelog

## Unreleased

- next thing

## v1.4.2 - 2026-12-01

- fixed a thing
- another

## v1.4.1

- older
`), 0o644); err != nil {
		t.Fatal(err)
	}
	got := run(t, root, nil, "bash", ".ci/release-notes.sh", "v1.4.2", changelog)
	if want := "\n- fixed a thing\n- another\n"; got != want {
		t.Errorf("notes of v1.4.2: got %q, want %q", got, want)
	}
	if got := run(t, root, nil, "bash", ".ci/release-notes.sh", "v1.4.1", changelog); got != "\n- older\n" {
		t.Errorf("notes of v1.4.1: got %q", got)
	}
	cmd := exec.Command("bash", ".ci/release-notes.sh", "v1.4.3", changelog)
	cmd.Dir = root
	if msg, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(msg), `no notes under "## v1.4.3"`) {
		t.Errorf("a release without notes was accepted: %v %s", err, msg)
	}
	// The repository's own changelog keeps the structure releases read.
	if got := run(t, root, nil, "bash", ".ci/release-notes.sh", "Unreleased"); !strings.Contains(got, "- ") {
		t.Errorf("CHANGELOG.md has no entries under \"## Unreleased\": %q", got)
	}
}

// TestGoInstallVersion installs wvlint as a user would with
// `go install github.com/wvlint/wvlint/cmd/wvlint@v1.4.2`, from a module
// proxy on disk that holds this checkout as v1.4.2 (and the dependencies
// from the module cache), and checks that `wvlint version` says v1.4.2.
func TestGoInstallVersion(t *testing.T) {
	root := repoRoot(t)
	goEnv := func(key string) string {
		return strings.TrimSpace(run(t, root, nil, "go", "env", key))
	}
	modcache := goEnv("GOMODCACHE")
	proxy := t.TempDir()
	const mod, ver = "github.com/wvlint/wvlint", "v1.4.2"
	dir := filepath.Join(proxy, "github.com", "wvlint", "wvlint", "@v")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(dir, ver+".zip"))
	if err != nil {
		t.Fatal(err)
	}
	if err := zip.CreateFromDir(f, module.Version{Path: mod, Version: ver}, checkoutCopy(t, root)); err != nil {
		f.Close()
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		ver + ".mod":  gomod,
		ver + ".info": []byte(`{"Version":"` + ver + `","Time":"2026-12-01T00:00:00Z"}`),
		"list":        []byte(ver + "\n"),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	gobin := t.TempDir()
	run(t, t.TempDir(), []string{
		"GOBIN=" + gobin,
		"GOFLAGS=-trimpath",
		"GOMODCACHE=" + t.TempDir(),
		"GOPROXY=" + fileURL(proxy) + "," + fileURL(filepath.Join(modcache, "cache", "download")),
		"GOSUMDB=off",
		"GOTOOLCHAIN=local",
		"GOWORK=off",
	}, "go", "install", mod+"/cmd/wvlint@"+ver)
	if got := run(t, gobin, nil, filepath.Join(gobin, "wvlint"), "version"); got != "wvlint "+ver+"\n" {
		t.Errorf("wvlint version printed %q, want %q", got, "wvlint "+ver+"\n")
	}
}

// checkoutCopy copies the files git knows of (tracked, and untracked ones
// .gitignore does not exclude) to a new directory: the module as a tag of
// this work tree would hold it.
func checkoutCopy(t *testing.T, root string) string {
	t.Helper()
	dst := t.TempDir()
	for _, rel := range strings.Split(run(t, root, nil, "git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"), "\x00") {
		if rel == "" {
			continue
		}
		data, err := os.ReadFile(filepath.Join(root, rel))
		if os.IsNotExist(err) {
			continue // deleted in the work tree
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(dst, filepath.Dir(rel)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, rel), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

func fileURL(p string) string { return "file://" + filepath.ToSlash(p) }
