// Package action_test runs the composite action (action.yml at the
// repository root, its scripts in this directory) as a GitHub runner would,
// over real git repositories: a pull request's merge ref, checked out in
// full and shallow, from the repository and from a fork; shallow checkouts
// of a push, a new branch's push and a merge queue; the release binary
// downloaded for the action's own tag, a binary that fails its checksum,
// and the build from source.
package action_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
		"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// compose is a deployment on version whose backup comment is new with each
// version (a comment left from an earlier upgrade is no evidence).
func compose(version string) string {
	return "services:\n  weaviate:\n    image: semitechnologies/weaviate:" + version + " # wvlint:backup s3/before-" + version + "\n" +
		"    environment:\n      CLUSTER_HOSTNAME: node1\n"
}

// origin is the repository on "GitHub": main with a history, and two pull
// requests as GitHub keeps them (refs/pull/N/merge, the merge of the head
// into main): #1 skips 1.38 (WV1001, an error), #2 moves to the latest
// patch (WV1007 metadata-sync, a note), #3 adds a file that is no YAML.
func origin(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	git(t, dir, "init", "-q", "-b", "main")
	write(t, filepath.Join(dir, "deploy/compose.yml"), compose("1.37.13"))
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", "weaviate 1.37.13")
	for i := range 12 {
		write(t, filepath.Join(dir, "README"), strings.Repeat("x", i+1))
		git(t, dir, "add", "-A")
		git(t, dir, "commit", "-q", "-m", "main work")
	}
	for n, version := range map[string]string{"1": "1.39.0", "2": "1.37.14", "3": "1.37.13"} {
		git(t, dir, "checkout", "-q", "-b", "pr"+n, "main~6")
		write(t, filepath.Join(dir, "deploy/compose.yml"), compose(version))
		if n == "3" {
			write(t, filepath.Join(dir, "deploy/broken.yml"), "services:\n  weaviate:\n    image: semitechnologies/weaviate:1.37.13\n   bad: [\n")
			git(t, dir, "add", "-A")
		}
		git(t, dir, "commit", "-q", "-am", "weaviate "+version)
		git(t, dir, "checkout", "-q", "--detach", "main")
		git(t, dir, "merge", "-q", "--no-edit", "pr"+n)
		git(t, dir, "update-ref", "refs/pull/"+n+"/merge", "HEAD")
		git(t, dir, "checkout", "-q", "main")
	}
	return dir
}

// checkout does what actions/checkout does for a pull request: fetch the
// merge ref (depth 0: the whole history and every branch) and check it out.
func checkout(t *testing.T, origin, ref string, depth int) string {
	t.Helper()
	ws := t.TempDir()
	git(t, ws, "init", "-q")
	git(t, ws, "remote", "add", "origin", "file://"+origin)
	args := []string{"-c", "protocol.version=2", "fetch", "--no-tags", "-q"}
	if depth > 0 {
		args = append(args, "--depth="+strings.TrimSpace(strings.Repeat("1", 1)))
	} else {
		args = append(args, "origin", "+refs/heads/*:refs/remotes/origin/*")
		git(t, ws, args...)
		args = []string{"fetch", "--no-tags", "-q"}
	}
	args = append(args, "origin", "+"+ref+":refs/remotes/pull/merge")
	git(t, ws, args...)
	git(t, ws, "checkout", "-q", "--detach", "refs/remotes/pull/merge")
	return ws
}

func prEvent(n int, headRepo string) map[string]any {
	return map[string]any{
		"number": n,
		"pull_request": map[string]any{
			"number": n,
			"head":   map[string]any{"ref": "pr", "repo": map[string]any{"full_name": headRepo}},
			"base":   map[string]any{"ref": "main", "repo": map[string]any{"full_name": repository}},
		},
		"repository": map[string]any{"full_name": repository, "default_branch": "main"},
	}
}

// release is a fake github.com for the action's own release: a git
// repository with the tags v1.4.2 and v1 on one commit, and the release
// files that .ci/release-build.sh makes, where the download URL finds them.
type release struct {
	base       string // WVLINT_RELEASE_BASE
	actionPath string // .../_actions/wvlint/wvlint/v1, holding only the action's files
}

