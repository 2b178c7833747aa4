// Package cli is wvlint's command line: argument parsing, the subcommands,
// and exit codes. main calls Run; tests call it in-process.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/wvlint/wvlint/internal/buildinfo"
	"github.com/wvlint/wvlint/internal/config"
	"github.com/wvlint/wvlint/internal/format"
)

// Exit codes are an API: scripts and CI depend on them.
const (
	ExitOK       = 0 // nothing at or above the failure threshold
	ExitFindings = 1 // findings at or above --fail-on
	ExitInput    = 2 // usage error, or input that could not be read or parsed
	ExitInternal = 3 // wvlint itself failed
)

// env is what a command may touch: its streams, environment and working
// directory.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	dir            string // the working directory
}

// usageError is a command-line mistake: exit 2 with the message.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// Run runs wvlint with args (without the program name) and returns the exit
// code. A panic is turned into exit 3 with a short message, never a trace.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "wvlint: internal error: %v\nplease report it with the command you ran\n", r)
			code = ExitInternal
		}
	}()
	dir, err := os.Getwd()
	if err != nil {
		fmt.Fprintf(stderr, "wvlint: internal error: %v\n", err)
		return ExitInternal
	}
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv, dir: dir}
	code, err = dispatch(e, args)
	if err != nil {
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintf(stderr, "wvlint: %s\nrun 'wvlint help' for usage\n", safeMultiline(ue.msg))
			return ExitInput
		}
		fmt.Fprintf(stderr, "wvlint: %s\n", format.SafeText(err.Error()))
		if code == ExitOK {
			code = ExitInput
		}
	}
	return code
}

const usage = `wvlint keeps Weaviate upgrades safe.

Usage:
  wvlint [flags] [PATH...]                    check the Weaviate upgrades the files make
%FLAGS%  wvlint inventory [-f text|json] [-v] [--config FILE] [PATH...]
                                              list every Weaviate version the files pin
                                              (-v: also the near misses, and what would tie them)
  wvlint bump [--to VERSION] [--plan] [--diff] [-f text|json] [PATH...]
                                              move each deployment one rung up its ladder
  wvlint plan FROM TO [--platform docker|kubernetes] [--nodes N] [-f text|json]
                                              the safe upgrade (or downgrade) path
  wvlint preflight URL [--to VERSION] [--nodes N | PATH...] [--backend B | --backup B/ID]
                   [--backup-max-age 24h] [--wait 5m] [-f text|json|github]
                                              check the running cluster before an upgrade step
                                              (PATH: the files that say how many nodes it has)
                                              (API key: $WEAVIATE_API_KEY or --api-key-file)
  wvlint releases [--minor 1.27] [-f text|json]
                                              what the release catalog knows
  wvlint releases update                      refresh the catalog from GitHub
  wvlint rules [-f text|json]                 list every rule
  wvlint explain RULE                         a rule's documentation
  wvlint version                              print wvlint's version

Exit codes: 0 fine, 1 findings at or above --fail-on, 2 usage or input error,
3 internal failure.
`

func dispatch(e *env, args []string) (int, error) {
	if len(args) == 0 {
		return runLint(e, args)
	}
	switch args[0] {
	case "inventory":
		return runInventory(e, args[1:])
	case "plan":
		return runPlan(e, args[1:])
	case "bump":
		return runBump(e, args[1:])
	case "preflight":
		return runPreflight(e, args[1:])
	case "releases":
		return runReleases(e, args[1:])
	case "rules":
		return runRules(e, args[1:])
	case "explain":
		return runExplain(e, args[1:])
	case "version", "--version", "-version":
		fmt.Fprintf(e.stdout, "wvlint %s\n", Version())
		return ExitOK, nil
	case "help", "-h", "-help", "--help":
		fmt.Fprint(e.stdout, usageText())
		return ExitOK, nil
	}
	return runLint(e, args)
}

// usageText is the help: the lint flags come from the flag set itself.
func usageText() string { return strings.Replace(usage, "%FLAGS%", lintFlagHelp(), 1) }

// flagArgs name the value each lint flag takes, for the help.
var flagArgs = map[string]string{
	"f": "FORMAT", "o": "FILE", "fail-on": "SEV", "base": "REF", "color": "WHEN", "max-file-size": "BYTES",
	"config": "FILE", "category": "C", "baseline": "FILE", "write-baseline": "FILE", "from": "VERSION",
	"backup": "B/ID", "releases": "FILE",
}

func lintFlagHelp() string {
	fs, _ := lintFlagSet(&lintFlags{set: map[string]bool{}})
	var b strings.Builder
	fs.VisitAll(func(fl *flag.Flag) {
		name := "--" + fl.Name
		if len(fl.Name) == 1 {
			name = "-" + fl.Name
		}
		if arg := flagArgs[fl.Name]; arg != "" {
			name += " " + arg
		}
		fmt.Fprintf(&b, "      %-22s %s\n", name, fl.Usage)
	})
	return b.String()
}

// Version is wvlint's version: the one a release stamped, else the module
// version (see package buildinfo).
func Version() string { return buildinfo.Version() }

// parse parses flags that may come before or after positional arguments,
// as users type them ("wvlint inventory ./deploy -f json").
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, usagef("%s", flagUsage(fs))
			}
			return nil, usagef("%v", err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// safeMultiline escapes every line of a message on its own (a usage error
// may list IDs on several lines).
func safeMultiline(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = format.SafeText(l)
	}
	return strings.Join(lines, "\n")
}

// pathArgs are the PATH arguments as wvlint reads them: "." when there are
// none, and Go's "./..." and "dir/..." (which Go users type) mean "." and
// "dir": wvlint always walks a directory recursively.
func pathArgs(dir string, paths []string) []string {
	if len(paths) == 0 {
		return []string{"."}
	}
	out := make([]string, len(paths))
	for i, p := range paths {
		switch {
		case p == "...":
			p = "."
		case strings.HasSuffix(p, "/...") || strings.HasSuffix(p, string(filepath.Separator)+"..."):
			if p = p[:len(p)-4]; p == "" {
				p = "/"
			}
		}
		// ./charts/values.yaml is charts/values.yaml, and so is an
		// absolute path below the current directory (as editors and hooks
		// pass it): the files found from it are then named the same way
		// as the scripts, helmfiles and modules that name it.
		p = filepath.Clean(p)
		if filepath.IsAbs(p) && dir != "" {
			if rel, err := filepath.Rel(dir, p); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				p = rel
			}
		}
		out[i] = p
	}
	return out
}

func flagUsage(fs *flag.FlagSet) string {
	var b strings.Builder
	fmt.Fprintf(&b, "usage of %s:\n", fs.Name())
	fs.SetOutput(&b)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
	return b.String()
}

func checkFormat(f string, allowed ...string) error {
	for _, a := range allowed {
		if f == a {
			return nil
		}
	}
	return usagef("unknown format %q (want %s)", f, strings.Join(allowed, " or "))
}

// loadConfig reads the configuration file named, else the .wvlint.yaml
// found upward from the first path; nil when there is none.
func loadConfig(explicit, firstPath string) (*config.Config, error) {
	if explicit == "" {
		p, ok := config.Find(firstPath)
		if !ok {
			return nil, nil
		}
		explicit = p
	}
	return config.Load(explicit)
}
