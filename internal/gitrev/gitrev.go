// Package gitrev reads files of a git revision for the scanner, with git
// itself: one `git cat-file --batch` process for every file, and one
// `git diff` to learn what changed. Git runs with hooks, fsmonitor, external
// diff and textconv off: nothing from the repository is executed.
package gitrev

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
)

// safe are the options that keep git from running repository-controlled
// programs.
var safe = []string{"-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null", "-c", "diff.external=", "-c", "core.pager=cat"}

// Repo is a git work tree.
type Repo struct {
	Top    string // absolute path of the work tree
	Prefix string // the current directory inside it, slash-separated, "" or ending in "/"
	// Head is the commit HEAD names when the repository was opened, ""
	// in a repository with no commit yet.
	Head string

	mu      sync.Mutex
	adopted <-chan *Batch // being started before the repository was opened (Adopt)
}

// Open finds the repository containing dir; ok is false outside one. One
// git process answers where the work tree is and which commit HEAD is.
func Open(dir string) (*Repo, bool) {
	out, err := run(dir, "rev-parse", "--show-toplevel", "--show-prefix", "HEAD^{commit}")
	withHead := err == nil
	if !withHead { // no commit yet, or not a repository
		out, err = run(dir, "rev-parse", "--show-toplevel", "--show-prefix")
	}
	if err != nil {
		return nil, false
	}
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(lines) < 1 || lines[0] == "" {
		return nil, false
	}
	r := &Repo{Top: lines[0]}
	if len(lines) > 1 {
		r.Prefix = lines[1]
	}
	if withHead && len(lines) > 2 {
		r.Head = lines[2]
	}
	return r, true
}

