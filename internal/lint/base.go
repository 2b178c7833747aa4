package lint

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/wvlint/wvlint/internal/compare"
	"github.com/wvlint/wvlint/internal/directive"
	"github.com/wvlint/wvlint/internal/discover"
	"github.com/wvlint/wvlint/internal/gitrev"
	"github.com/wvlint/wvlint/internal/inventory"
	"github.com/wvlint/wvlint/internal/pos"
	"github.com/wvlint/wvlint/internal/relpath"
	"github.com/wvlint/wvlint/rules"
)

// compareGit pairs deployments with their state at the target's commit. It
// reads from git only the files that changed, and rescans only the
// deployments those files feed. It returns the Weaviate-Backup trailers of
// the commits since the base.
func compareGit(opt Options, d *baseDiff, work inventory.FS, res *inventory.Result, changes []*rules.Change) ([]string, error) {
	t := &opt.Target
	// Under --staged the index's cat-file process reads the base too.
	var batch *gitrev.Batch
	if x, ok := work.(*indexFS); ok {
		batch = x.batch
	} else {
		var err error
		if batch, err = t.Repo.NewBatch(); err != nil {
			return nil, err
		}
		defer func() { go batch.Close() }() // as Run closes the index's
	}
	old := &baseFS{work: work, batch: batch, commit: t.Commit, changed: d.changed, toRepo: d.toRepo}

	affected, files := d.baseFiles(opt.Paths, res.Deployments)
	oldByID := map[string]*inventory.Deployment{}
	var held map[string]*pos.Lines // the base's files the base scan parsed
	if len(files) > 0 {
		old.prefetch(files)
		oldRes := inventory.Scan(old, files, inventory.Options{Catalog: opt.Catalog, Identity: Identity(opt.Config)})
		held = oldRes.Lines
		for i := range oldRes.Deployments {
			oldByID[oldRes.Deployments[i].ID] = &oldRes.Deployments[i]
		}
	}
	baseSrc := newSources(old, held)
	for _, c := range changes {
		c.FromWhere = t.Where
		// A commit trailer exists only once the change is committed: not
		// for the index (a pre-commit hook runs before the commit).
		c.TrailersRead = !t.Index
		if affected[c.D.ID] {
			c.Old = oldByID[c.D.ID]
			if c.Old == nil {
				c.Old = ranInOverlay(old, oldByID, c.D)
			}
		} else {
			c.Old = c.D
		}
		if c.Old != nil {
			c.From = rules.RanBefore(opt.Catalog, c.Old)
		}
		if c.Old != nil && c.Old != c.D {
			for _, d := range directive.Of(baseSrc.directives(c.Old.File), directive.Backup) {
				if d.Target == c.Old.Line && d.Backup != "" {
					c.BaseBackups = append(c.BaseBackups, d.Backup)
				}
			}
		}
	}
	// Trailers that cannot be read are no evidence, not a failure.
	trailers, _ := t.Repo.Trailers(t.Commit, "HEAD", "Weaviate-Backup")
	return trailers, nil
}

// ranInOverlay is, for a kustomize overlay's pin that the base revision
// did not have (an `images:` entry or an image patch this change adds),
// what the overlay ran there: the same overlay's other pin of that
// workload, or the base's own pin when the overlay existed and built it
// unchanged. Nil when the overlay is new too: a new environment, not a
// move.
func ranInOverlay(old inventory.FS, oldByID map[string]*inventory.Deployment, d *inventory.Deployment) *inventory.Deployment {
	if d.Kind != inventory.Kustomize || !strings.HasPrefix(d.ID, "kustomize:") {
		return nil
	}
	at := strings.LastIndex(d.ID, "@k8s:")
	if at < 0 {
		return nil
	}
	prefix, baseID := d.ID[:strings.IndexByte(d.ID, '#')+1], d.ID[at+1:]
	for id, o := range oldByID {
		if strings.HasPrefix(id, prefix) && strings.HasSuffix(id, "@"+baseID) {
			return o
		}
	}
	overlay := ""
	for _, in := range d.Inputs {
		if inventory.IsKustomization(in) {
			overlay = in
			break
		}
	}
	if overlay == "" {
		return nil
	}
	if _, err := old.ReadFile(overlay); err != nil {
		return nil
	}
	return oldByID[baseID]
}

// baseDiff is what changed between the base and the head, by repository
// path.
type baseDiff struct {
	list    []gitrev.Change
	changed map[string]gitrev.Change
	toRepo  func(string) string // a path as scanned -> its repository path, "" outside
}

