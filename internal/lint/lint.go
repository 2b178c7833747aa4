// Package lint runs wvlint's rules over a repository: it scans the files,
// works out what ran before (a git revision, or versions the user names),
// pairs each deployment with its former self by identity, and collects the
// findings.
package lint

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/Masterminds/semver/v3"

	"github.com/wvlint/wvlint/internal/catalog"
	"github.com/wvlint/wvlint/internal/compare"
	"github.com/wvlint/wvlint/internal/config"
	"github.com/wvlint/wvlint/internal/diag"
	"github.com/wvlint/wvlint/internal/discover"
	"github.com/wvlint/wvlint/internal/gitrev"
	"github.com/wvlint/wvlint/internal/inventory"
	"github.com/wvlint/wvlint/internal/pos"
	"github.com/wvlint/wvlint/internal/relpath"
	"github.com/wvlint/wvlint/internal/version"
	"github.com/wvlint/wvlint/rules"
)

// Options are what a lint run needs to know.
type Options struct {
	Paths   []string
	Base    string   // --base REF; "" for the default
	Staged  bool     // compare the index with HEAD
	NoGit   bool     // do not compare with any revision
	From    []string // --from VERSION or ID=VERSION
	Backups []string // --backup backend/id
	MaxSize int64
	Catalog *catalog.Catalog
	Rules   []*rules.Rule
	Getenv  func(string) string
	Config  *config.Config // nil for none
	Root    string         // for fingerprints; Root(cwd) when empty
	// Baseline holds fingerprints of findings to leave out.
	Baseline map[string]bool
}

// Compared says what was compared with what.
type Compared = compare.Compared

// Report is the result of a run.
type Report struct {
	Compared Compared
	// Diagnostics are what the run reports: the loader's (WV9001, files
	// that could not be read, in file order) first, then the rules' and
	// the engine's, by position.
	Diagnostics []diag.Diagnostic
	Notices     []inventory.FileError
	Deployments []inventory.Deployment
	Suppressed  int // diagnostics silenced by wvlint:ignore
	Baselined   int // diagnostics left out because the baseline has them
	// Lines returns the source of a file the run read (for excerpts),
	// without reading it again; nil for files it could not read.
	Lines func(file string) *pos.Lines
}

