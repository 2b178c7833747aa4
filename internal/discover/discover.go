// Package discover finds the files a scan reads: it walks the paths given,
// skips .git, vendor, node_modules and what .gitignore files ignore, never
// follows a symbolic link, and keeps the files a predicate wants. It knows
// nothing of what the files hold: the caller says which names it reads
// and which neighbours a file named on the command line needs.
// It also provides the file system the scanner reads through, which refuses
// any path that leads out of the trees given.
package discover

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"

	"github.com/go-git/go-git/v5/plumbing/format/gitignore"

	"github.com/wvlint/wvlint/internal/readbuf"
)

// Problem is a path that could not be walked, or was skipped on purpose.
type Problem struct {
	Path    string
	Message string
	Notice  bool // skipped on purpose, not an error
}

var skipDirs = map[string]bool{".git": true, "vendor": true, "node_modules": true, ".hg": true, ".svn": true}

// Want says which files a walk keeps.
type Want struct {
	// Reads reports whether a file is read, by its path.
	Reads func(path string) bool
	// Neighbours lists, among the names of the regular files beside a
	// file named on the command line, those to read with it; nil for none.
	Neighbours func(named string, siblings []string) []string
	// Upward lists, among the names of the regular files of a directory
	// above a file given (its parent, grandparent... up to Top), those to
	// read with it: the deploy script at the repository root that names a
	// values file below. Nil for none.
	Upward func(given, dir string, names []string) []string
	// Across says, for a file given and the names of the regular files
	// beside it, which other files of the tree above it (up to Top, listed
	// by git) to read with it: the callers of a Terraform module, which may
	// live anywhere in the repository. Nil
	// for none; a nil match for a file means none.
	Across func(given string, siblings []string) func(path string) bool
	// Referrers, when set, is told at the end of the walk which files were
	// read only because Upward or Across asked for them: their own
	// deployments are not what the user asked about.
	Referrers func(files []string)
	// Top is the directory the upward look stops at (the repository root,
	// symlinks resolved); a relative path given also stops at the current
	// directory. "" looks no higher than the current directory.
	Top string
	// Pass, when set, sees each file once as it is about to be sent, on
	// the walk's goroutine, and drops it by returning false: the caller's
	// own filter, without a goroutine and a channel hop of its own.
	Pass func(path string) bool
	// Untracked, when set, is a listing of the untracked files already
	// started for a directory (ListUntracked): the walk of a root that is
	// that directory uses it instead of listing them again.
	Untracked *Listing
}

// ignoreLevel is the .gitignore of one directory on the walk's path: its
// patterns are patterns[from:] until the walk leaves dir.
type ignoreLevel struct {
	dir  string
	from int
}

// Stream sends the candidate files under roots to out as they are found,
// so reading can start before the listing ends, then closes out. Each file
// is sent once. Inside a git work tree the files come from git's index and
// its list of untracked files that are not ignored; elsewhere from a walk
// that honours .gitignore files.
func Stream(roots []string, want Want, out chan<- string) []Problem {
	defer close(out)
	w := &walker{roots: roots, want: want, seen: map[string]bool{}, out: out, context: map[string]bool{}}
	if want.Referrers != nil {
		defer func() {
			var ctx []string
			for p := range w.context {
				ctx = append(ctx, p)
			}
			slices.Sort(ctx)
			want.Referrers(ctx)
		}()
	}
	for _, root := range roots {
		st, err := os.Lstat(root)
		if err != nil {
			w.problem(root, describe(err))
			continue
		}
		if st.Mode()&fs.ModeSymlink != 0 {
			if t, err := os.Stat(root); err == nil && t.IsDir() {
				// A root given on the command line is followed once, as
				// find -H does; nothing inside it is.
				st = t
			}
		}
		if !st.IsDir() {
			for _, c := range upwardFiles(root, want) {
				w.sendContext(c)
			}
			w.send(root)
			for _, c := range contextFiles(root, want.Neighbours) {
				w.send(c)
			}
			w.across(root)
			continue
		}
		// A root that git ignores as a whole lists nothing: walk it, as
		// the user named it.
		if w.gitListed(root) {
			continue
		}
		walkTree(w, root)
	}
	return w.probs
}

