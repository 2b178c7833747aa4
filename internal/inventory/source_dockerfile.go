package inventory

import (
	"fmt"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/wvlint/wvlint/internal/interp"
	"github.com/wvlint/wvlint/internal/pos"
)

// logicalLine is a Dockerfile instruction with its continuation lines
// joined, and the source position of each of its code points.
type logicalLine struct {
	text []rune
	at   []pos.Span // one per rune
}

func (l logicalLine) span(off, n int) pos.Span {
	if len(l.at) == 0 {
		return pos.Span{}
	}
	off = min(max(off, 0), len(l.at)-1)
	sp := l.at[off]
	sp.EndCol = sp.Col + n
	return sp
}

func dockerLines(name string, src []byte) []logicalLine {
	lines := pos.NewLines(src)
	var out []logicalLine
	var cur logicalLine
	for n := 1; n <= lines.Count(); n++ {
		text := []rune(lines.Line(n))
		trimmed := strings.TrimSpace(string(text))
		if len(cur.text) == 0 && (trimmed == "" || strings.HasPrefix(trimmed, "#")) {
			continue
		}
		if len(cur.text) > 0 && strings.HasPrefix(trimmed, "#") {
			continue // comments inside a continued instruction are dropped
		}
		cont := strings.HasSuffix(strings.TrimRightFunc(string(text), unicode.IsSpace), "\\")
		end := len(text)
		if cont {
			end = strings.LastIndex(string(text), "\\")
			end = len([]rune(string(text)[:end]))
		}
		for i := 0; i < end; i++ {
			cur.text = append(cur.text, text[i])
			cur.at = append(cur.at, pos.Span{File: name, Line: n, Col: i + 1})
		}
		if !cont {
			out = append(out, cur)
			cur = logicalLine{}
		}
	}
	if len(cur.text) > 0 {
		out = append(out, cur)
	}
	return out
}

// field is a whitespace-separated word of a logical line.
type field struct {
	text string
	off  int // code points
}

func fields(r []rune) []field {
	var out []field
	start := -1
	for i, c := range r {
		if unicode.IsSpace(c) {
			if start >= 0 {
				out = append(out, field{string(r[start:i]), start})
				start = -1
			}
		} else if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		out = append(out, field{string(r[start:]), start})
	}
	return out
}

var dockerfileSource = &Source{
	Name:  "dockerfile",
	Doc:   "Dockerfiles and Containerfiles: `FROM` a Weaviate image, with the `ARG` defaults before the first `FROM` and the stage's `ENV`",
	Reads: func(p string) bool { return isDockerfile(filepath.Base(p)) },
	Extract: func(in *Input) Found {
		return Found{Deployments: dockerfileDeployments(in.id, in.Path, in.Bytes())}
	},
	Examples: []string{"Dockerfile", "build/Dockerfile.prod", "app.dockerfile", "Containerfile"},
}

func isDockerfile(base string) bool {
	// Case-insensitive without a lower-cased copy: every file of the walk
	// is asked.
	const df, suffix = "dockerfile", ".dockerfile"
	return strings.EqualFold(base, df) || strings.EqualFold(base, "containerfile") ||
		len(base) > len(df) && base[len(df)] == '.' && strings.EqualFold(base[:len(df)], df) ||
		len(base) >= len(suffix) && strings.EqualFold(base[len(base)-len(suffix):], suffix)
}