// Run lints the paths.
func Run(opt Options) (*Report, error) {
	if opt.Getenv == nil {
		opt.Getenv = os.Getenv
	}
	if opt.Root == "" {
		cwd, err := os.Getwd()
		if err != nil {
			return nil, err
		}
		opt.Root = Root(cwd)
	}
	res, work := ScanTree(opt.Paths, opt.MaxSize, opt.Config, opt.Catalog)
	rep := &Report{Notices: res.Notices, Deployments: res.Deployments, Compared: Compared{Mode: "none", Text: "no earlier version to compare with: only single-version rules ran"}}

	changes := make([]*rules.Change, len(res.Deployments))
	for i := range res.Deployments {
		changes[i] = &rules.Change{D: &res.Deployments[i]}
	}
	fromAll, fromID, err := parseFrom(opt.From)
	if err != nil {
		return nil, err
	}
	if len(opt.From) == 0 && !opt.NoGit {
		if err := compareGit(opt, work, res, changes, rep); err != nil {
			return nil, err
		}
	}
	if opt.Config != nil && len(opt.Config.Deployed) > 0 {
		for _, c := range changes {
			if v, ok := opt.Config.Deployed[c.D.ID]; ok {
				c.From, _ = version.ParseVersion(v)
				c.FromWhere = "deployed in " + opt.Config.Path
			}
		}
	}
	if len(opt.From) > 0 {
		for _, c := range changes {
			if v, ok := fromID[c.D.ID]; ok {
				c.From, c.FromWhere = v, "--from"
			} else if fromAll != nil && !c.Ephemeral() {
				c.From, c.FromWhere = fromAll, "--from"
			}
		}
		rep.Compared = Compared{Mode: "from", Text: "compared with the versions given by --from"}
	}
	// One read of each file the findings are about serves backup comments,
	// suppressions, fingerprints and excerpts.
	src := &sources{fs: work, lines: map[string]*pos.Lines{}}
	recordBackups(opt, src, changes)
	findings, err := rules.Run(opt.Rules, opt.Catalog, changes)
	if err != nil {
		return nil, err
	}
	rep.Diagnostics = postprocess(opt, src, res.Deployments, LoadErrors(res.Errors), findings, rep)
	rep.Lines = src.get
	return rep, nil
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

var backupComment = regexp.MustCompile(`#\s*wvlint:backup\s+([A-Za-z0-9_.-]+/\S+)`)

// recordBackups finds evidence of a backup for each change: --backup, a
// "# wvlint:backup backend/id" comment on or above the version line.
func recordBackups(opt Options, src *sources, changes []*rules.Change) {
	for _, c := range changes {
		if len(opt.Backups) > 0 {
			c.Backup = opt.Backups[0]
			continue
		}
		if c.Backup != "" || !c.Upgrade() {
			continue
		}
		l := src.get(c.D.File)
		if l == nil {
			continue
		}
		for _, n := range []int{c.D.Line, c.D.Line - 1} {
			if m := backupComment.FindStringSubmatch(l.Line(n)); m != nil {
				c.Backup = m[1]
				break
			}
		}
	}
}

// compareGit pairs deployments with their state at the base revision. It
// reads from git only the files that changed, and rescans only the
// deployments those files feed.
func compareGit(opt Options, work inventory.FS, res *inventory.Result, changes []*rules.Change, rep *Report) error {
	cwd, err := os.Getwd()
	if err != nil {
		return err
	}
	repo, ok := gitrev.Open(cwd)
	if !ok {
		if opt.Base != "" {
			return fmt.Errorf("--base %s: not inside a git repository", opt.Base)
		}
		return nil
	}
	base, head, desc := opt.Base, "working tree", ""
	switch {
	case opt.Base != "":
		desc = opt.Base
	case opt.Getenv("GITHUB_BASE_REF") != "" && strings.HasPrefix(opt.Getenv("GITHUB_EVENT_NAME"), "pull_request"):
		ref := opt.Getenv("GITHUB_BASE_REF")
		mb, err := repo.MergeBase("origin/"+ref, "HEAD")
		if err != nil {
			return fmt.Errorf("pull request base %s: %w (check out with fetch-depth: 0)", ref, err)
		}
		base, desc = mb, "the merge base with "+ref
	default:
		base, desc = "HEAD", "HEAD"
		if opt.Staged {
			head = "index"
		}
	}
	commit, err := repo.Resolve(base)
	if err != nil {
		if opt.Base == "" && base == "HEAD" {
			return nil // a repository with no commit yet: nothing to compare
		}
		return err
	}
	rep.Compared = Compared{Mode: "git", Base: desc, Commit: commit, Head: head,
		Text: fmt.Sprintf("compared the %s with %s (%.12s)", head, desc, commit)}
	gitChanges, err := repo.Changes(commit, head == "index")
	if err != nil {
		return err
	}
	top, err := filepath.EvalSymlinks(repo.Top)
	if err != nil {
		top = repo.Top
	}
	toRepo := func(p string) string {
		rel, ok := relpath.Rel(top, p)
		if !ok {
			return ""
		}
		return rel
	}
	changed := map[string]gitrev.Change{}
	for _, ch := range gitChanges {
		changed[ch.Path] = ch
		if ch.Status == gitrev.Renamed {
			changed[ch.OldPath] = gitrev.Change{Status: gitrev.Added, Path: ch.OldPath} // gone at its old name
		}
	}
	batch, err := repo.NewBatch()
	if err != nil {
		return err
	}
	defer batch.Close()
	old := &baseFS{work: work, batch: batch, commit: commit, changed: changed, toRepo: toRepo}

	// The files to scan at the base: every input of an affected deployment,
	// and every changed file wvlint reads.
	affected := map[string]bool{}
	var oldFiles []string
	seen := map[string]bool{}
	addFile := func(p string) {
		if !seen[p] && inventory.Reads(p) {
			seen[p] = true
			oldFiles = append(oldFiles, p)
		}
	}
	for _, d := range res.Deployments {
		for _, in := range d.Inputs {
			if _, ok := changed[toRepo(in)]; ok {
				affected[d.ID] = true
			}
		}
		if affected[d.ID] {
			for _, in := range d.Inputs {
				addFile(in)
			}
		}
	}
	for _, ch := range gitChanges {
		if ch.Status == gitrev.Added {
			continue
		}
		for _, root := range opt.Paths {
			if p, ok := userPath(root, ch.Path, toRepo); ok {
				addFile(p)
			}
		}
	}
	var oldRes *inventory.Result
	if len(oldFiles) > 0 {
		oldRes = inventory.Scan(old, oldFiles, inventory.Options{Catalog: opt.Catalog})
	}
	oldByID := map[string]*inventory.Deployment{}
	if oldRes != nil {
		for i := range oldRes.Deployments {
			oldByID[oldRes.Deployments[i].ID] = &oldRes.Deployments[i]
		}
	}
	for _, c := range changes {
		c.FromWhere = desc
		if affected[c.D.ID] {
			c.Old = oldByID[c.D.ID]
		} else {
			c.Old = c.D
		}
		if c.Old != nil {
			c.From = c.Old.Tag.Version
		}
	}
	if trailers, err := repo.Trailers(commit, "HEAD", "Weaviate-Backup"); err == nil && len(trailers) > 0 {
		for _, c := range changes {
			c.Backup = trailers[0]
		}
	}
	return nil
}

// userPath maps a repository path under a scan root back to the form the
// user gave the root in.
func userPath(root, repoPath string, toRepo func(string) string) (string, bool) {
	r := toRepo(root)
	if r == "." {
		return filepath.Join(root, filepath.FromSlash(repoPath)), true
	}
	if repoPath == r {
		return root, true
	}
	if rest, ok := strings.CutPrefix(repoPath, r+"/"); ok {
		return filepath.Join(root, filepath.FromSlash(rest)), true
	}
	return "", false
}

// baseFS is the tree at the base revision: changed files come from git,
// the rest from the work tree (where they are the same).
type baseFS struct {
	work    inventory.FS
	batch   *gitrev.Batch
	commit  string
	changed map[string]gitrev.Change
	toRepo  func(string) string
}

func (b *baseFS) ReadFile(name string) ([]byte, error) {
	rp := b.toRepo(name)
	ch, ok := b.changed[rp]
	if !ok {
		return b.work.ReadFile(name)
	}
	if ch.Status == gitrev.Added {
		return nil, fmt.Errorf("%s: %w", name, os.ErrNotExist)
	}
	return b.batch.Read(b.commit, ch.OldPath)
}

func (b *baseFS) ReadDir(name string) ([]string, error) {
	names, err := b.work.ReadDir(name)
	if err != nil {
		return nil, err
	}
	dir := b.toRepo(name)
	var out []string
	for _, n := range names {
		if ch, ok := b.changed[pathJoin(dir, n)]; !ok || ch.Status != gitrev.Added {
			out = append(out, n)
		}
	}
	for p, ch := range b.changed {
		if ch.Status == gitrev.Deleted && pathDir(p) == dir {
			out = append(out, p[strings.LastIndexByte(p, '/')+1:])
		}
	}
	return out, nil
}

func pathJoin(dir, n string) string {
	if dir == "." || dir == "" {
		return n
	}
	return dir + "/" + n
}

func pathDir(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[:i]
	}
	return "."
}

