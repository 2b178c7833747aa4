// Package lint runs wvlint's rules over a repository: it scans the files,
// pairs each deployment with its former self (at the git revision or the
// versions the caller resolved, see internal/compare), and collects the
// diagnostics. It is a library: it reads no environment and no working
// directory of its own; the CLI hands it everything.
package lint

import (
	"fmt"
	"os"
	"strings"

	"path"
	"path/filepath"

	"github.com/wvlint/wvlint/internal/baseline"
	"github.com/wvlint/wvlint/internal/catalog"
	"github.com/wvlint/wvlint/internal/compare"
	"github.com/wvlint/wvlint/internal/config"
	"github.com/wvlint/wvlint/internal/diag"
	"github.com/wvlint/wvlint/internal/directive"
	"github.com/wvlint/wvlint/internal/discover"
	"github.com/wvlint/wvlint/internal/inventory"
	"github.com/wvlint/wvlint/internal/pos"
	"github.com/wvlint/wvlint/rules"
	"slices"
)

// Options are what a lint run needs to know.
type Options struct {
	Paths []string
	// Dir is the directory relative Paths are named from (the CLI's
	// working directory): the engine does not ask the process for it.
	// "" leaves relative names to the operating system.
	Dir string
	// Target is what to compare with, resolved by the caller
	// (compare.Resolve); the zero value compares with nothing.
	Target  compare.Target
	Backups []string // --backup backend/id: evidence for every upgrade
	MaxSize int64
	Catalog *catalog.Catalog
	Rules   []*rules.Rule
	Config  *config.Config // nil for none
	// Root is the directory fingerprints are relative to (the repository
	// root, relpath.Root); "" leaves paths as given.
	Root string
	// Baseline holds fingerprints of diagnostics to leave out.
	Baseline baseline.Set
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
	Deployments []inventory.Deployment
	Suppressed  int // diagnostics silenced by wvlint:ignore
	Baselined   int // diagnostics left out because the baseline has them
	// Lines returns the source of a file the run read (for excerpts),
	// without reading it again; nil for files it could not read.
	Lines func(file string) *pos.Lines
}

// Run lints the paths. Its errors are wvlint's own failures (git or a
// rule failing), not the user's input: files that cannot be read are
// WV9001 diagnostics.
func Run(opt Options) (*Report, error) {
	// Under --staged the deployments now are the index's: files are read
	// from it, and untracked files are left out.
	var head func(*discover.OSFS) inventory.FS
	var index *indexFS
	var indexErr error
	if t := &opt.Target; t.Index && t.Repo != nil {
		head = func(o *discover.OSFS) inventory.FS {
			if index, indexErr = newIndexFS(t.Repo, o, opt.Dir, opt.MaxSize); indexErr != nil {
				return failFS{indexErr}
			}
			index.prefetch(givenFiles(opt.Paths)) // a hook names the staged files
			return index
		}
	}
	// What changed since the base is git's answer, from a process of its
	// own: it runs while the tree is scanned.
	t := &opt.Target
	var diff func() (*baseDiff, error)
	var ul *discover.Listing
	if t.Repo != nil && !t.From() {
		if !t.Index {
			// The untracked files are changes since the base, and files
			// the walk reads: one listing (a walk of the work tree) for
			// both.
			ul = discover.ListUntracked(t.Repo.Top)
		}
		diff = startDiff(t, ul)
	}
	res, work := scanTree(opt.Paths, opt.Root, opt.MaxSize, opt.Config, opt.Catalog, head, ul)
	if indexErr != nil {
		return nil, indexErr
	}
	if index != nil {
		// cat-file exits when its input closes; the run does not wait
		// for that (a pre-commit hook's last millisecond).
		defer func() { go index.Close() }()
	}
	compared := opt.Target.Compared
	if compared.Mode == "" {
		compared = compare.None
	}
	rep := &Report{Deployments: res.Deployments, Compared: compared}

	changes := make([]*rules.Change, len(res.Deployments))
	for i := range res.Deployments {
		changes[i] = &rules.Change{D: &res.Deployments[i]}
	}
	rules.ResolveFloating(opt.Catalog, changes)
	var trailers []string
	if diff != nil {
		d, err := diff()
		if err != nil {
			return nil, err
		}
		if trailers, err = compareGit(opt, d, work, res, changes); err != nil {
			return nil, err
		}
	}
	applyNamed(t, changes)
	// One read of each file the findings are about serves backup comments,
	// suppressions, fingerprints and excerpts.
	src := newSources(work, res.Lines)
	recordBackups(append(append([]string(nil), opt.Backups...), trailers...), src, changes)
	findings, err := rules.Run(opt.Rules, opt.Catalog, changes)
	if err != nil {
		return nil, err
	}
	findings = append(findings, notChecked(opt.Rules, append(res.Notices, namedNearMisses(opt.Paths, res.NearMisses)...))...)
	rep.Diagnostics = postprocess(opt, src, res.Deployments, LoadErrors(res.Errors), findings, rep)
	rep.Lines = src.get
	return rep, nil
}

