package compare

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/wvlint/wvlint/internal/gitrev"
)

// github is what a GitHub Actions run says about the change under test:
// the event's name and, from the event payload at GITHUB_EVENT_PATH, the
// commit before a push, the default branch and a merge queue's base.
type github struct {
	event   string // GITHUB_EVENT_NAME
	baseRef string // GITHUB_BASE_REF (pull requests)
	payload struct {
		Before     string `json:"before"`
		Repository struct {
			DefaultBranch string `json:"default_branch"`
		} `json:"repository"`
		MergeGroup struct {
			BaseSHA string `json:"base_sha"`
			BaseRef string `json:"base_ref"`
		} `json:"merge_group"`
	}
}

// zeroSHA is github.event.before for a push that creates the branch.
const zeroSHA = "0000000000000000000000000000000000000000"

func readGitHub(getenv func(string) string) (*github, error) {
	g := &github{event: getenv("GITHUB_EVENT_NAME"), baseRef: getenv("GITHUB_BASE_REF")}
	if g.event != "push" && g.event != "merge_group" {
		return g, nil
	}
	path := getenv("GITHUB_EVENT_PATH")
	if path == "" {
		return nil, fmt.Errorf("GITHUB_EVENT_NAME is %s but GITHUB_EVENT_PATH is not set: wvlint cannot tell what the %s changed (give --base)", g.event, g.event)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("GitHub event: %w", err)
	}
	if err := json.Unmarshal(data, &g.payload); err != nil {
		return nil, fmt.Errorf("GitHub event %s: %w", path, err)
	}
	return g, nil
}

// githubBase is the revision a GitHub Actions run compares with, by event:
// a pull request's merge base with its base branch; for a push, the commit
// before it (github.event.before), or for a new branch (before is all
// zeros) the merge base with the default branch; for a merge queue, the
// queue's base (merge_group.base_sha). ok is false for other events.
func githubBase(g *github, repo *gitrev.Repo) (ref, desc string, ok bool, err error) {
	switch {
	case strings.HasPrefix(g.event, "pull_request") && g.baseRef != "":
		mb, err := mergeBase(repo, g.baseRef)
		if err != nil {
			return "", "", true, fmt.Errorf("pull request base %s: %w", g.baseRef, err)
		}
		return mb, "the merge base with " + g.baseRef, true, nil
	case g.event == "push":
		before := g.payload.Before
		if before == "" || before == zeroSHA {
			branch := g.payload.Repository.DefaultBranch
			if branch == "" {
				return "", "", true, fmt.Errorf("push of a new branch: the GitHub event names no default branch to compare with (give --base)")
			}
			mb, err := mergeBase(repo, branch)
			if err != nil {
				return "", "", true, fmt.Errorf("push of a new branch: %w", err)
			}
			return mb, "the merge base with " + branch + " (a new branch)", true, nil
		}
		if err := haveCommit(repo, before, "the commit before the push"); err != nil {
			return "", "", true, err
		}
		return before, "the commit before the push", true, nil
	case g.event == "merge_group":
		base := g.payload.MergeGroup.BaseSHA
		if base == "" {
			return "", "", true, fmt.Errorf("merge_group: the GitHub event has no merge_group.base_sha (give --base)")
		}
		if err := haveCommit(repo, base, "the merge queue's base"); err != nil {
			return "", "", true, err
		}
		desc := "the merge queue's base"
		if b := strings.TrimPrefix(g.payload.MergeGroup.BaseRef, "refs/heads/"); b != "" {
			desc += " on " + b
		}
		return base, desc, true, nil
	}
	return "", "", false, nil
}

// shallowFix says how to bring history into a shallow clone.
const shallowFix = "check out with fetch-depth: 0 (actions/checkout), or run git fetch --unshallow"

// mergeBase is the merge base of HEAD and origin/branch, with an error that
// says what is missing: the branch, or (in a shallow clone) the history.
func mergeBase(repo *gitrev.Repo, branch string) (string, error) {
	remote := "origin/" + branch
	if _, err := repo.Resolve(remote); err != nil {
		return "", fmt.Errorf("%s is not in this clone; fetch it: git fetch origin %s:refs/remotes/%s", remote, branch, remote)
	}
	mb, err := repo.MergeBase(remote, "HEAD")
	if err == nil {
		return mb, nil
	}
	if repo.Shallow() {
		return "", fmt.Errorf("the base revision is not in this shallow clone: HEAD and %s have no common commit in the history fetched; %s, or git fetch --deepen=200 origin %s", remote, shallowFix, branch)
	}
	return "", fmt.Errorf("HEAD and %s have no common commit", remote)
}

// haveCommit checks that a commit named by the event is in the clone.
func haveCommit(repo *gitrev.Repo, sha, what string) error {
	if _, err := repo.Resolve(sha); err == nil {
		return nil
	}
	if repo.Shallow() {
		return fmt.Errorf("%s (%.12s): the base revision is not in this shallow clone; %s, or git fetch --depth=1 origin %s", what, sha, shallowFix, sha)
	}
	return fmt.Errorf("%s (%.12s) is not in this clone; fetch it: git fetch origin %s", what, sha, sha)
}