// dockerfileDeployments finds FROM lines that build on a Weaviate image, expanding the
// ARG defaults declared before the first FROM.
func dockerfileDeployments(id *idContext, name string, src []byte) []Deployment {
	var out []Deployment
	args := map[string]interp.Value{}
	stages := map[string]bool{}
	stage := 0
	var cur *Deployment // the Weaviate stage being read; its ENV lines are its environment
	flush := func() {
		if cur != nil {
			if m, ok := cur.Env["ENABLE_MODULES"]; ok {
				cur.Backups = addBackups(cur.Backups, backupsFromModules(m.Value)...)
				cur.BackupsKnown = true
			}
			out = append(out, *cur)
			cur = nil
		}
	}
	for _, l := range dockerLines(name, src) {
		fs := fields(l.text)
		if len(fs) < 2 {
			continue
		}
		switch strings.ToUpper(fs[0].text) {
		case "ARG":
			if stage > 0 {
				continue // stage ARGs do not reach FROM lines
			}
			for _, a := range fs[1:] {
				k, v, ok := strings.Cut(a.text, "=")
				if ok {
					off := a.off + len([]rune(k)) + 1
					if strings.HasPrefix(v, `"`) && strings.HasSuffix(v, `"`) && len(v) >= 2 {
						v, off = v[1:len(v)-1], off+1
					}
					args[k] = interp.Value{Text: v, Span: l.span(off, len([]rune(v)))}
				}
			}
		case "ENV":
			if cur != nil {
				dockerEnv(l, fs[1:], cur.Env)
			}
		case "FROM":
			flush()
			stage++
			rest := fs[1:]
			for len(rest) > 0 && strings.HasPrefix(rest[0].text, "--") {
				rest = rest[1:]
			}
			if len(rest) == 0 {
				continue
			}
			img := rest[0]
			fromStage := stages[strings.ToLower(img.text)]
			if len(rest) >= 3 && strings.EqualFold(rest[1].text, "AS") {
				stages[strings.ToLower(rest[2].text)] = true
			}
			if fromStage {
				continue
			}
			res := interp.Expand(img.text, func(k string) (interp.Value, bool) {
				v, ok := args[k]
				return v, ok
			})
			w := written{text: img.text, at: func(off, n int) pos.Span { return l.span(img.off+off, n) }}
			d := Deployment{Kind: Dockerfile, Platform: Docker, Nodes: 0,
				ID: fmt.Sprintf("dockerfile:%s#%d", filepath.ToSlash(name), stage), Env: map[string]EnvVar{}, Inputs: []string{name}}
			d.Cluster = d.ID
			if resolveImage(id, w, res, &d, "builds on") {
				cur = &d
			}
		}
	}
	flush()
	return out
}

// dockerEnv reads an ENV instruction: KEY=VALUE pairs, or the legacy
// "ENV KEY VALUE" form.
func dockerEnv(l logicalLine, args []field, env map[string]EnvVar) {
	if len(args) >= 2 && !strings.Contains(args[0].text, "=") {
		// The value is the rest of the line, spaces and all.
		off := args[1].off
		v := strings.TrimRightFunc(string(l.text[off:]), unicode.IsSpace)
		if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
			v, off = v[1:len(v)-1], off+1
		}
		env[args[0].text] = EnvVar{Value: v, Span: l.span(off, pos.RuneLen(v))}
		return
	}
	if len(args) == 0 {
		return
	}
	for _, a := range quotedFields(l.text, args[0].off) {
		k, v, ok := strings.Cut(a.text, "=")
		if !ok {
			continue
		}
		off := a.off + pos.RuneLen(k) + 1
		if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
			v, off = v[1:len(v)-1], off+1
		}
		env[k] = EnvVar{Value: v, Span: l.span(off, pos.RuneLen(v))}
	}
}

// quotedFields splits r from start into whitespace-separated words, a
// quoted run ("two words", 'two words') staying inside its word, as the
// KEY="value with spaces" form of ENV needs.
func quotedFields(r []rune, start int) []field {
	var out []field
	begin, quote := -1, rune(0)
	for i := start; i < len(r); i++ {
		c := r[i]
		switch {
		case quote != 0:
			if c == '\\' && quote == '"' && i+1 < len(r) {
				i++
			} else if c == quote {
				quote = 0
			}
			continue
		case unicode.IsSpace(c):
			if begin >= 0 {
				out = append(out, field{string(r[begin:i]), begin})
				begin = -1
			}
			continue
		}
		if begin < 0 {
			begin = i
		}
		if c == '"' || c == '\'' {
			quote = c
		}
	}
	if begin >= 0 {
		out = append(out, field{string(r[begin:]), begin})
	}
	return out
}