var (
	releaseOnce sync.Once
	releaseDir  string
	releaseErr  string
)

func fakeRelease(t *testing.T) release {
	t.Helper()
	root := repoRoot(t)
	releaseOnce.Do(func() {
		dir, err := os.MkdirTemp("", "wvlint-action-release")
		if err != nil {
			releaseErr = err.Error()
			return
		}
		releaseDir = dir
		repo := filepath.Join(dir, "gh", "wvlint", "wvlint")
		cmd := exec.Command("bash", ".ci/release-build.sh", "v1.4.2", filepath.Join(repo, "releases", "download", "v1.4.2"))
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "TARGETS="+runtime.GOOS+"/"+runtime.GOARCH)
		if out, err := cmd.CombinedOutput(); err != nil {
			releaseErr = string(out)
		}
	})
	if releaseErr != "" {
		t.Fatalf("release build: %s", releaseErr)
	}
	repo := filepath.Join(releaseDir, "gh", "wvlint", "wvlint")
	if _, err := os.Stat(filepath.Join(repo, ".git")); err != nil {
		git(t, repo, "init", "-q", "-b", "main")
		git(t, repo, "commit", "-q", "--allow-empty", "-m", "v1.0.0")
		git(t, repo, "tag", "v1.0.0")
		git(t, repo, "commit", "-q", "--allow-empty", "-m", "v1.4.2")
		git(t, repo, "tag", "-a", "-m", "v1.4.2", "v1.4.2")
		git(t, repo, "tag", "v1", "HEAD")
	}
	// The runner checks a used action out at _actions/OWNER/REPO/REF: the
	// action's files, no Go source.
	ap := filepath.Join(t.TempDir(), "_actions", "wvlint", "wvlint", "v1")
	for _, f := range []string{"action.yml", "action/install.sh", "action/fetch-history.sh"} {
		data, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(ap, f), string(data))
		if strings.HasSuffix(f, ".sh") {
			if err := os.Chmod(filepath.Join(ap, f), 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	return release{base: "file://" + filepath.Join(releaseDir, "gh"), actionPath: ap}
}

func TestMain(m *testing.M) {
	code := m.Run()
	if releaseDir != "" {
		os.RemoveAll(releaseDir)
	}
	os.Exit(code)
}

// pathWithoutGo is PATH less every directory that holds a go command: the
// released binary must not need one.
func pathWithoutGo() string {
	var keep []string
	for _, d := range filepath.SplitList(os.Getenv("PATH")) {
		if _, err := os.Stat(filepath.Join(d, "go")); err == nil {
			continue
		}
		keep = append(keep, d)
	}
	return strings.Join(keep, string(filepath.ListSeparator))
}

func prJob(t *testing.T, rel release, ws string, n int, inputs map[string]string) job {
	return job{
		actionPath: rel.actionPath, workspace: ws, eventName: "pull_request", baseRef: "main",
		event: prEvent(n, repository), inputs: inputs,
		env: map[string]string{"WVLINT_RELEASE_BASE": rel.base, "PATH": pathWithoutGo()},
	}
}

func sarifOf(t *testing.T, path string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("SARIF: %v", err)
	}
	var s map[string]any
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatalf("SARIF %s: %v", path, err)
	}
	return s
}

