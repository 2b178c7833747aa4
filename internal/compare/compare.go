// Package compare decides what a lint run compares the deployments with:
// a git revision (--base, HEAD, the index, a pull request's merge base),
// the versions the user names (--from), the versions .wvlint.yaml says are
// deployed, or nothing. The CLI fills a Request from flags, configuration
// and the CI environment, and Resolve turns it into a Target, the value the
// engine (internal/lint) takes: the engine itself reads no environment.
package compare

import (
	"fmt"
	"strings"

	"github.com/Masterminds/semver/v3"

	"github.com/wvlint/wvlint/internal/gitrev"
	"github.com/wvlint/wvlint/internal/version"
)

// Compared says what was compared with what; the JSON output carries it.
type Compared struct {
	Mode   string `json:"mode"`             // git, from, live, none
	Base   string `json:"base,omitempty"`   // the ref as named
	Commit string `json:"commit,omitempty"` // its hash
	Head   string `json:"head,omitempty"`   // "working tree" or "index"
	Text   string `json:"text"`             // for people
}

// None is the comparison with nothing: only single-version rules run.
var None = Compared{Mode: "none", Text: "no earlier version to compare with: only single-version rules ran"}

// Request is what the user asked to compare with.
type Request struct {
	Dir    string   // where wvlint runs: the repository is found from it
	Base   string   // --base REF
	Staged bool     // --staged: compare the index, not the work tree, with HEAD
	NoGit  bool     // --no-git
	From   []string // --from VERSION or ID=VERSION
	// Deployed are the versions running now by deployment ID
	// (.wvlint.yaml deployed:), named after the file they come from.
	Deployed      map[string]string
	DeployedWhere string
	// Live is what runs on the cluster --live named, read by the CLI;
	// it replaces git as the former state.
	Live *Live
	// Getenv reads the CI environment (GITHUB_EVENT_NAME, GITHUB_BASE_REF,
	// GITHUB_EVENT_PATH); nil for none.
	Getenv func(string) string
	// Repo, when not nil, is the repository containing Dir as the caller
	// opened it (gitrev.Open, started early: it is a git process).
	Repo func() (*gitrev.Repo, bool)
}

// Live is what a running cluster runs, as its REST API says.
type Live struct {
	URL string
	// Version is what the deployments are judged from: the oldest version
	// any node runs (a rollout half done is judged from where it started).
	Version *semver.Version
	Nodes   int    // the nodes that answer
	Mixed   string // "1.35.2 and 1.36.23" when the nodes disagree, else ""
}

// Target is a resolved comparison.
type Target struct {
	Compared Compared
	// Repo and Commit are the revision the former state is read from;
	// Repo is nil when git is not compared with.
	Repo   *gitrev.Repo
	Commit string
	Index  bool   // the head is the index, not the work tree
	Where  string // how messages name the base: "HEAD", "the merge base with main"
	// FromAll is --from VERSION, FromID --from ID=VERSION; either replaces git.
	FromAll *semver.Version
	FromID  map[string]*semver.Version
	// Deployed versions by deployment ID apply after git and before --from.
	Deployed      map[string]*semver.Version
	DeployedWhere string
	// Live is the running cluster --live read; it replaces git and the
	// deployed versions for every deployment that is not a test's.
	Live *Live
}

// From reports whether the user named the versions (--from).
func (t *Target) From() bool { return t.FromAll != nil || len(t.FromID) > 0 }

// Resolve works out the target. Its errors are the user's to fix (an
// unknown revision, a bad version, --base outside a repository).
func Resolve(req Request) (Target, error) {
	t := Target{Compared: None}
	var err error
	if t.FromAll, t.FromID, err = parseFrom(req.From); err != nil {
		return Target{}, err
	}
	if len(req.Deployed) > 0 {
		t.Deployed, t.DeployedWhere = map[string]*semver.Version{}, req.DeployedWhere
		for id, v := range req.Deployed {
			ver, err := version.ParseVersion(v)
			if err != nil {
				return Target{}, fmt.Errorf("%s: deployed: %s: %w", req.DeployedWhere, id, err)
			}
			t.Deployed[id] = ver
		}
	}
	if len(req.From) > 0 {
		t.Compared = Compared{Mode: "from", Text: "compared with the versions given by --from"}
		return t, nil
	}
	if l := req.Live; l != nil {
		t.Live = l
		text := fmt.Sprintf("compared with what runs at %s: Weaviate %s on %d nodes", l.URL, l.Version, l.Nodes)
		if l.Nodes == 1 {
			text = fmt.Sprintf("compared with what runs at %s: Weaviate %s on 1 node", l.URL, l.Version)
		}
		if l.Mixed != "" {
			text += fmt.Sprintf(" (the nodes run %s: judged from the oldest)", l.Mixed)
		}
		t.Compared = Compared{Mode: "live", Base: l.URL, Text: text}
		return t, nil
	}
	if req.NoGit {
		return t, nil
	}
	return resolveGit(req, t)
}

func resolveGit(req Request, t Target) (Target, error) {
	open := req.Repo
	if open == nil {
		open = func() (*gitrev.Repo, bool) { return gitrev.Open(req.Dir) }
	}
	repo, ok := open()
	if !ok {
		if req.Base != "" {
			return Target{}, fmt.Errorf("--base %s: not inside a git repository", req.Base)
		}
		if req.Staged {
			return Target{}, fmt.Errorf("--staged: not inside a git repository")
		}
		return t, nil
	}
	ref, desc, index, err := baseRef(req, repo)
	if err != nil {
		return Target{}, err
	}
	commit, err := repo.Resolve(ref)
	if err != nil {
		if req.Base == "" && ref == "HEAD" {
			return t, nil // a repository with no commit yet: nothing to compare
		}
		return Target{}, err
	}
	head := "working tree"
	if index {
		head = "index"
	}
	t.Repo, t.Commit, t.Index, t.Where = repo, commit, index, desc
	t.Compared = Compared{Mode: "git", Base: desc, Commit: commit, Head: head,
		Text: fmt.Sprintf("compared the %s with %s (%.12s)", head, desc, commit)}
	return t, nil
}

// baseRef picks the revision to compare with: --base, else in GitHub
// Actions the base its event implies (see githubBase), else HEAD (the index
// against it with --staged). index says whether the head is the index.
func baseRef(req Request, repo *gitrev.Repo) (ref, desc string, index bool, err error) {
	getenv := req.Getenv
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	if req.Base != "" {
		return req.Base, req.Base, false, nil
	}
	if !req.Staged {
		g, err := readGitHub(getenv)
		if err != nil {
			return "", "", false, err
		}
		if ref, desc, ok, err := githubBase(g, repo); ok {
			return ref, desc, false, err
		}
	}
	return "HEAD", "HEAD", req.Staged, nil
}

func parseFrom(args []string) (*semver.Version, map[string]*semver.Version, error) {
	var all *semver.Version
	byID := map[string]*semver.Version{}
	for _, a := range args {
		id, v, ok := strings.Cut(a, "=")
		if !ok {
			id, v = "", a
		}
		ver, err := version.ParseVersion(v)
		if err != nil {
			return nil, nil, fmt.Errorf("--from %s: %w", a, err)
		}
		if id == "" {
			all = ver
		} else {
			byID[id] = ver
		}
	}
	return all, byID, nil
}