// givenFiles are the paths that name regular files.
func givenFiles(paths []string) []string {
	var files []string
	for _, p := range paths {
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			files = append(files, p)
		}
	}
	return files
}

// applyNamed sets the versions the user named: deployed versions from the
// config replace git's, --from replaces both (ephemeral deployments only
// by ID).
func applyNamed(t *compare.Target, changes []*rules.Change) {
	for _, c := range changes {
		if l := t.Live; l != nil && !c.Ephemeral() {
			// What runs now is what the cluster says; the node count too,
			// where the files do not say it.
			c.From, c.FromWhere = l.Version, "the cluster at "+l.URL
			if c.D.Nodes == 0 {
				c.D.Nodes = l.Nodes
			}
			continue
		}
		if v, ok := t.Deployed[c.D.ID]; ok {
			c.From, c.FromWhere = v, "deployed in "+t.DeployedWhere
		}
		if !t.From() {
			continue
		}
		if v, ok := t.FromID[c.D.ID]; ok {
			c.From, c.FromWhere = v, "--from"
		} else if t.FromAll != nil && !c.Ephemeral() {
			c.From, c.FromWhere = t.FromAll, "--from"
		}
	}
}

// recordBackups collects the evidence of a backup for each upgrade: every
// --backup value and Weaviate-Backup commit trailer (given), and every
// "# wvlint:backup backend/id" comment on the version line or the line
// above it that the change adds or changes (one already there at the base
// revision is an earlier upgrade's: StaleBackups).
func recordBackups(given []string, src *sources, changes []*rules.Change) {
	for _, c := range changes {
		c.Backups = append(c.Backups, given...)
		if !c.Upgrade() {
			continue
		}
		l := src.get(c.D.File)
		if l == nil {
			continue
		}
		for _, d := range directive.Of(src.directives(c.D.File), directive.Backup) {
			if d.Target != c.D.Line || d.Backup == "" {
				continue
			}
			if slices.Contains(c.BaseBackups, d.Backup) {
				c.StaleBackups = append(c.StaleBackups, d.Backup) // already there at the base
				continue
			}
			c.Backups = append(c.Backups, d.Backup)
		}
	}
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

// namedNearMisses are the near misses in files named on the command line
// (not found in a directory walked): a file the user asked about that
// wvlint found a version in but could not tie to Weaviate is said so, not
// passed as "0 deployments" (a values file checked alone whose deploy
// script is outside the directories wvlint may look in).
func namedNearMisses(paths []string, near []inventory.NearMiss) []inventory.FileError {
	named := map[string]bool{}
	for _, p := range paths {
		named[filepath.Clean(p)] = true
	}
	var out []inventory.FileError
	for _, n := range near {
		if named[filepath.Clean(n.File)] {
			out = append(out, inventory.FileError{File: n.File, Line: n.Line, Message: n.Message})
		}
	}
	return out
}

// notChecked are the loader's notes on references it found but could not
// check (WV9004), unless the configuration turns the rule off: like the
// rules' findings they are suppressible, baselined and sorted by position,
// and every format shows them.
func notChecked(enabled []*rules.Rule, notices []inventory.FileError) []diag.Diagnostic {
	if !slices.ContainsFunc(enabled, func(r *rules.Rule) bool { return r.ID == rules.NotChecked.ID }) {
		return nil
	}
	var ds []diag.Diagnostic
	for _, n := range notices {
		ds = append(ds, diag.Diagnostic{Rule: rules.NotChecked.ID, Severity: rules.NotChecked.Severity,
			Span: pos.Span{File: n.File, Line: n.Line}, Message: n.Message})
	}
	return ds
}

// Identity is what a configuration says is Weaviate (mirrors, values
// files), for the scan; nil for none.
func Identity(cfg *config.Config) *inventory.Identity {
	if cfg == nil || len(cfg.Images)+len(cfg.Values) == 0 {
		return nil
	}
	// Evidence names the file as the user gave it, or by its name when
	// it was found upward from the paths.
	id := &inventory.Identity{Config: cfg.Path, Dir: cfg.Dir}
	if path.IsAbs(filepath.ToSlash(cfg.Path)) {
		id.Config = filepath.Base(cfg.Path)
	}
	for _, g := range cfg.Images {
		id.Mirrors = append(id.Mirrors, inventory.Glob{Pattern: g.Pattern, Line: g.Line})
	}
	for _, g := range cfg.Values {
		id.Values = append(id.Values, inventory.Glob{Pattern: g.Pattern, Line: g.Line})
	}
	return id
}

// ScanTree walks paths and scans what it finds at the same time (reading
// starts before the walk ends), leaving out what the config ignores. Walk
// problems become file errors and notices. top is the repository root (or
// the working directory outside one): the directories above the paths, up
// to it, are looked at for the files that refer to what the paths hold
// (a deploy script at the root naming a values file below).
func ScanTree(paths []string, top string, maxSize int64, cfg *config.Config, cat *catalog.Catalog) (*inventory.Result, *discover.OSFS) {
	res, fsys := scanTree(paths, top, maxSize, cfg, cat, nil, nil)
	return res, fsys.(*discover.OSFS)
}

// scanTree is ScanTree reading through head(the work tree) when head is
// not nil: the index, for --staged. untracked, when not nil, is the
// listing of the repository's untracked files already started.
func scanTree(paths []string, top string, maxSize int64, cfg *config.Config, cat *catalog.Catalog, head func(*discover.OSFS) inventory.FS, untracked *discover.Listing) (*inventory.Result, inventory.FS) {
	// The scan reads inside the paths, and for a file given alone inside
	// the tree above it that the upward look reaches (a script there
	// sources an env file; a module there calls one beside the file),
	// never further. A directory given is the tree.
	roots := append([]string(nil), paths...)
	fileGiven := false
	for _, p := range paths {
		if st, err := os.Stat(p); err != nil || st.IsDir() {
			continue
		}
		fileGiven = true
		if above := discover.Above(p, top); len(above) > 0 {
			roots = append(roots, above[len(above)-1])
		}
	}
	osfs := discover.NewOSFS(roots, nil, maxSize)
	osfs.Sniff, osfs.SniffWidth = inventory.MentionsWeaviate, len("weaviate")
	var fsys inventory.FS = osfs
	if head != nil {
		fsys = head(osfs)
	}
	// A file the head does not have (an untracked file, for the index) is
	// not walked into the scan.
	var absent func(string) bool
	if a, ok := fsys.(interface{ Absent(string) bool }); ok {
		absent = a.Absent
	}
	toScan := make(chan string, 256)
	var probs []discover.Problem
	var referrers []string
	sent := map[string]bool{}
	walkDone := make(chan struct{})
	var walkPanic any
	srcs := inventory.Sources()
	go func() {
		defer close(walkDone)
		// Stream closes toScan even when it panics; the panic is raised
		// again below, on the caller's goroutine.
		defer func() { walkPanic = recover() }()
		probs = discover.Stream(paths, discover.Want{Reads: srcs.Reads, Neighbours: srcs.Neighbours,
			Upward: srcs.Upward, Across: srcs.Across, Top: top, Untracked: untracked,
			Referrers: func(files []string) { referrers = files },
			Pass: func(f string) bool {
				if fileGiven { // only aboutGiven asks, for the referrers of a file given
					sent[f] = true
				}
				if cfg.Ignored(f) || absent != nil && absent(f) {
					return false
				}
				osfs.MarkWalked(f)
				return true
			}}, toScan)
	}()
	res := inventory.ScanChan(fsys, toScan, inventory.Options{Catalog: cat, Identity: Identity(cfg)})
	<-walkDone
	if walkPanic != nil {
		panic(fmt.Sprintf("walking %s: %v", strings.Join(paths, " "), walkPanic))
	}
	res.Deployments = aboutGiven(res, sent, referrers)
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

// failFS fails every read: the index could not be opened (Run then fails
// as a whole).
type failFS struct{ err error }

func (f failFS) ReadFile(string) ([]byte, error)  { return nil, f.err }
func (f failFS) ReadDir(string) ([]string, error) { return nil, f.err }

// aboutGiven drops the deployments read only from the files the upward
// look read for what they say about a file given (a root deploy.sh read
// for the values file it names also runs a compose stack): a deployment
// is kept when one of its inputs is a file given or walked. The others
// are not what the user asked about, and the full scan reports them
// anyway. So are the near misses in those files.
func aboutGiven(res *inventory.Result, sent map[string]bool, referrers []string) []inventory.Deployment {
	if len(referrers) == 0 {
		return res.Deployments
	}
	asked := map[string]bool{}
	for f := range sent {
		asked[f] = true
	}
	for _, r := range referrers {
		delete(asked, r)
	}
	out := res.Deployments[:0:0]
	for _, d := range res.Deployments {
		keep := asked[d.File]
		for _, in := range d.Inputs {
			keep = keep || asked[in]
		}
		if keep {
			out = append(out, d)
		}
	}
	near := res.NearMisses[:0:0]
	for _, n := range res.NearMisses {
		if asked[n.File] {
			near = append(near, n)
		}
	}
	res.NearMisses = near
	return out
}