// TestActionFailOn: outputs, the SARIF file, the upload, the annotations
// and the job's result for each fail-on, on a full checkout.
func TestActionFailOn(t *testing.T) {
	rel := fakeRelease(t)
	org := origin(t)
	for _, tc := range []struct {
		name     string
		pr       int
		failOn   string
		wantExit string
		wantOK   bool
		wantLog  string
	}{
		{"an error fails at error", 1, "error", "1", false, "::error title=wvlint::findings at or above error"},
		{"never only reports", 1, "never", "1", true, "::error file=deploy/compose.yml,line=3"},
		{"a note passes at error", 2, "error", "0", true, "::notice file=deploy/compose.yml,line=3"},
		{"a note passes at warning", 2, "warning", "0", true, "::notice file=deploy/compose.yml,line=3"},
		{"a note fails at note", 2, "note", "1", false, "::error title=wvlint::findings at or above note"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ws := checkout(t, org, "refs/pull/"+strings.TrimSpace(string(rune('0'+tc.pr)))+"/merge", 0)
			res := prJob(t, rel, ws, tc.pr, map[string]string{"path": "deploy", "category": "wvlint/deploy", "fail-on": tc.failOn}).run(t)
			if res.ok != tc.wantOK {
				t.Errorf("job ok = %v, want %v\n%s", res.ok, tc.wantOK, res.log)
			}
			if got := res.outputs["exit-code"]; got != tc.wantExit {
				t.Errorf("exit-code = %q, want %q\n%s", got, tc.wantExit, res.log)
			}
			if want := filepath.Join(res.temp, "wvlint.sarif"); res.outputs["sarif-file"] != want {
				t.Errorf("sarif-file = %q, want %q", res.outputs["sarif-file"], want)
			}
			if !strings.Contains(res.log, tc.wantLog) {
				t.Errorf("the log lacks %q:\n%s", tc.wantLog, res.log)
			}
			if !strings.Contains(res.log, "wvlint v1.4.2: downloaded the release binary") {
				t.Errorf("the release binary was not used:\n%s", res.log)
			}
			if !strings.Contains(res.log, "the merge base with main") {
				t.Errorf("wvlint did not compare with the merge base:\n%s", res.log)
			}
			if len(res.uploads) != 1 || res.uploads[0] != (upload{res.outputs["sarif-file"], "wvlint/deploy"}) {
				t.Errorf("uploads = %+v", res.uploads)
			}
			runs := sarifOf(t, res.outputs["sarif-file"])["runs"].([]any)
			if id := runs[0].(map[string]any)["automationDetails"].(map[string]any)["id"]; !strings.HasPrefix(id.(string), "wvlint/deploy") {
				t.Errorf("SARIF category %q", id)
			}
		})
	}
}

// TestActionShallowCheckout: with actions/checkout's default fetch-depth 1
// the action fetches the base branch and deepens the clone until the merge
// base is there, and wvlint compares with it.
func TestActionShallowCheckout(t *testing.T) {
	rel := fakeRelease(t)
	org := origin(t)
	ws := checkout(t, org, "refs/pull/1/merge", 1)
	if got := git(t, ws, "rev-parse", "--is-shallow-repository"); got != "true" {
		t.Fatalf("the checkout is not shallow: %s", got)
	}
	res := prJob(t, rel, ws, 1, map[string]string{"path": "deploy", "fail-on": "error"}).run(t)
	if res.outputs["exit-code"] != "1" || !strings.Contains(res.log, "title=WV1001 skipped-minor") {
		t.Errorf("exit-code %q; want the skipped minor found against the merge base:\n%s", res.outputs["exit-code"], res.log)
	}
	if !strings.Contains(res.log, "deepening by") {
		t.Errorf("the shallow clone was not deepened:\n%s", res.log)
	}
	if strings.Contains(res.log, "exit status") {
		t.Errorf("a git exit status reached the log:\n%s", res.log)
	}
}

// TestActionFork: a pull request from a fork cannot upload SARIF; the
// action says so in an annotation and the job is not failed for it.
func TestActionFork(t *testing.T) {
	rel := fakeRelease(t)
	org := origin(t)
	ws := checkout(t, org, "refs/pull/1/merge", 0)
	j := prJob(t, rel, ws, 1, map[string]string{"path": "deploy", "fail-on": "never"})
	j.event = prEvent(1, "someone/app-fork")
	res := j.run(t)
	if !res.ok || len(res.uploads) != 0 {
		t.Errorf("ok %v, uploads %+v; want a passing job and no upload\n%s", res.ok, res.uploads, res.log)
	}
	if !strings.Contains(res.log, "::warning title=wvlint::SARIF not uploaded to code scanning: this pull request comes from the fork someone/app-fork") {
		t.Errorf("no annotation says why nothing was uploaded:\n%s", res.log)
	}
}

