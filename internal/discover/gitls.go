package discover

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// gitList lists the files under root as git sees them: the tracked files
// from the index and the untracked ones that git's own ignore rules
// (.gitignore at every level, .git/info/exclude, core.excludesFile) do not
// ignore. Listing from the index costs a fraction of a directory walk on a
// large repository, and git's ignore semantics are exact. ok is false when
// root is not inside a git work tree (or git cannot run); the caller walks.
//
// Directories in the listing (submodules, nested repositories) come back
// in dirs, for the caller to walk.
func gitList(root string) (files, dirs []string, ok bool) {
	cmd := exec.Command("git", "-c", "core.fsmonitor=false", "-C", root,
		"ls-files", "-z", "--cached", "--others", "--exclude-standard", "--deduplicate")
	cmd.Env = gitEnv()
	out, err := cmd.Output()
	if err != nil {
		return nil, nil, false
	}
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
	return files, dirs, true
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
