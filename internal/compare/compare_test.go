package compare

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/Masterminds/semver/v3"

	"github.com/wvlint/wvlint/internal/gittest"
)

func git(t *testing.T, dir string, args ...string) string { return gittest.Git(t, dir, args...) }

func commit(t *testing.T, dir, body, msg string) string {
	t.Helper()
	gittest.Write(t, dir, "compose.yaml", body)
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", msg)
	return git(t, dir, "rev-parse", "HEAD")
}

func env(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }

// TestResolve: every way of naming the base, against a real repository
// with a main branch (as origin/main) and a feature branch.
func TestResolve(t *testing.T) {
	dir := gittest.Init(t)
	first := commit(t, dir, "a: 1\n", "first")
	git(t, dir, "update-ref", "refs/remotes/origin/main", first)
	git(t, dir, "checkout", "-q", "-b", "feature")
	head := commit(t, dir, "a: 2\n", "second")
	event := func(json string) string {
		p := filepath.Join(t.TempDir(), "event.json")
		if err := os.WriteFile(p, []byte(json), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	push := event(`{"before": "` + first + `", "repository": {"default_branch": "main"}}`)
	newBranch := event(`{"before": "0000000000000000000000000000000000000000", "repository": {"default_branch": "main"}}`)
	queue := event(`{"merge_group": {"base_sha": "` + first + `", "base_ref": "refs/heads/main"}}`)

	for _, tt := range []struct {
		name   string
		req    Request
		mode   string
		commit string
		index  bool
		text   string
	}{
		{"HEAD", Request{Dir: dir}, "git", head, false, "compared the working tree with HEAD (" + head[:12] + ")"},
		{"staged", Request{Dir: dir, Staged: true}, "git", head, true, "compared the index with HEAD (" + head[:12] + ")"},
		{"base", Request{Dir: dir, Base: "main"}, "git", first, false, "compared the working tree with main (" + first[:12] + ")"},
		{"pull request", Request{Dir: dir, Getenv: env(map[string]string{"GITHUB_EVENT_NAME": "pull_request_target", "GITHUB_BASE_REF": "main"})},
			"git", first, false, "compared the working tree with the merge base with main (" + first[:12] + ")"},
		{"push: the commit before it", Request{Dir: dir, Getenv: env(map[string]string{"GITHUB_EVENT_NAME": "push", "GITHUB_BASE_REF": "main", "GITHUB_EVENT_PATH": push})},
			"git", first, false, "compared the working tree with the commit before the push (" + first[:12] + ")"},
		{"push of a new branch", Request{Dir: dir, Getenv: env(map[string]string{"GITHUB_EVENT_NAME": "push", "GITHUB_EVENT_PATH": newBranch})},
			"git", first, false, "compared the working tree with the merge base with main (a new branch) (" + first[:12] + ")"},
		{"merge queue", Request{Dir: dir, Getenv: env(map[string]string{"GITHUB_EVENT_NAME": "merge_group", "GITHUB_EVENT_PATH": queue})},
			"git", first, false, "compared the working tree with the merge queue's base on main (" + first[:12] + ")"},
		{"staged ignores the event", Request{Dir: dir, Staged: true, Getenv: env(map[string]string{"GITHUB_EVENT_NAME": "push", "GITHUB_EVENT_PATH": push})},
			"git", head, true, "compared the index with HEAD (" + head[:12] + ")"},
		{"workflow_dispatch: HEAD", Request{Dir: dir, Getenv: env(map[string]string{"GITHUB_EVENT_NAME": "workflow_dispatch"})},
			"git", head, false, "compared the working tree with HEAD (" + head[:12] + ")"},
		{"no git", Request{Dir: dir, NoGit: true}, "none", "", false, None.Text},
		{"from", Request{Dir: dir, From: []string{"1.27.1", "compose:x#w=v1.26.3"}}, "from", "", false, "compared with the versions given by --from"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Resolve(tt.req)
			if err != nil {
				t.Fatal(err)
			}
			if got.Compared.Mode != tt.mode || got.Commit != tt.commit || got.Index != tt.index || got.Compared.Text != tt.text {
				t.Errorf("got mode %s commit %s index %v text %q", got.Compared.Mode, got.Commit, got.Index, got.Compared.Text)
			}
			if (got.Repo != nil) != (tt.mode == "git") {
				t.Errorf("Repo %v for mode %s", got.Repo, tt.mode)
			}
		})
	}

	tg, err := Resolve(Request{Dir: dir, From: []string{"1.27.1", "compose:x#w=v1.26.3"}, Deployed: map[string]string{"helm:y#w": "1.25.10"}, DeployedWhere: ".wvlint.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	if !tg.From() || tg.FromAll.String() != "1.27.1" || tg.FromID["compose:x#w"].String() != "1.26.3" || tg.Deployed["helm:y#w"].String() != "1.25.10" {
		t.Errorf("from/deployed: %+v", tg)
	}
}

func TestResolveErrors(t *testing.T) {
	dir := gittest.Init(t)
	// No commit yet: nothing to compare with, not an error.
	if tg, err := Resolve(Request{Dir: dir}); err != nil || tg.Compared.Mode != "none" {
		t.Errorf("empty repository: %+v, %v", tg.Compared, err)
	}
	commit(t, dir, "a: 1\n", "first")
	outside := t.TempDir()
	for _, tt := range []struct {
		req  Request
		want string
	}{
		{Request{Dir: dir, Base: "no-such-ref"}, `unknown revision "no-such-ref"`},
		{Request{Dir: dir, Base: "--output=/tmp/x"}, "invalid revision"},
		{Request{Dir: outside, Base: "main"}, "--base main: not inside a git repository"},
		{Request{Dir: dir, From: []string{"one"}}, "--from one:"},
		{Request{Dir: dir, Getenv: env(map[string]string{"GITHUB_EVENT_NAME": "pull_request", "GITHUB_BASE_REF": "release"})},
			"pull request base release: origin/release is not in this clone; fetch it"},
		{Request{Dir: dir, Getenv: env(map[string]string{"GITHUB_EVENT_NAME": "push"})}, "GITHUB_EVENT_PATH is not set"},
		{Request{Dir: outside, Staged: true}, "--staged: not inside a git repository"},
	} {
		if _, err := Resolve(tt.req); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Resolve(%+v) = %v, want %q", tt.req, err, tt.want)
		}
	}
	if tg, err := Resolve(Request{Dir: outside}); err != nil || tg.Compared.Mode != "none" {
		t.Errorf("outside a repository: %+v, %v", tg.Compared, err)
	}
}

// TestResolveLive: --live replaces git, inside a repository too.
func TestResolveLive(t *testing.T) {
	dir := gittest.Init(t)
	commit(t, dir, "a: 1\n", "first")
	for _, tt := range []struct {
		live *Live
		text string
	}{
		{&Live{URL: "http://127.0.0.1:8080", Version: semver.MustParse("1.35.2"), Nodes: 3},
			"compared with what runs at http://127.0.0.1:8080: Weaviate 1.35.2 on 3 nodes"},
		{&Live{URL: "https://w.example", Version: semver.MustParse("1.35.2"), Nodes: 1, Mixed: "1.35.2 and 1.36.23"},
			"compared with what runs at https://w.example: Weaviate 1.35.2 on 1 node (the nodes run 1.35.2 and 1.36.23: judged from the oldest)"},
	} {
		got, err := Resolve(Request{Dir: dir, Live: tt.live})
		if err != nil {
			t.Fatal(err)
		}
		if got.Repo != nil || got.Live != tt.live || got.Compared.Mode != "live" || got.Compared.Base != tt.live.URL || got.Compared.Text != tt.text {
			t.Errorf("got %+v", got.Compared)
		}
	}
}