// TestActionUploadFails: a refused upload (no security-events: write) is
// an annotation, not a failed job.
func TestActionUploadFails(t *testing.T) {
	rel := fakeRelease(t)
	org := origin(t)
	ws := checkout(t, org, "refs/pull/2/merge", 0)
	j := prJob(t, rel, ws, 2, map[string]string{"path": "deploy"})
	j.uploadFail = true
	res := j.run(t)
	if !res.ok || res.outcomes["upload"] != "failure" {
		t.Errorf("ok %v, upload outcome %q; want the job to pass past a failed upload\n%s", res.ok, res.outcomes["upload"], res.log)
	}
	if !strings.Contains(res.log, "::warning title=wvlint::the SARIF upload to code scanning failed") {
		t.Errorf("no annotation says the upload failed:\n%s", res.log)
	}
}

// TestActionBuildsFromSource: used from a branch or locally (uses: ./),
// the action builds wvlint with the go on PATH, and leaves PATH and the
// Go setup of the caller's job alone (the runner checks GITHUB_PATH and
// GITHUB_ENV).
func TestActionBuildsFromSource(t *testing.T) {
	org := origin(t)
	ws := checkout(t, org, "refs/pull/1/merge", 0)
	j := job{
		actionPath: repoRoot(t), workspace: ws, eventName: "pull_request", baseRef: "main",
		event: prEvent(1, repository), inputs: map[string]string{"path": "deploy", "fail-on": "never"},
	}
	res := j.run(t)
	if !res.ok || res.outputs["exit-code"] != "1" {
		t.Errorf("ok %v exit-code %q\n%s", res.ok, res.outputs["exit-code"], res.log)
	}
	if !strings.Contains(res.log, "built from the action's checkout with go") {
		t.Errorf("wvlint was not built from source:\n%s", res.log)
	}
}

// TestActionUnreadableFile: wvlint exits 2 (a file it cannot parse); the
// SARIF file is still written and uploaded, and the job fails saying so.
func TestActionUnreadableFile(t *testing.T) {
	rel := fakeRelease(t)
	org := origin(t)
	ws := checkout(t, org, "refs/pull/3/merge", 0)
	res := prJob(t, rel, ws, 3, map[string]string{"path": "deploy", "fail-on": "never"}).run(t)
	if res.ok || res.outputs["exit-code"] != "2" {
		t.Errorf("ok %v exit-code %q; want a failed job with exit 2\n%s", res.ok, res.outputs["exit-code"], res.log)
	}
	if !strings.Contains(res.log, "::error title=wvlint::wvlint could not check every file (exit 2)") {
		t.Errorf("no annotation for exit 2:\n%s", res.log)
	}
	if len(res.uploads) != 1 {
		t.Fatalf("uploads %+v: the SARIF of a failed run was not uploaded\n%s", res.uploads, res.log)
	}
	inv := sarifOf(t, res.uploads[0].sarif)["runs"].([]any)[0].(map[string]any)["invocations"].([]any)[0].(map[string]any)
	if inv["executionSuccessful"] != false || inv["toolExecutionNotifications"] == nil {
		t.Errorf("invocation %v: want executionSuccessful false and a notification", inv)
	}
}