type walker struct {
	roots []string
	want  Want
	seen  map[string]bool
	dirs  map[string]bool // realDir's answers
	out   chan<- string
	probs []Problem
	// listings caches git's listing of a tree, for Across.
	listings map[string][]string
	// context are the files sent only for Upward and Across.
	context map[string]bool
	// unrecorded are files sent (sendOnce) but not yet in seen.
	unrecorded []string
}

func (w *walker) send(p string) {
	w.record()
	delete(w.context, p) // given or walked after all
	if w.firstSight(p) {
		w.pass(p)
	}
}

// sendOnce sends a path of git's index listing of a root when nothing was
// sent before it: the index names each path once, so it is recorded as
// seen only if something else is sent later (a map of 50,000 paths, grown
// step by step, costs more than reading a tenth of them).
func (w *walker) sendOnce(p string) {
	w.unrecorded = append(w.unrecorded, p)
	w.pass(p)
}

// record puts the paths sendOnce sent into seen, before another is sent.
func (w *walker) record() {
	if len(w.unrecorded) == 0 {
		return
	}
	for _, p := range w.unrecorded {
		w.seen[p] = true
	}
	w.unrecorded = nil
}

// firstSight records p as seen and reports whether it was not before, in
// one map operation (a scan sees every file once, 50,000 on a monorepo).
func (w *walker) firstSight(p string) bool {
	n := len(w.seen)
	w.seen[p] = true
	return len(w.seen) > n
}

func (w *walker) pass(p string) {
	if w.want.Pass == nil || w.want.Pass(p) {
		w.out <- p
	}
}

// sendContext sends a file read only for what it says about a file given
// (Upward, Across).
func (w *walker) sendContext(p string) {
	w.record()
	if w.firstSight(p) {
		w.context[p] = true
		w.pass(p)
	}
}

// across sends the files of the tree above a file given that
// want.Across asks for, from git's listing of that tree (tracked files and
// untracked ones git does not ignore), each once for the whole walk.
func (w *walker) across(given string) {
	if w.want.Across == nil {
		return
	}
	var siblings []string
	if ents, err := os.ReadDir(filepath.Dir(given)); err == nil {
		for _, e := range ents {
			if e.Type().IsRegular() {
				siblings = append(siblings, e.Name())
			}
		}
	}
	match := w.want.Across(given, siblings)
	if match == nil {
		return
	}
	tree := filepath.Dir(given)
	if above := Above(given, w.want.Top); len(above) > 0 {
		tree = above[len(above)-1]
	}
	if w.listings == nil {
		w.listings = map[string][]string{}
	}
	files, ok := w.listings[tree]
	if !ok {
		files = listTree(tree)
		w.listings[tree] = files
	}
	for _, p := range files {
		if !match(p) || !w.want.Reads(p) {
			continue
		}
		if st, err := os.Lstat(p); err == nil && st.Mode().IsRegular() {
			w.sendContext(p)
		}
	}
}

