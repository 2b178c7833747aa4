package discover

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// gitTracked starts listing the files under root that git's index holds,
// with their modes; list gives them to each as git writes them: the
// listing costs a fraction of a directory walk on a large repository, and
// reading starts before it ends. list returns how many it listed; ok is
// false when root is not inside a git work tree (or git cannot run, or
// fails having listed some: the caller walks, sending each file once).
func gitTracked(root string) (list func(each func(gitEntry)) (n int, ok bool)) {
	cmd := exec.Command("git", "-c", "core.fsmonitor=false", "-C", root, "ls-files", "-z", "--stage")
	cmd.Env = gitEnv()
	out, err := cmd.StdoutPipe()
	if err == nil {
		err = cmd.Start()
	}
	if err != nil {
		return func(func(gitEntry)) (int, bool) { return 0, false }
	}
	return func(each func(gitEntry)) (n int, ok bool) {
		prefix := under(root)
		r := bufio.NewReaderSize(out, listBuf)
		var last, long []byte
		for {
			line, err := r.ReadSlice(0)
			if errors.Is(err, bufio.ErrBufferFull) { // a path longer than the buffer
				long = append(long[:0], line...)
				for errors.Is(err, bufio.ErrBufferFull) {
					line, err = r.ReadSlice(0)
					long = append(long, line...)
				}
				line = long
			}
			// <mode> SP <object> SP <stage> TAB <path> NUL
			line = bytes.TrimSuffix(line, []byte{0})
			if tab := bytes.IndexByte(line, '\t'); tab >= 0 {
				rel := line[tab+1:]
				if !bytes.Equal(rel, last) { // a conflict lists a path once per stage
					last = append(last[:0], rel...)
					p := filepath.FromSlash(prefix + string(rel))
					if !skippedSegment(filepath.ToSlash(p[len(prefix):])) {
						mode := line[:bytes.IndexByte(line, ' ')]
						n++
						each(gitEntry{path: p, regular: string(mode) == "100644" || string(mode) == "100755"})
					}
				}
			}
			if err != nil {
				break
			}
		}
		if err := cmd.Wait(); err != nil {
			return n, false
		}
		return n, true
	}
}

// listBuf is the size of the buffer git's listing is read through.
var listBuf = 64 << 10

// under is what the paths under root begin with: git's paths (relative,
// clean) joined to it as filepath.Join joins them, in one allocation.
func under(root string) string {
	r := filepath.Clean(root)
	switch {
	case r == ".":
		return ""
	case os.IsPathSeparator(r[len(r)-1]):
		return r
	}
	return r + string(filepath.Separator)
}

// gitEntry is a path of git's index; regular when the index holds a
// regular file there (the work tree may hold something else since).
type gitEntry struct {
	path    string
	regular bool
}

// gitUntracked starts listing the untracked files under root that git's
// own ignore rules (.gitignore at every level, .git/info/exclude,
// core.excludesFile) do not ignore; wait returns them. The listing walks
// the work tree, so it runs while the tracked files are read; pre, when
// it lists root already (Want.Untracked), is used instead of a second
// walk. Directories in it (nested repositories) come back in dirs, for
// the caller to walk.
func gitUntracked(root string, pre *Listing) (wait func() (files, dirs []string, ok bool)) {
	l := pre
	if l == nil || l.key != dirKey(root) {
		l = ListUntracked(root)
	}
	return func() (files, dirs []string, ok bool) {
		<-l.done
		if l.err != nil {
			return nil, nil, false
		}
		files, dirs = splitListing(root, l.out)
		return files, dirs, true
	}
}

// A Listing is one run of git's list of the untracked files of a
// directory that its ignore rules do not ignore (git ls-files --others
// --exclude-standard), started at once: a walk of the work tree, which
// a run makes once and shares (its walk and its comparison with a base
// revision both need it).
type Listing struct {
	key  string
	done chan struct{}
	out  []byte
	err  error
}

// ListUntracked starts the listing of dir.
func ListUntracked(dir string) *Listing {
	l := &Listing{key: dirKey(dir), done: make(chan struct{})}
	go func() {
		defer close(l.done)
		cmd := exec.Command("git", "-c", "core.fsmonitor=false", "-C", dir, "ls-files", "-z", "--others", "--exclude-standard")
		cmd.Env = gitEnv()
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		l.out, l.err = cmd.Output()
		if l.err != nil {
			if msg := strings.TrimSpace(stderr.String()); msg != "" {
				l.err = fmt.Errorf("git ls-files: %s", msg)
			} else {
				l.err = fmt.Errorf("git ls-files: %w", l.err)
			}
		}
	}()
	return l
}

// Paths waits for the listing and returns its paths, relative to the
// directory with forward slashes (a nested repository as its directory,
// with a trailing slash).
func (l *Listing) Paths() ([]string, error) {
	<-l.done
	if l.err != nil {
		return nil, l.err
	}
	var rel []string
	for _, p := range bytes.Split(l.out, []byte{0}) {
		if len(p) > 0 {
			rel = append(rel, string(p))
		}
	}
	return rel, nil
}

// dirKey is a directory's absolute form, symlinks resolved: what two
// spellings of one directory share.
func dirKey(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return dir
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		return r
	}
	return abs
}

// gitEnv is the environment for git: the caller's, without variables that
// would point git at another repository than the one the path is in.
func gitEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		switch {
		case strings.HasPrefix(kv, "GIT_DIR="), strings.HasPrefix(kv, "GIT_WORK_TREE="):
			continue
		}
		env = append(env, kv)
	}
	return env
}

// skippedSegment reports whether a slash-separated path goes through a
// directory the walk skips (vendor, node_modules, ...).
func skippedSegment(rel string) bool {
	for {
		i := strings.IndexByte(rel, '/')
		if i < 0 {
			return false
		}
		if skipDirs[rel[:i]] {
			return true
		}
		rel = rel[i+1:]
	}
}

// gitList lists the files under root as git sees them, in one git
// process: the tracked files and the untracked ones git's ignore rules do
// not ignore; untracked nested repositories come back in dirs. ok is false
// when root is not inside a git work tree (or git cannot run).
func gitList(root string) (files, dirs []string, ok bool) {
	cmd := exec.Command("git", "-c", "core.fsmonitor=false", "-C", root,
		"ls-files", "-z", "--cached", "--others", "--exclude-standard", "--deduplicate")
	cmd.Env = gitEnv()
	out, err := cmd.Output()
	if err != nil {
		return nil, nil, false
	}
	files, dirs = splitListing(root, out)
	return files, dirs, true
}

// splitListing turns git's NUL-separated listing of paths under root into
// files and (trailing slash: nested repositories) directories, without
// what goes through a directory the walk skips.
func splitListing(root string, out []byte) (files, dirs []string) {
	prefix := under(root)
	for len(out) > 0 {
		rel := out
		if i := bytes.IndexByte(out, 0); i >= 0 {
			rel, out = out[:i], out[i+1:]
		} else {
			out = nil
		}
		if len(rel) == 0 {
			continue
		}
		if rel[len(rel)-1] == '/' { // an untracked nested repository
			dirs = append(dirs, filepath.Join(root, filepath.FromSlash(string(rel))))
			continue
		}
		p := filepath.FromSlash(prefix + string(rel))
		if !skippedSegment(filepath.ToSlash(p[len(prefix):])) {
			files = append(files, p)
		}
	}
	return files, dirs
}