// TestActionShallowEvents: on a push, a new branch's push and a merge
// queue, actions/checkout's default fetch-depth 1 leaves only the commit
// under test; the action fetches what the event compares with (the commit
// before the push, the default branch and the merge base, the queue's
// base), and wvlint compares with it and finds the skipped minor.
func TestActionShallowEvents(t *testing.T) {
	rel := fakeRelease(t)
	org := origin(t)
	mainSHA := git(t, org, "rev-parse", "main")
	repo := map[string]any{"full_name": repository, "default_branch": "main"}
	for _, tc := range []struct {
		name, event, ref string
		payload          map[string]any
		compared         string
	}{
		{"push", "push", "refs/pull/1/merge",
			map[string]any{"before": mainSHA, "ref": "refs/heads/main", "repository": repo},
			"compared the working tree with the commit before the push"},
		{"push of a new branch", "push", "refs/heads/pr1",
			map[string]any{"before": "0000000000000000000000000000000000000000", "ref": "refs/heads/pr1", "repository": repo},
			"compared the working tree with the merge base with main (a new branch)"},
		{"merge queue", "merge_group", "refs/pull/1/merge",
			map[string]any{"merge_group": map[string]any{"base_sha": mainSHA, "base_ref": "refs/heads/main"}, "repository": repo},
			"compared the working tree with the merge queue's base on main"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ws := checkout(t, org, tc.ref, 1)
			if got := git(t, ws, "rev-parse", "--is-shallow-repository"); got != "true" {
				t.Fatalf("the checkout is not shallow: %s", got)
			}
			j := job{
				actionPath: rel.actionPath, workspace: ws, eventName: tc.event, event: tc.payload,
				inputs: map[string]string{"path": "deploy", "fail-on": "error"},
				env:    map[string]string{"WVLINT_RELEASE_BASE": rel.base, "PATH": pathWithoutGo()},
			}
			res := j.run(t)
			if res.ok || res.outputs["exit-code"] != "1" || !strings.Contains(res.log, "title=WV1001 skipped-minor") {
				t.Errorf("ok %v, exit-code %q; want the skipped minor found and the job failed:\n%s", res.ok, res.outputs["exit-code"], res.log)
			}
			if !strings.Contains(res.log, tc.compared) {
				t.Errorf("the log lacks %q:\n%s", tc.compared, res.log)
			}
			if strings.Contains(res.log, "shallow clone;") || strings.Contains(res.log, "exit status") {
				t.Errorf("wvlint did not find what it compares with:\n%s", res.log)
			}
		})
	}
}

// TestActionChecksumMismatch: a release binary that does not match the
// release's checksums.txt is not run; the action says so and builds wvlint
// from its own checkout instead (the runner checks out the whole
// repository at _actions/OWNER/REPO/REF).
func TestActionChecksumMismatch(t *testing.T) {
	fakeRelease(t) // the v1.4.2 release whose binary the bad one copies
	org := origin(t)
	ws := checkout(t, org, "refs/pull/1/merge", 0)
	// A release v1.4.3 whose binary is not the one its checksums name.
	name := "wvlint_" + runtime.GOOS + "_" + runtime.GOARCH
	good, err := os.ReadFile(filepath.Join(releaseDir, "gh", "wvlint", "wvlint", "releases", "download", "v1.4.2", name))
	if err != nil {
		t.Fatal(err)
	}
	base := t.TempDir()
	dl := filepath.Join(base, "wvlint", "wvlint", "releases", "download", "v1.4.3")
	write(t, filepath.Join(dl, name), string(good))
	write(t, filepath.Join(dl, "checksums.txt"), strings.Repeat("0", 64)+"  "+name+"\n")
	ap := filepath.Join(t.TempDir(), "_actions", "wvlint", "wvlint", "v1.4.3")
	if err := os.MkdirAll(filepath.Dir(ap), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(repoRoot(t), ap); err != nil {
		t.Fatal(err)
	}
	j := job{
		actionPath: ap, workspace: ws, eventName: "pull_request", baseRef: "main",
		event: prEvent(1, repository), inputs: map[string]string{"path": "deploy", "fail-on": "never"},
		env: map[string]string{"WVLINT_RELEASE_BASE": "file://" + base},
	}
	res := j.run(t)
	if !strings.Contains(res.log, "::warning title=wvlint::the downloaded "+name+" does not match the release's checksums.txt; building wvlint instead") {
		t.Errorf("no warning about the checksum:\n%s", res.log)
	}
	if strings.Contains(res.log, "downloaded the release binary") || !strings.Contains(res.log, "built from the action's checkout with go") {
		t.Errorf("the mismatching binary was used, or wvlint was not built:\n%s", res.log)
	}
	if !res.ok || res.outputs["exit-code"] != "1" {
		t.Errorf("ok %v exit-code %q\n%s", res.ok, res.outputs["exit-code"], res.log)
	}
}