func run(dir string, args ...string) ([]byte, error) {
	cmd := exec.Command("git", append(append([]string(nil), safe...), args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_OPTIONAL_LOCKS=0", "GIT_TERMINAL_PROMPT=0", "GIT_EXTERNAL_DIFF=")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return nil, fmt.Errorf("git %s: %s", args[0], msg)
	}
	return out, nil
}

// Git runs a git command in the work tree.
func (r *Repo) Git(args ...string) ([]byte, error) { return run(r.Top, args...) }

// Resolve checks that ref names a commit and returns its full hash. A ref
// starting with "-" is refused: it would be read as an option.
func (r *Repo) Resolve(ref string) (string, error) {
	if ref == "" || strings.HasPrefix(ref, "-") {
		return "", fmt.Errorf("invalid revision %q", ref)
	}
	if ref == "HEAD" && r.Head != "" {
		return r.Head, nil
	}
	out, err := r.Git("rev-parse", "--verify", "--quiet", "--end-of-options", ref+"^{commit}")
	if err != nil {
		return "", fmt.Errorf("unknown revision %q", ref)
	}
	return strings.TrimSpace(string(out)), nil
}

// Shallow reports whether the repository is a shallow clone (actions/checkout
// makes one by default): commits before its boundary are not there.
func (r *Repo) Shallow() bool {
	out, err := r.Git("rev-parse", "--is-shallow-repository")
	return err == nil && strings.TrimSpace(string(out)) == "true"
}

// MergeBase is the merge base of a and b.
func (r *Repo) MergeBase(a, b string) (string, error) {
	if strings.HasPrefix(a, "-") || strings.HasPrefix(b, "-") {
		return "", fmt.Errorf("invalid revision")
	}
	out, err := r.Git("merge-base", "--end-of-options", a, b)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

// Status of a path between the base and the work tree (or index).
type Status byte

// Statuses.
const (
	Added    Status = 'A'
	Deleted  Status = 'D'
	Modified Status = 'M'
	Renamed  Status = 'R'
)

// Change is one changed path, relative to the repository top.
type Change struct {
	Status  Status
	Path    string // now
	OldPath string // at the base (differs for renames)
}

// Changes lists what changed between commit and the work tree (staged:
// the index), renames detected, plus untracked files as added. untracked,
// when not nil, lists those (relative to the top) in place of a git
// process of Changes' own: a caller that lists them anyway shares the
// walk of the work tree.
func (r *Repo) Changes(commit string, staged bool, untracked func() ([]string, error)) ([]Change, error) {
	args := []string{"diff", "--no-ext-diff", "--no-textconv", "--name-status", "-z", "-M"}
	if staged {
		args = append(args, "--cached")
	}
	out, err := r.Git(append(args, commit, "--")...)
	if err != nil {
		return nil, err
	}
	f := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
	var cs []Change
	for i := 0; i < len(f); {
		st := f[i]
		if st == "" {
			break
		}
		switch st[0] {
		case 'R', 'C':
			if i+2 >= len(f) {
				return nil, fmt.Errorf("git diff: malformed output")
			}
			if st[0] == 'R' {
				cs = append(cs, Change{Status: Renamed, OldPath: f[i+1], Path: f[i+2]})
			} else {
				cs = append(cs, Change{Status: Added, Path: f[i+2]})
			}
			i += 3
		default:
			if i+1 >= len(f) {
				return nil, fmt.Errorf("git diff: malformed output")
			}
			c := Change{Status: Status(st[0]), Path: f[i+1], OldPath: f[i+1]}
			switch c.Status {
			case 'T':
				c.Status = Modified
			case Added:
				c.OldPath = "" // nothing at the base
			}
			cs = append(cs, c)
			i += 2
		}
	}
	if !staged {
		if untracked == nil {
			untracked = func() ([]string, error) {
				out, err := r.Git("ls-files", "--others", "--exclude-standard", "-z")
				return strings.Split(string(out), "\x00"), err
			}
		}
		paths, err := untracked()
		if err != nil {
			return nil, err
		}
		for _, p := range paths {
			if p != "" {
				cs = append(cs, Change{Status: Added, Path: p})
			}
		}
	}
	return cs, nil
}

// ReadIndex reads the staged content of a repository path (the ":path"
// blob of the index).
func (b *Batch) ReadIndex(path string) ([]byte, error) { return b.Read("", path) }

// Trailers returns the values of a commit trailer in the commits of
// base..head.
func (r *Repo) Trailers(base, head, key string) ([]string, error) {
	if head == "HEAD" && base == r.Head && base != "" {
		return nil, nil // no commit since the base
	}
	out, err := r.Git("log", "--format=%(trailers:key="+key+",valueonly,separator=%x00)%x00", base+".."+head, "--")
	if err != nil {
		return nil, err
	}
	var vals []string
	for _, v := range strings.Split(string(out), "\x00") {
		if v = strings.TrimSpace(v); v != "" {
			vals = append(vals, v)
		}
	}
	return vals, nil
}

// Batch reads blobs through one `git cat-file --batch` process. Requests
// are written as they come and answered in order by a goroutine that
// reads the process's output, so that many reads (the scan's workers, a
// prefetch) are in flight at once instead of each waiting for the one
// before.
type Batch struct {
	mu     sync.Mutex // orders the requests and their queue
	closed bool
	cmd    *exec.Cmd
	in     io.WriteCloser
	queue  chan *Pending // written, not yet answered
	done   chan struct{} // the answering goroutine has ended
}

// Pending is a read whose answer may not have come yet.
type Pending struct {
	commit, path string
	ready        chan struct{}
	data         []byte
	err          error
}

// Wait returns the read's answer.
func (p *Pending) Wait() ([]byte, error) {
	<-p.ready
	return p.data, p.err
}

// NewBatch starts the reader, or returns the one Adopt gave the
// repository (once), when it could start.
func (r *Repo) NewBatch() (*Batch, error) {
	r.mu.Lock()
	adopted := r.adopted
	r.adopted = nil
	r.mu.Unlock()
	if adopted != nil {
		if b := <-adopted; b != nil {
			return b, nil
		}
	}
	return StartBatch(r.Top)
}

// Adopt gives the repository a reader being started (StartBatch in the
// directory it was opened from; nil on the channel when it could not
// start), for the next NewBatch: its process then starts while the
// repository is being found, not after, and nothing waits for it before
// a read does.
func (r *Repo) Adopt(b <-chan *Batch) {
	r.mu.Lock()
	old := r.adopted
	r.adopted = b
	r.mu.Unlock()
	CloseWhenStarted(old)
}

// CloseAdopted ends the adopted reader when no NewBatch took it.
func (r *Repo) CloseAdopted() { r.Adopt(nil) }

// CloseWhenStarted ends the reader being started on b once it has
// started, without waiting for that (nil: none).
func CloseWhenStarted(b <-chan *Batch) {
	if b == nil {
		return
	}
	go func() {
		if b := <-b; b != nil {
			b.Close()
		}
	}()
}

// StartBatch starts a reader in dir: a directory of the work tree, where
// git finds the repository as it does from the top, and reads each
// "REV:path" relative to the top all the same.
func StartBatch(dir string) (*Batch, error) {
	cmd := exec.Command("git", append(append([]string(nil), safe...), "cat-file", "--batch")...)
	cmd.Dir = dir
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start git cat-file: %w", err)
	}
	b := &Batch{cmd: cmd, in: in, queue: make(chan *Pending, 256), done: make(chan struct{})}
	go b.answer(bufio.NewReaderSize(out, 64<<10))
	return b, nil
}

// answer reads the answers in the order of the requests. After a failure
// of the stream itself (git gone, output it cannot read) every later read
// fails with it: the answers can no longer be told apart.
func (b *Batch) answer(out *bufio.Reader) {
	defer close(b.done)
	var broken error
	for p := range b.queue {
		if broken != nil {
			p.err = broken
		} else {
			p.data, p.err, broken = readAnswer(out, p.commit, p.path)
		}
		close(p.ready)
	}
}

// Read returns the blob at commit:path (path relative to the top), or an
// error wrapping fs.ErrNotExist.
func (b *Batch) Read(commit, path string) ([]byte, error) { return b.Start(commit, path).Wait() }

// Start asks for the blob at commit:path and returns at once; Wait on the
// result gives what Read would.
func (b *Batch) Start(commit, path string) *Pending {
	p := &Pending{commit: commit, path: path, ready: make(chan struct{})}
	spec := commit + ":" + path
	if strings.ContainsAny(path, "\n\r") {
		// cat-file --batch reads one name a line (and drops a carriage
		// return before the newline): a path that holds a newline or a
		// carriage return (legal file names) is asked for by its object
		// ID, which rev-parse finds from the path given as an argument.
		// Answering "not there" instead would make the file look new in
		// the change and pass its upgrade unchecked.
		oid, err := run(b.cmd.Dir, "rev-parse", "--verify", "--quiet", "--end-of-options", spec)
		if err != nil {
			p.err = fmt.Errorf("%s at %.12s: %w", path, commit, fs.ErrNotExist)
			close(p.ready)
			return p
		}
		spec = strings.TrimSpace(string(oid))
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		p.err = errors.New("git cat-file: closed")
		close(p.ready)
		return p
	}
	if _, err := fmt.Fprintf(b.in, "%s\n", spec); err != nil {
		p.err = err
		close(p.ready)
		return p
	}
	b.queue <- p
	return p
}

// readAnswer reads one answer; broken is set when the stream cannot be
// read on.
func readAnswer(out *bufio.Reader, commit, path string) (data []byte, err, broken error) {
	header, err := out.ReadString('\n')
	if err != nil {
		err = fmt.Errorf("git cat-file: %w", err)
		return nil, err, err
	}
	// "<object> missing": the object name is echoed as asked, so it may
	// hold spaces (a path with a space).
	if strings.HasSuffix(header, " missing\n") || strings.HasSuffix(header, " ambiguous\n") {
		return nil, fmt.Errorf("%s at %.12s: %w", path, commit, fs.ErrNotExist), nil
	}
	f := strings.Fields(header)
	if len(f) != 3 {
		err = fmt.Errorf("git cat-file: unexpected %q", header)
		return nil, err, err
	}
	size, err := strconv.Atoi(f[2])
	if err != nil {
		err = fmt.Errorf("git cat-file: unexpected %q", header)
		return nil, err, err
	}
	data = make([]byte, size+1)
	if _, err := io.ReadFull(out, data); err != nil {
		err = fmt.Errorf("git cat-file: %w", err)
		return nil, err, err
	}
	if f[1] != "blob" {
		return nil, fmt.Errorf("%s is a %s: %w", path, f[1], fs.ErrNotExist), nil
	}
	return data[:size], nil, nil
}

// Close stops the reader: the reads asked for are answered first.
func (b *Batch) Close() error {
	b.mu.Lock()
	if !b.closed {
		b.closed = true
		b.in.Close()
		close(b.queue)
	}
	b.mu.Unlock()
	<-b.done
	return b.cmd.Wait()
}
