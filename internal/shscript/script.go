package shscript

import (
	"path"
	"path/filepath"
	"strings"

	"github.com/wvlint/wvlint/internal/pos"
	"github.com/wvlint/wvlint/internal/srcval"
)

// EnvVar is an environment variable a command sets on a container (-e).
type EnvVar struct {
	Name   string
	Value  Value
	Opaque bool // -e NAME: taken from the calling environment
}

// Image is a container image a command runs or pulls.
type Image struct {
	Tool  string   // "docker run", "podman pull"
	At    pos.Span // the command's first word
	Image Value
	Expr  string // the image word as written, to tell an unreadable Weaviate image from another
	Env   []EnvVar
	Name  string // --name, "" when not given
	// EnvFile is set when --env-file adds variables wvlint does not read.
	EnvFile bool
}

// KV is a --set key and its value.
type KV struct {
	Key   string
	Value Value
}

// ValuesFile is a values file a helm command passes with -f / --values.
type ValuesFile struct {
	Path string   // relative to the scan root, "" when the name cannot be read
	At   pos.Span // where it is named
	Why  string   // why Path is "" or the file is not there
}

// HelmInstall is a helm install, upgrade or template of the weaviate chart.
type HelmInstall struct {
	At       pos.Span // "helm"
	Verb     string   // "upgrade", "install", "template"
	Release  string
	Chart    Value
	Version  *Value // --version, nil when absent
	Sets     []KV   // --set and --set-string, in order
	Files    []ValuesFile
	Evidence string
	// ReuseValues is set for --reuse-values: the values of the release as
	// deployed also apply, and wvlint cannot see them.
	ReuseValues bool
}

// NearMiss is a command that looks like a Weaviate deployment but is not
// tied to Weaviate by anything wvlint can read.
type NearMiss struct {
	At      pos.Span
	Message string
}

// Result is what one script starts.
type Result struct {
	Images   []Image
	Helm     []HelmInstall
	Near     []NearMiss
	Problems []Problem
	// Inputs are the files read besides the script (sourced env files, included makefiles).
	Inputs []string
}

// Dialect names the kind of file by its name: "make", "just" or "shell",
// or "" for a file that is not a script wvlint reads.
func Dialect(name string) string {
	b := path.Base(filepath.ToSlash(name))
	// Case-insensitive without a lower-cased copy: every file of the walk
	// is asked.
	suffix := func(s string) bool { return len(b) >= len(s) && strings.EqualFold(b[len(b)-len(s):], s) }
	switch {
	case b == "Makefile" || b == "makefile" || b == "GNUmakefile" || suffix(".mk"):
		return "make"
	case strings.EqualFold(b, "justfile") || strings.EqualFold(b, ".justfile") || suffix(".just"):
		return "just"
	case suffix(".sh") || suffix(".bash"):
		return "shell"
	}
	return ""
}

// maxSource bounds how deep source and include nest.
const maxSource = 4

type reader struct {
	fs   FS
	res  *Result
	env  *env
	seen map[string]bool
	// repos are helm repo add aliases: name -> URL and where added.
	repos map[string]RepoAdd
}

// RepoAdd is a chart repository added under a name (helm repo add,
// Tilt's helm_repo): its URL and where it is added.
type RepoAdd struct {
	URL string
	At  pos.Span
}

// Read reads one script, Makefile or Justfile and what it sources.
func Read(fsys FS, name string, data []byte) *Result {
	r := &reader{fs: fsys, res: &Result{}, env: newEnv(path.Dir(filepath.ToSlash(name))), seen: map[string]bool{name: true}, repos: map[string]RepoAdd{}}
	s := &src{name: name, data: data, lines: pos.NewLines(data)}
	switch Dialect(name) {
	case "make":
		r.makefile(s, 0)
	case "just":
		r.justfile(s)
	default:
		r.commands(s, lex(data, 0, len(data), shell, false), 0)
	}
	return r.res
}

// text is a word's value when it is known and written without expansions.
func (r *reader) text(s *src, w Word) (string, bool) {
	v := r.env.eval(s, w)
	return v.Text, v.Known
}

// commands runs through commands in order: assignments and source change
// the environment the later ones see.
func (r *reader) commands(s *src, cmds []command, depth int) {
	for _, c := range cmds {
		r.command(s, c, depth)
	}
}

var wrappers = map[string]bool{"sudo": true, "exec": true, "time": true, "nohup": true, "command": true, "builtin": true,
	"then": true, "do": true, "else": true, "elif": true, "if": true, "while": true, "until": true, "!": true, "{": true, "}": true}