// listTree lists the regular files of a tree for Across: git's listing
// in a work tree, else a walk that skips what the walk skips and follows
// no link, bounded.
func listTree(tree string) []string {
	if files, _, ok := gitList(tree); ok {
		return files
	}
	var out []string
	_ = filepath.WalkDir(tree, func(p string, d fs.DirEntry, err error) error {
		if err != nil || len(out) > maxAcross {
			return filepath.SkipDir
		}
		if d.IsDir() {
			if p != tree && skipDirs[d.Name()] {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// maxAcross bounds the walk of listTree outside a git work tree.
const maxAcross = 200_000

func (w *walker) problem(p, msg string) { w.probs = append(w.probs, Problem{Path: p, Message: msg}) }

// link handles a symbolic link among the files: links inside the tree are
// scanned at their target; a link out of it is a notice.
func (w *walker) link(p string) {
	if target, err := filepath.EvalSymlinks(p); err != nil || !insideAny(w.roots, target) {
		w.probs = append(w.probs, Problem{Path: p, Notice: true, Message: "symbolic link leads outside the scanned tree; not followed"})
	}
}

// gitListed sends the candidates of root's git listing: the index's
// first, read while git lists the untracked files. It reports false when
// root is not in a git work tree, or git lists nothing under it (a root
// git ignores as a whole): the caller walks it, as the user named it.
func (w *walker) gitListed(root string) bool {
	// The index's listing starts first: the reading waits for it, not for
	// the untracked files.
	list := gitTracked(root)
	untracked := gitUntracked(root, w.want.Untracked)
	fast := beneathOK()
	send := w.send
	if len(w.seen) == 0 && len(w.unrecorded) == 0 {
		send = w.sendOnce
	}
	tracked, ok := list(func(e gitEntry) {
		if !w.want.Reads(e.path) {
			return
		}
		if fast && e.regular {
			// The reader opens it beneath the root refusing links, and
			// skips it when it is gone or no longer a regular file: no
			// lstat here.
			send(e.path)
			return
		}
		w.listed(root, e.path, send)
	})
	if !ok {
		untracked()
		return false
	}
	files, dirs, ok := untracked()
	switch {
	case !ok && tracked == 0:
		return false
	case !ok: // the untracked files, by a walk; what was sent is not sent again
		walkTree(w, root)
		return true
	case tracked+len(files)+len(dirs) == 0:
		return false
	}
	for _, p := range files {
		if w.want.Reads(p) {
			w.listed(root, p, w.send)
		}
	}
	for _, d := range dirs {
		walkTree(w, d)
	}
	return true
}

// listed sends a candidate of a git listing under root if it is a
// regular file in the work tree: a tracked path deleted since is skipped,
// one that became a symbolic link, or lies under a directory that did, is
// handled as the walk handles links.
func (w *walker) listed(root, p string, send func(string)) {
	if !w.realDir(root, filepath.Dir(p)) {
		w.link(p)
		return
	}
	st, err := os.Lstat(p)
	switch {
	case err != nil:
	case st.Mode()&fs.ModeSymlink != 0:
		w.link(p)
	case st.Mode().IsRegular():
		send(p)
	}
}

// realDir reports whether dir, under root, is reached from root through
// directories only, no symbolic link (each directory is looked at once).
func (w *walker) realDir(root, dir string) bool {
	if dir == filepath.Clean(root) || dir == "." || dir == filepath.Dir(dir) {
		return true
	}
	if ok, seen := w.dirs[dir]; seen {
		return ok
	}
	ok := false
	if st, err := os.Lstat(dir); err == nil && st.IsDir() {
		ok = w.realDir(root, filepath.Dir(dir))
	}
	if w.dirs == nil {
		w.dirs = map[string]bool{}
	}
	w.dirs[dir] = ok
	return ok
}

// walkTree walks root, honouring the .gitignore files in it with git's
// semantics: a deeper file's patterns come later and win, "!" re-includes.
func walkTree(w *walker, root string) {
	var levels []ignoreLevel
	var patterns []gitignore.Pattern
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			w.problem(p, describe(err))
			if d != nil && d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		for len(levels) > 0 && !within(levels[len(levels)-1].dir, p) {
			patterns = patterns[:levels[len(levels)-1].from]
			levels = levels[:len(levels)-1]
		}
		parts := pathParts(root, p)
		if p != root && len(patterns) > 0 && gitignore.NewMatcher(patterns).Match(parts, d.IsDir()) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if p != root && skipDirs[d.Name()] {
				return filepath.SkipDir
			}
			if ps := readIgnore(filepath.Join(p, ".gitignore"), parts); len(ps) > 0 {
				levels = append(levels, ignoreLevel{dir: p, from: len(patterns)})
				patterns = append(patterns, ps...)
			}
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			if w.want.Reads(p) {
				w.link(p)
			}
			return nil
		}
		if d.Type().IsRegular() && w.want.Reads(p) {
			w.send(p)
		}
		return nil
	})
	if err != nil {
		w.problem(root, describe(err))
	}
}

// pathParts is p relative to root as path elements; nil for root itself.
func pathParts(root, p string) []string {
	rel, err := filepath.Rel(root, p)
	if err != nil || rel == "." {
		return nil
	}
	return strings.Split(filepath.ToSlash(rel), "/")
}

// readIgnore reads the patterns of a .gitignore file, whose directory is
// domain. Only a regular file is read: a .gitignore that is a symbolic
// link may lead out of the tree.
func readIgnore(name string, domain []string) []gitignore.Pattern {
	st, err := os.Lstat(name)
	if err != nil || !st.Mode().IsRegular() {
		return nil
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return nil
	}
	var ps []gitignore.Pattern
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSuffix(line, "\r")
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		ps = append(ps, gitignore.ParsePattern(line, domain))
	}
	return ps
}

func within(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

func insideAny(roots []string, target string) bool {
	for _, r := range roots {
		rr, err := filepath.EvalSymlinks(r)
		if err != nil {
			continue
		}
		abs, err1 := filepath.Abs(rr)
		t, err2 := filepath.Abs(target)
		if err1 == nil && err2 == nil && within(abs, t) {
			return true
		}
	}
	return false
}

func describe(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such file or directory"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// OSFS reads the work tree for the scanner. It refuses paths outside its
// roots, symbolic links that lead outside them, and files over MaxSize.
type OSFS struct {
	roots   []string // absolute, symlinks resolved
	dirs    []*rootDir
	walked  sync.Map // name -> true: files the walk found (never links), without openat2
	maxSize int64
	// Sniff tells an oversized file the scan cares about from one it does
	// not (readbuf.TooLargeError.Mentions); it sees the file in chunks
	// that overlap by SniffWidth bytes. Nil: never.
	Sniff      func([]byte) bool
	SniffWidth int
}

// NewOSFS returns an FS for the trees at roots. Files in walked came from
// Walk, which never follows links, so they skip the link check.
func NewOSFS(roots, walked []string, maxSize int64) *OSFS {
	o := &OSFS{maxSize: maxSize}
	for _, r := range roots {
		if st, err := os.Stat(r); err == nil && st.IsDir() {
			o.dirs = append(o.dirs, &rootDir{prefix: filepath.Clean(r)})
		}
		if rr, err := filepath.EvalSymlinks(r); err == nil {
			if abs, err := filepath.Abs(rr); err == nil {
				if st, err := os.Stat(abs); err == nil && !st.IsDir() {
					abs = filepath.Dir(abs)
				}
				o.roots = append(o.roots, abs)
			}
		}
	}
	for _, w := range walked {
		o.MarkWalked(w)
	}
	return o
}

// MarkWalked records a file the walk found, for the fast read path
// without openat2 (a walked file skips the link check there). With openat2
// nothing is recorded: the kernel refuses any link on the way itself.
func (o *OSFS) MarkWalked(name string) {
	if !beneathOK() {
		o.walked.Store(name, true)
	}
}

func (o *OSFS) isWalked(name string) bool {
	_, ok := o.walked.Load(name)
	return ok
}

// ErrOutside is returned for a path that leaves the scanned trees.
var ErrOutside = errors.New("path leads outside the scanned tree")

func (o *OSFS) check(name string) error {
	if o.isWalked(name) {
		return nil
	}
	t, err := filepath.EvalSymlinks(name)
	if err != nil {
		return err
	}
	if o.inside(t) {
		return nil
	}
	return ErrOutside
}

// ReadFileBuf reads name into buf's storage (grown as needed) and returns
// the contents; the scanner reuses one buffer per worker. A walked file is
// opened and read without a stat: the size limit is a read limit.
func (o *OSFS) ReadFileBuf(name string, buf []byte) ([]byte, error) {
	return o.ReadFileGated(name, buf, readbuf.Gate{})
}

// ReadFileGated is ReadFileBuf holding a large walked file whole only
// when gate holds of a piece of it: a file of at least a piece that buf
// cannot hold is read through a fixed buffer first, and read whole (into
// new storage) from the first piece gate holds of; a file gate holds of no
// piece of is readbuf.ErrNotWanted. Other files are read whole, as
// ReadFileBuf reads them: the caller's own test decides. A zero gate reads
// every file whole.
func (o *OSFS) ReadFileGated(name string, buf []byte, gate readbuf.Gate) ([]byte, error) {
	limit := o.limit()
	if dirfd, rel, ok := o.beneath(name); ok {
		return o.readBeneath(dirfd, rel, name, limit, buf, gate)
	}
	if !o.isWalked(name) {
		data, err := o.ReadFile(name)
		return data, err
	}
	f, err := openNoWait(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	switch {
	case err != nil:
		return nil, err
	case !st.Mode().IsRegular(): // no longer what the walk saw
		return nil, &readbuf.SkippedError{}
	case gate.Holds != nil && st.Size() <= limit && inPieces(st.Size(), buf):
		return o.readPieces(f, name, st.Size(), limit, buf, gate)
	}
	data, err := readTo(f, buf[:0], limit)
	switch {
	case errors.Is(err, errOverLimit):
		st, serr := f.Stat()
		size := int64(len(data))
		if serr == nil {
			size = st.Size()
		}
		mentions := o.sniff(data) || o.streamSniff(f)
		return nil, &readbuf.TooLargeError{Size: size, Limit: o.maxSize, Mentions: mentions}
	case err != nil:
		return nil, err
	}
	return data, nil
}

// openNoWait opens a file for reading without waiting for a FIFO's
// writer (the caller refuses what is not a regular file).
func openNoWait(name string) (*os.File, error) {
	return os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}

// pieceSize is the least buffer a gated read holds a large file in, a
// piece at a time; it uses the caller's buffer when that is larger.
const pieceSize = 64 << 10

// pieces are the buffers of gated reads whose caller's buffer is smaller
// than a piece.
var pieces = sync.Pool{New: func() any { b := make([]byte, pieceSize); return &b }}

// inPieces reports whether a gated read holds a file of size in pieces:
// it is at least a piece, and buf cannot hold it whole (a file that fits
// costs no allocation read whole).
func inPieces(size int64, buf []byte) bool {
	return size >= pieceSize && size+1 > int64(cap(buf))
}

// readPieces reads the open regular file r (at its start) of the given
// size for ReadFileGated: through a fixed buffer, piece by piece, each
// piece starting gate.Overlap bytes before the end of the last, until
// gate holds of one; then whole, into new storage (continuing the first
// piece, or from the start again). Past limit bytes it is a
// TooLargeError, sniffed from the start.
func (o *OSFS) readPieces(r io.ReadSeeker, name string, size, limit int64, buf []byte, gate readbuf.Gate) ([]byte, error) {
	piece := buf[:cap(buf)]
	if cap(buf) < pieceSize {
		p := pieces.Get().(*[]byte)
		defer pieces.Put(p)
		piece = *p
	}
	overlap := min(max(gate.Overlap, 0), len(piece)/2)
	var start, total int64 // the file offset of piece[0]; bytes read
	held := 0              // bytes of the file in piece
	for {
		n, ended, err := readFull(r, piece[held:])
		held += n
		total += int64(n)
		if err != nil {
			return nil, err
		}
		if total > limit { // it grew since
			if _, err := r.Seek(0, io.SeekStart); err != nil {
				return nil, err
			}
			return nil, &readbuf.TooLargeError{Size: total, Limit: o.maxSize, Mentions: o.streamSniff(r)}
		}
		if gate.Holds(name, piece[:held]) {
			break
		}
		if ended {
			return nil, readbuf.ErrNotWanted
		}
		copy(piece, piece[held-overlap:held])
		start += int64(held - overlap)
		held = overlap
	}
	whole := make([]byte, 0, max(size, total)+1)
	if start == 0 {
		whole = append(whole, piece[:held]...)
	} else if _, err := r.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	data, err := readTo(r, whole, limit)
	if errors.Is(err, errOverLimit) { // it grew since
		mentions := o.sniff(data) || o.streamSniff(r)
		return nil, &readbuf.TooLargeError{Size: int64(len(data)), Limit: o.maxSize, Mentions: mentions}
	}
	return data, err
}

// readFull reads into b until it is full or the file ends (a read
// returns less than asked: regular files do only at their end).
func readFull[R io.Reader](r R, b []byte) (n int, ended bool, err error) {
	for n < len(b) {
		want := len(b) - n
		m, err := r.Read(b[n:])
		n += m
		switch {
		case errors.Is(err, io.EOF), err == nil && m < want:
			return n, true, nil
		case err != nil:
			return n, false, err
		}
	}
	return n, false, nil
}

// readFD reads the open file fd of the given size into buf (grown to
// size+1 when smaller, so one read returns it all and says it ended).
// Past limit bytes it stops with errOverLimit.
func readFD(fd int, size, limit int64, buf []byte) ([]byte, error) {
	if size+1 > int64(cap(buf)) && size < limit {
		buf = make([]byte, 0, size+1)
	}
	return readTo(fdReader(fd), buf[:0], limit)
}

// readTo appends what r holds to buf, growing it as needed, until the file
// ends: a short read ends it, as regular files return less than asked
// only at their end. Past limit bytes it stops with errOverLimit.
func readTo[R io.Reader](r R, buf []byte, limit int64) ([]byte, error) {
	for {
		if len(buf) == cap(buf) {
			// Double: a few large files would otherwise grow the buffer
			// in many small steps, each a copy.
			buf = slices.Grow(buf, max(64<<10, cap(buf)))
		}
		want := cap(buf) - len(buf)
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > limit {
			return buf, errOverLimit
		}
		switch {
		case errors.Is(err, io.EOF), err == nil && n < want:
			return buf, nil
		case err != nil:
			return nil, err
		}
	}
}

// rootDir is a directory given as a root, opened once for openat2.
type rootDir struct {
	prefix string // as given, cleaned
	once   sync.Once
	f      *os.File // keeps the descriptor open while the OSFS lives
	fd     int
	err    error
}

func (d *rootDir) open() (int, error) {
	d.once.Do(func() {
		d.f, d.err = os.Open(d.prefix)
		if d.err == nil {
			d.fd = int(d.f.Fd())
		}
	})
	return d.fd, d.err
}

// beneath is the open root a name is under, for openat2, and the name
// relative to it; ok is false without openat2 or such a root.
func (o *OSFS) beneath(name string) (dirfd int, rel string, ok bool) {
	if !beneathOK() {
		return -1, "", false
	}
	d, rel := o.rootOf(name)
	if d == nil {
		return -1, "", false
	}
	dirfd, err := d.open()
	return dirfd, rel, err == nil
}

// rootOf finds the root a walked name is under and the name relative to
// it.
func (o *OSFS) rootOf(name string) (*rootDir, string) {
	for _, d := range o.dirs {
		if d.prefix == "." {
			if !filepath.IsAbs(name) && name != ".." && !strings.HasPrefix(name, ".."+string(filepath.Separator)) {
				return d, name
			}
			continue
		}
		if rel, ok := strings.CutPrefix(name, d.prefix); ok && len(rel) > 1 && os.IsPathSeparator(rel[0]) {
			return d, rel[1:]
		}
	}
	return nil, ""
}

var (
	errLink       = errors.New("a symbolic link on the way")
	errGone       = errors.New("no longer there")
	errNotRegular = errors.New("not a regular file")
	errOverLimit  = errors.New("over the size limit")
)

// linkNotice is what a link out of the tree is told as.
const linkNotice = "symbolic link leads outside the scanned tree; not followed"

// readBeneath reads a walked file with openat2 beneath its root: what the
// listing named but the work tree now holds differently (deleted, a
// directory or FIFO, a link or under a linked directory) is a
// SkippedError, with a notice for a link that leads out of the tree.
func (o *OSFS) readBeneath(dirfd int, rel, name string, limit int64, buf []byte, gate readbuf.Gate) ([]byte, error) {
	fd, size, err := openBeneath(dirfd, rel)
	switch {
	case errors.Is(err, errLink):
		if t, err := filepath.EvalSymlinks(name); err == nil && o.inside(t) {
			return nil, &readbuf.SkippedError{}
		}
		return nil, &readbuf.SkippedError{Notice: linkNotice}
	case errors.Is(err, errGone), errors.Is(err, errNotRegular):
		return nil, &readbuf.SkippedError{}
	case err != nil:
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	defer closeFD(fd)
	return o.readOpen(fd, name, size, limit, buf, gate)
}

// readOpen reads the open regular file fd of the given size: into buf,
// or through ReadFileGated's pieces.
func (o *OSFS) readOpen(fd int, name string, size, limit int64, buf []byte, gate readbuf.Gate) ([]byte, error) {
	if size > limit {
		return nil, &readbuf.TooLargeError{Size: size, Limit: o.maxSize, Mentions: o.streamSniff(fdReader(fd))}
	}
	if gate.Holds != nil && inPieces(size, buf) {
		data, err := o.readPieces(fdReader(fd), name, size, limit, buf, gate)
		if err != nil && !errors.Is(err, readbuf.ErrNotWanted) && !errors.As(err, new(*readbuf.TooLargeError)) {
			return nil, &fs.PathError{Op: "read", Path: name, Err: err}
		}
		return data, err
	}
	data, err := readFD(fd, size, limit, buf)
	switch {
	case errors.Is(err, errOverLimit): // it grew since
		mentions := o.sniff(data) || o.streamSniff(fdReader(fd))
		return nil, &readbuf.TooLargeError{Size: int64(len(data)), Limit: o.maxSize, Mentions: mentions}
	case err != nil:
		return nil, &fs.PathError{Op: "read", Path: name, Err: err}
	}
	return data, nil
}

// inside reports whether an absolute or relative path is inside a root.
func (o *OSFS) inside(p string) bool {
	abs, err := filepath.Abs(p)
	if err != nil {
		return false
	}
	for _, r := range o.roots {
		if within(r, abs) {
			return true
		}
	}
	return false
}

// ReadFile reads a whole file. With openat2, a regular file under a root
// reached through no symbolic link is read without more checks; a name
// with a link on the way is followed when the link stays inside the
// trees.
func (o *OSFS) ReadFile(name string) ([]byte, error) {
	if data, done, err := o.readFileBeneath(name); done {
		return data, err
	}
	if err := o.check(name); err != nil {
		return nil, err
	}
	f, err := openNoWait(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, errNotRegularFile
	}
	if o.maxSize > 0 && st.Size() > o.maxSize {
		return nil, &readbuf.TooLargeError{Size: st.Size(), Limit: o.maxSize, Mentions: o.streamSniff(f)}
	}
	// One buffer of the file's size (and a byte to see it end): a
	// bytes.Buffer would grow it again for its 512-byte read margin.
	return readTo(f, make([]byte, 0, st.Size()+1), 1<<62)
}

// errNotRegularFile is ReadFile's error for what is not a regular file.
var errNotRegularFile = errors.New("not a regular file")

// readFileBeneath is ReadFile by openat2 beneath the name's root; done is
// false when ReadFile must read it the other way: no openat2, a name under
// no root as given, a symbolic link on the way (which may stay inside the
// trees), or an error opening it (ReadFile reports it).
func (o *OSFS) readFileBeneath(name string) (data []byte, done bool, err error) {
	dirfd, rel, ok := o.beneath(name)
	if !ok {
		return nil, false, nil
	}
	fd, size, err := openBeneath(dirfd, rel)
	var errno syscall.Errno
	switch {
	case errors.Is(err, errNotRegular):
		return nil, true, errNotRegularFile
	case errors.Is(err, errGone) && errors.As(err, &errno):
		// Not there, reached through directories only: no link could
		// lead elsewhere.
		return nil, true, &fs.PathError{Op: "open", Path: name, Err: errno}
	case err != nil:
		return nil, false, nil
	}
	defer closeFD(fd)
	data, err = o.readOpen(fd, name, size, o.limit(), nil, readbuf.Gate{})
	return data, true, err
}

// limit is the read limit: MaxSize, or none.
func (o *OSFS) limit() int64 {
	if o.maxSize <= 0 {
		return 1 << 62
	}
	return o.maxSize
}

func (o *OSFS) sniff(b []byte) bool { return o.Sniff != nil && o.Sniff(b) }

// streamSniff runs Sniff over a large file without holding it.
func (o *OSFS) streamSniff(r io.Reader) bool {
	if o.Sniff == nil {
		return false
	}
	buf := make([]byte, 256<<10)
	overlap := o.SniffWidth // a match may straddle two reads
	var chunk []byte
	for {
		n, err := r.Read(buf)
		chunk = append(chunk, buf[:n]...)
		if o.Sniff(chunk) {
			return true
		}
		if len(chunk) > overlap {
			chunk = append(chunk[:0], chunk[len(chunk)-overlap:]...)
		}
		if err != nil {
			return false
		}
	}
}

// ReadDir lists the names of the regular files of a directory, sorted.
// With openat2 a directory under a root reached through no symbolic link
// is listed without more checks.
func (o *OSFS) ReadDir(name string) ([]string, error) {
	if names, done, err := o.readDirBeneath(name); done {
		return names, err
	}
	if err := o.check(name); err != nil {
		return nil, err
	}
	ents, err := os.ReadDir(name)
	if err != nil {
		return nil, err
	}
	return regularNames(ents), nil
}

// readDirBeneath is ReadDir by openat2 beneath the name's root; done is
// false when ReadDir must list it the other way (no openat2, a name under
// no root as given, a symbolic link on the way, or an error: ReadDir
// reports it).
func (o *OSFS) readDirBeneath(name string) (names []string, done bool, err error) {
	dirfd, rel, ok := o.beneath(name)
	if !ok {
		return nil, false, nil
	}
	fd, err := openDirBeneath(dirfd, rel)
	if err != nil {
		return nil, false, nil
	}
	f := os.NewFile(uintptr(fd), name)
	defer f.Close()
	ents, err := f.ReadDir(-1)
	if err != nil {
		return nil, true, err
	}
	names = regularNames(ents)
	slices.Sort(names) // os.ReadDir's order
	return names, true, nil
}

// regularNames are the names of the regular files among ents.
func regularNames(ents []fs.DirEntry) []string {
	var out []string
	for _, e := range ents {
		if e.Type().IsRegular() {
			out = append(out, e.Name())
		}
	}
	return out
}

// contextFiles are the files beside a file named on the command line that
// give it meaning (the compose file an .env feeds, the Chart.yaml that makes
// a values file the weaviate chart's): the caller's Neighbours choose them
// among the regular files of its directory. A pre-commit hook names only
// the files that changed.
func contextFiles(file string, neighbours func(string, []string) []string) []string {
	if neighbours == nil {
		return nil
	}
	dir := filepath.Dir(file)
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var names []string
	for _, e := range ents {
		if e.Type().IsRegular() {
			names = append(names, e.Name())
		}
	}
	var out []string
	for _, n := range neighbours(file, names) {
		out = append(out, filepath.Join(dir, n))
	}
	return out
}

// Above lists the directories above a file given that the upward look
// reads, nearest first: the parents of the file's directory up to top,
// never above the current directory for a relative path. A directory
// given is the tree itself: nothing above it is read. The file system the
// scan reads through takes the last one as a root too.
func Above(given, top string) []string {
	dir := filepath.Dir(given)
	var absTop string
	if top != "" {
		if t, err := filepath.Abs(top); err == nil {
			absTop = t
			if r, err := filepath.EvalSymlinks(t); err == nil {
				absTop = r
			}
		}
	}
	var out []string
	for i := 0; i < 64; i++ {
		if dir == "." || dir == string(filepath.Separator) || dir == filepath.VolumeName(dir)+string(filepath.Separator) {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir || parent == ".." || strings.HasPrefix(parent, ".."+string(filepath.Separator)) {
			break
		}
		if absTop != "" || filepath.IsAbs(parent) {
			abs, err := filepath.Abs(parent)
			if r, rerr := filepath.EvalSymlinks(abs); rerr == nil {
				abs = r
			}
			if err != nil || absTop == "" || !within(absTop, abs) {
				break
			}
		}
		out = append(out, parent)
		dir = parent
	}
	return out
}

// upwardFiles are the files of the directories above a file given that
// want.Upward chooses: regular files only (a symbolic link is never
// followed), read in place, never a walk of those directories.
func upwardFiles(given string, want Want) []string {
	if want.Upward == nil {
		return nil
	}
	var out []string
	for _, dir := range Above(given, want.Top) {
		ents, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		var names []string
		for _, e := range ents {
			if e.Type().IsRegular() {
				names = append(names, e.Name())
			}
		}
		for _, n := range want.Upward(given, dir, names) {
			out = append(out, filepath.Join(dir, n))
		}
	}
	return out
}
