package discover

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// gitTracked lists the files under root that git's index holds, with
// their modes: the listing costs a fraction of a directory walk on a large
// repository. ok is false when root is not inside a git work tree (or git
// cannot run); the caller walks.
func gitTracked(root string) (files []gitEntry, ok bool) {
	cmd := exec.Command("git", "-c", "core.fsmonitor=false", "-C", root, "ls-files", "-z", "--stage")
	cmd.Env = gitEnv()
	out, err := cmd.Output()
	if err != nil {
		return nil, false
	}
	last := ""
	for _, line := range bytes.Split(out, []byte{0}) {
		// <mode> SP <object> SP <stage> TAB <path>
		tab := bytes.IndexByte(line, '\t')
		if tab < 0 {
			continue
		}
		r := string(line[tab+1:])
		if r == last || skippedSegment(r) { // a conflict lists a path once per stage
			continue
		}
		last = r
		mode := string(line[:bytes.IndexByte(line, ' ')])
		files = append(files, gitEntry{path: filepath.Join(root, filepath.FromSlash(r)), regular: mode == "100644" || mode == "100755"})
	}
	return files, true
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
// the work tree, so it runs while the tracked files are read.
// Directories in it (nested repositories) come back in dirs, for the
// caller to walk.
func gitUntracked(root string) (wait func() (files, dirs []string, ok bool)) {
	cmd := exec.Command("git", "-c", "core.fsmonitor=false", "-C", root, "ls-files", "-z", "--others", "--exclude-standard")
	cmd.Env = gitEnv()
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Start(); err != nil {
		return func() ([]string, []string, bool) { return nil, nil, false }
	}
	return func() (files, dirs []string, ok bool) {
		if err := cmd.Wait(); err != nil {
			return nil, nil, false
		}
		files, dirs = splitListing(root, out.Bytes())
		return files, dirs, true
	}
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
	for _, rel := range bytes.Split(out, []byte{0}) {
		if len(rel) == 0 {
			continue
		}
		r := string(rel)
		if strings.HasSuffix(r, "/") { // an untracked nested repository
			dirs = append(dirs, filepath.Join(root, filepath.FromSlash(r)))
			continue
		}
		if skippedSegment(r) {
			continue
		}
		files = append(files, filepath.Join(root, filepath.FromSlash(r)))
	}
	return files, dirs
}