func (r *reader) command(s *src, c command, depth int) {
	ws := c.words
	// Leading NAME=value words: alone they assign, before a command they
	// set its environment only.
	n := 0
	for n < len(ws) {
		if _, _, ok := assignment(ws[n]); !ok {
			break
		}
		n++
	}
	if n == len(ws) {
		for _, w := range ws {
			r.assign(s, w, false)
		}
		return
	}
	ws = ws[n:]
	for len(ws) > 0 {
		t, ok := r.text(s, ws[0])
		if !ok {
			return
		}
		switch {
		case wrappers[t]:
			ws = ws[1:]
			for t == "sudo" && len(ws) > 0 {
				f, _ := r.text(s, ws[0])
				if !strings.HasPrefix(f, "-") {
					break
				}
				ws = ws[1:]
				if (f == "-u" || f == "-g") && len(ws) > 0 {
					ws = ws[1:]
				}
			}
			continue
		case t == "timeout":
			ws = ws[1:]
			for len(ws) > 0 {
				f, _ := r.text(s, ws[0])
				ws = ws[1:]
				if !strings.HasPrefix(f, "-") {
					break // the duration
				}
			}
			continue
		case t == "env":
			ws = ws[1:]
			for len(ws) > 0 {
				f, _ := r.text(s, ws[0])
				if _, _, ok := assignment(ws[0]); !ok && !strings.HasPrefix(f, "-") {
					break
				}
				ws = ws[1:]
			}
			continue
		}
		break
	}
	if len(ws) == 0 {
		return
	}
	name, _ := r.text(s, ws[0])
	args := ws[1:]
	switch name {
	case "export", "readonly", "declare", "typeset", "local":
		for _, w := range args {
			if _, _, ok := assignment(w); ok {
				r.assign(s, w, name == "export" || name == "declare" || name == "typeset")
			} else if t, ok := r.text(s, w); ok && name == "export" && isIdentShell(t) {
				if b, ok := r.env.shell[t]; ok {
					b.exported = true
					r.env.shell[t] = b
				}
			}
		}
	case "source", ".":
		if len(args) > 0 {
			r.source(s, args[0], depth)
		}
	case "docker", "podman", "nerdctl":
		r.container(s, name, ws[0], args)
	case "helm":
		r.helm(s, ws[0], args)
	}
}

func (r *reader) assign(s *src, w Word, exported bool) {
	name, val, _ := assignment(w)
	v := r.env.eval(s, val)
	if name == "" {
		return
	}
	r.env.shell[name] = binding{v: v, at: s.span(w.start, wordEnd(w)), exported: exported}
}

// source reads a file a script sources, into the same environment.
func (r *reader) source(s *src, w Word, depth int) {
	v := r.env.eval(s, w)
	if !v.Known {
		r.res.Near = append(r.res.Near, NearMiss{At: v.Span, Message: "sourced file not read: " + v.Why})
		return
	}
	name, ok := r.find(v.Text)
	if !ok {
		return // outside the tree, or not there: the script may create it
	}
	if depth >= maxSource || r.seen[name] {
		return
	}
	r.seen[name] = true
	data, err := r.fs.ReadFile(name)
	if err != nil {
		return
	}
	r.res.Inputs = append(r.res.Inputs, name)
	inner := &src{name: name, data: data, lines: pos.NewLines(data)}
	r.commands(inner, lex(data, 0, len(data), shell, false), depth+1)
}

// find resolves a path a script names: relative to the script's directory
// (the usual working directory), then to the scan root.
func (r *reader) find(p string) (string, bool) {
	for _, cand := range []string{path.Join(r.env.dir, filepath.ToSlash(p)), p} {
		c, ok := inTree(cand)
		if !ok {
			continue
		}
		if _, err := r.fs.ReadFile(c); err == nil {
			return c, true
		}
	}
	return "", false
}

// pieces evaluates each part of a word on its own, so that a flag's
// literal key survives an unreadable value (--set image.tag=$1).
func (r *reader) pieces(s *src, w Word) []Value {
	var out []Value
	for _, p := range w.parts {
		out = append(out, r.env.part(s, p))
	}
	return out
}

// cut splits pieces at the first sep found in their known text.
func cut(ps []Value, sep rune) (before, after []Value, ok bool) {
	for i, p := range ps {
		if !p.Known {
			continue
		}
		if k := strings.IndexRune(p.Text, sep); k >= 0 {
			o := pos.RuneLen(p.Text[:k])
			before = append(append([]Value(nil), ps[:i]...), p.Slice(0, o))
			after = append([]Value{p.Slice(o+1, pos.RuneLen(p.Text))}, ps[i+1:]...)
			return before, after, true
		}
	}
	return ps, nil, false
}

// splitList splits pieces at commas outside braces, as helm --set does
// (a backslash escapes a comma).
func splitList(ps []Value) [][]Value {
	var out [][]Value
	var cur []Value
	depth := 0
	for _, p := range ps {
		if !p.Known {
			cur = append(cur, p)
			continue
		}
		rs := []rune(p.Text)
		from := 0
		for i := 0; i < len(rs); i++ {
			switch rs[i] {
			case '\\':
				i++
			case '{':
				depth++
			case '}':
				depth--
			case ',':
				if depth == 0 {
					cur = append(cur, p.Slice(from, i-from))
					out = append(out, cur)
					cur, from = nil, i+1
				}
			}
		}
		cur = append(cur, p.Slice(from, len(rs)-from))
	}
	return append(out, cur)
}

func join(sp pos.Span, ps []Value) Value {
	var keep []Value
	for _, p := range ps {
		if !p.Known || p.Text != "" {
			keep = append(keep, p)
		}
	}
	if len(keep) == 0 {
		return srcval.Known("", sp)
	}
	return srcval.Concat(sp, keep)
}