func gitTop(dir string) string {
	if r, ok := gitrev.Open(dir); ok {
		return r.Top
	}
	return ""
}

// LoadErrors are the loader's diagnostics for files it could not read or
// parse (WV9001), in the order given.
func LoadErrors(errs []inventory.FileError) []diag.Diagnostic {
	var ds []diag.Diagnostic
	for _, e := range errs {
		ds = append(ds, diag.Diagnostic{Rule: rules.ParseError.ID, Severity: rules.ParseError.Severity,
			Span: pos.Span{File: e.File, Line: e.Line}, Message: e.Message})
	}
	return ds
}

// ScanTree walks paths and scans what it finds at the same time (reading
// starts before the walk ends), leaving out what the config ignores. Walk
// problems become file errors and notices.
func ScanTree(paths []string, maxSize int64, cfg *config.Config, cat *catalog.Catalog) (*inventory.Result, *discover.OSFS) {
	fsys := discover.NewOSFS(paths, nil, maxSize)
	fsys.Sniff, fsys.SniffWidth = inventory.MentionsWeaviate, len("weaviate")
	walked := make(chan string, 256)
	toScan := make(chan string, 256)
	var probs []discover.Problem
	walkDone := make(chan struct{})
	go func() {
		probs = discover.Stream(paths, discover.Want{Reads: inventory.Reads, Neighbours: inventory.Neighbours}, walked)
		close(walkDone)
	}()
	go func() {
		for f := range walked {
			if cfg.Ignored(f) {
				continue
			}
			fsys.MarkWalked(f)
			toScan <- f
		}
		close(toScan)
	}()
	res := inventory.ScanChan(fsys, toScan, inventory.Options{Catalog: cat})
	<-walkDone
	for _, p := range probs {
		fe := inventory.FileError{File: p.Path, Message: p.Message}
		if p.Notice {
			res.Notices = append(res.Notices, fe)
		} else {
			res.Errors = append(res.Errors, fe)
		}
	}
	res.SortProblems()
	return res, fsys
}