// startDiff runs diffBase on a goroutine of its own and returns the wait
// for its answer. A panic there is raised again by the wait, on the
// caller's goroutine (where the CLI turns it into exit 3).
func startDiff(t *compare.Target, ul *discover.Listing) func() (*baseDiff, error) {
	var d *baseDiff
	var err error
	var panicked any
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer func() { panicked = recover() }()
		d, err = diffBase(t, ul)
	}()
	return func() (*baseDiff, error) {
		<-done
		if panicked != nil {
			panic(panicked)
		}
		return d, err
	}
}

// ul lists the repository's untracked files, or is nil (under --staged
// none are read).
func diffBase(t *compare.Target, ul *discover.Listing) (*baseDiff, error) {
	var untracked func() ([]string, error)
	if ul != nil {
		untracked = ul.Paths
	}
	list, err := t.Repo.Changes(t.Commit, t.Index, untracked)
	if err != nil {
		return nil, err
	}
	top, err := filepath.EvalSymlinks(t.Repo.Top)
	if err != nil {
		top = t.Repo.Top
	}
	// The base scan asks for the same few paths again and again (every
	// read, every listing): each answer costs a working-directory lookup.
	var mu sync.Mutex
	known := map[string]string{}
	d := &baseDiff{list: list, changed: map[string]gitrev.Change{}, toRepo: func(p string) string {
		mu.Lock()
		rel, ok := known[p]
		mu.Unlock()
		if ok {
			return rel
		}
		if rel, ok = relpath.Rel(top, p); !ok {
			rel = ""
		}
		mu.Lock()
		known[p] = rel
		mu.Unlock()
		return rel
	}}
	for _, ch := range list {
		d.changed[ch.Path] = ch
		if ch.Status == gitrev.Renamed {
			d.changed[ch.OldPath] = gitrev.Change{Status: gitrev.Added, Path: ch.OldPath} // gone at its old name
		}
	}
	return d, nil
}

// baseFiles are the files to scan at the base: every input of a
// deployment a changed file feeds (affected), and every changed file under
// the scanned paths that existed at the base.
func (d *baseDiff) baseFiles(paths []string, deps []inventory.Deployment) (affected map[string]bool, files []string) {
	affected = map[string]bool{}
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[p] && inventory.Sources().Reads(p) {
			seen[p] = true
			files = append(files, p)
		}
	}
	for _, dep := range deps {
		for _, in := range dep.Inputs {
			if _, ok := d.changed[d.toRepo(in)]; ok {
				affected[dep.ID] = true
			}
		}
		if affected[dep.ID] {
			for _, in := range dep.Inputs {
				add(in)
			}
		}
	}
	for _, ch := range d.list {
		if ch.Status == gitrev.Added {
			continue
		}
		for _, root := range paths {
			if p, ok := userPath(root, ch.Path, d.toRepo); ok {
				add(p)
			}
		}
	}
	return affected, files
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
	asked   started // reads prefetch started, until ReadFile takes them
	kept    kept    // what was read at the commit
}

// prefetch asks git for the files at the base at once (the changed ones
// at the commit, the others from the index under --staged), before the
// scan reads them one by one.
func (b *baseFS) prefetch(names []string) {
	var fromIndex []string
	for _, name := range names[:min(len(names), prefetchMax)] {
		ch, ok := b.changed[b.toRepo(name)]
		switch {
		case ok && ch.Status != gitrev.Added:
			b.asked.put(name, b.batch.Start(b.commit, ch.OldPath))
		case !ok:
			fromIndex = append(fromIndex, name)
		}
	}
	if x, ok := b.work.(*indexFS); ok {
		x.prefetch(fromIndex)
	}
}

func (b *baseFS) ReadFile(name string) ([]byte, error) {
	if data, ok := b.kept.get(name); ok {
		return data, nil
	}
	p, ok := b.asked.take(name)
	if !ok {
		rp := b.toRepo(name)
		ch, changed := b.changed[rp]
		if !changed {
			return b.work.ReadFile(name)
		}
		if ch.Status == gitrev.Added {
			return nil, fmt.Errorf("%s: %w", name, os.ErrNotExist)
		}
		p = b.batch.Start(b.commit, ch.OldPath)
	}
	data, err := p.Wait()
	if err == nil {
		b.kept.put(name, data)
	}
	return data, err
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
