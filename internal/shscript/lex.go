// Package shscript reads the Weaviate deployments that shell scripts,
// Makefiles and Justfiles start: docker run / docker pull / podman run of
// a Weaviate image, and helm install / upgrade of the weaviate chart with
// its --set, --version and -f values files. It tokenizes the text as a
// shell does (quotes, escapes, line continuations, comments, heredocs,
// ${VAR:-default}, $(...)) and follows variables to the script's own
// assignments and the env files it sources. It never runs anything: a
// value computed when the script runs is reported as unreadable, with why.
package shscript

import (
	"bytes"
	"unicode/utf8"
)

// dialect is how $ and {{ are read: plain shell, a Makefile recipe (make
// expands $(VAR) first, $$ is a shell $), a Justfile recipe ({{var}}).
type dialect int

const (
	shell dialect = iota
	makeRecipe
	justRecipe
)

type partKind int

const (
	lit    partKind = iota
	param           // $NAME, ${NAME...}, $(NAME) in make, {{name}} in just
	opaque          // $(...), `...`, $((...)), ${#x}: computed when the script runs
)

// scopeKind says which variables a param names.
type scopeKind int

const (
	shellVar scopeKind = iota
	makeVar
	justVar
)

// part is a piece of a word. Offsets are bytes of the file's source.
type part struct {
	kind  partKind
	text  string // lit: the text; opaque: the source text
	off   int    // lit: the source offset of text's first byte (text is a verbatim run)
	name  string // param
	scope scopeKind
	op    string // param: "", ":-", "-", ":=", "=", ":+", "+", ":?", "?"
	arg   *Word  // param: the operand of op
	start int    // the part's source range
	end   int
}

// Word is one shell word: its parts in order.
type Word struct {
	parts []part
	start int
}

// command is a simple command: its words, in order.
type command struct {
	words []Word
	sub   bool // inside $(...) or `...`
}

type lexer struct {
	src  []byte
	i    int
	end  int
	mode dialect
	cmds []command
	cur  []Word
	docs []heredoc // pending heredoc bodies to skip at the next newline
	sub  bool
}

type heredoc struct {
	delim string
	strip bool // <<- strips leading tabs
}

// lex splits src[from:to] into commands.
func lex(src []byte, from, to int, mode dialect, sub bool) []command {
	l := &lexer{src: src, i: from, end: to, mode: mode, sub: sub}
	l.run()
	return l.cmds
}

func (l *lexer) flush() {
	if len(l.cur) > 0 {
		l.cmds = append(l.cmds, command{words: l.cur, sub: l.sub})
		l.cur = nil
	}
}

func (l *lexer) peek(k int) byte {
	if l.i+k < l.end {
		return l.src[l.i+k]
	}
	return 0
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\r' }

func isSep(c byte) bool {
	return c == '\n' || c == ';' || c == '&' || c == '|' || c == '<' || c == '>'
}

func (l *lexer) run() {
	for l.i < l.end {
		c := l.src[l.i]
		switch {
		case isBlank(c):
			l.i++
		case c == '\\' && l.peek(1) == '\n':
			l.i += 2
		case c == '\n':
			l.i++
			l.flush()
			l.skipHeredocs()
		case c == '#':
			for l.i < l.end && l.src[l.i] != '\n' {
				l.i++
			}
		case c == ';' || c == '&' || c == '|' || c == '(' || c == ')':
			l.i++
			l.flush()
		case c == '<' || c == '>':
			l.redirect()
		default:
			w := l.word()
			if l.i < l.end && (l.src[l.i] == '<' || l.src[l.i] == '>') && allDigits(w) {
				continue // a file descriptor: 2>&1
			}
			l.cur = append(l.cur, w)
		}
	}
	l.flush()
}

func allDigits(w Word) bool {
	if len(w.parts) != 1 || w.parts[0].kind != lit || w.parts[0].text == "" {
		return false
	}
	for _, c := range []byte(w.parts[0].text) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// redirect consumes a redirection operator and its target; a heredoc's
// body is skipped at the end of the line.
func (l *lexer) redirect() {
	if l.peek(0) == '<' && l.peek(1) == '<' && l.peek(2) != '<' {
		l.i += 2
		strip := false
		if l.peek(0) == '-' {
			strip = true
			l.i++
		}
		for l.i < l.end && isBlank(l.src[l.i]) {
			l.i++
		}
		w := l.word()
		l.docs = append(l.docs, heredoc{delim: w.literal(), strip: strip})
		return
	}
	for l.i < l.end && (l.src[l.i] == '<' || l.src[l.i] == '>' || l.src[l.i] == '&' || l.src[l.i] == '|') {
		l.i++
	}
	for l.i < l.end && isBlank(l.src[l.i]) {
		l.i++
	}
	if l.i < l.end && l.src[l.i] != '\n' && !isSep(l.src[l.i]) {
		l.word() // the target
	}
}

// skipHeredocs skips the bodies of the heredocs started on the line just ended.
func (l *lexer) skipHeredocs() {
	for _, d := range l.docs {
		for l.i < l.end {
			nl := bytes.IndexByte(l.src[l.i:l.end], '\n')
			lineEnd := l.end
			if nl >= 0 {
				lineEnd = l.i + nl
			}
			line := string(bytes.TrimRight(l.src[l.i:lineEnd], "\r"))
			if d.strip {
				line = string(bytes.TrimLeft([]byte(line), "\t"))
			}
			l.i = min(lineEnd+1, l.end)
			if line == d.delim {
				break
			}
		}
	}
	l.docs = nil
}

// literal is the word's text when it is all literal (a heredoc delimiter).
func (w Word) literal() string {
	s := ""
	for _, p := range w.parts {
		if p.kind == lit {
			s += p.text
		}
	}
	return s
}

// word reads one word starting at l.i.
func (l *lexer) word() Word {
	w := Word{start: l.i}
	addLit := func(off, n int) {
		if n == 0 {
			return
		}
		if k := len(w.parts) - 1; k >= 0 && w.parts[k].kind == lit && w.parts[k].off+len(w.parts[k].text) == off {
			w.parts[k].text += string(l.src[off : off+n])
			w.parts[k].end = off + n
			return
		}
		w.parts = append(w.parts, part{kind: lit, text: string(l.src[off : off+n]), off: off, start: off, end: off + n})
	}
	for l.i < l.end {
		c := l.src[l.i]
		switch {
		case isBlank(c) || isSep(c):
			return w
		case (c == '(' || c == ')') && l.i == w.start:
			return w
		case c == '\\':
			if l.peek(1) == '\n' {
				l.i += 2
				continue
			}
			if l.i+1 < l.end {
				addLit(l.i+1, runeLen(l.src[l.i+1:l.end]))
				l.i += 1 + runeLen(l.src[l.i+1:l.end])
			} else {
				l.i++
			}
		case c == '\'':
			j := bytes.IndexByte(l.src[l.i+1:l.end], '\'')
			if j < 0 {
				j = l.end - l.i - 1
			}
			addLit(l.i+1, j)
			l.i = min(l.i+j+2, l.end)
		case c == '"':
			l.i++
			for l.i < l.end && l.src[l.i] != '"' {
				switch d := l.src[l.i]; {
				case d == '\\' && l.i+1 < l.end && bytes.IndexByte([]byte("$`\"\\\n"), l.src[l.i+1]) >= 0:
					if l.src[l.i+1] != '\n' {
						addLit(l.i+1, 1)
					}
					l.i += 2
				case d == '$' || d == '`' || (d == '{' && l.mode == justRecipe && l.peek(1) == '{'):
					if p, ok := l.expansion(); ok {
						w.parts = append(w.parts, p)
					} else {
						addLit(l.i, 1)
						l.i++
					}
				default:
					addLit(l.i, 1)
					l.i++
				}
			}
			l.i = min(l.i+1, l.end) // closing quote
		case c == '$' || c == '`' || (c == '{' && l.mode == justRecipe && l.peek(1) == '{'):
			if p, ok := l.expansion(); ok {
				w.parts = append(w.parts, p)
			} else {
				addLit(l.i, 1)
				l.i++
			}
		default:
			n := runeLen(l.src[l.i:l.end])
			addLit(l.i, n)
			l.i += n
		}
	}
	return w
}

func runeLen(b []byte) int {
	_, n := utf8.DecodeRune(b)
	return max(n, 1)
}

// expansion reads $..., `...` or {{...}} at l.i; ok is false for a lone $.
func (l *lexer) expansion() (part, bool) {
	start := l.i
	c := l.src[l.i]
	if c == '`' {
		j := bytes.IndexByte(l.src[l.i+1:l.end], '`')
		if j < 0 {
			j = l.end - l.i - 1
		}
		l.cmds = append(l.cmds, lex(l.src, l.i+1, l.i+1+j, l.mode, true)...)
		l.i = min(l.i+j+2, l.end)
		return part{kind: opaque, text: string(l.src[start:l.i]), start: start, end: l.i}, true
	}
	if c == '{' { // just {{name}}
		if l.peek(2) == '{' && l.peek(3) == '{' { // {{{{ is a literal {{
			l.i += 4
			return part{kind: lit, text: "{{", off: start + 2, start: start, end: l.i}, true
		}
		j := bytes.Index(l.src[l.i+2:l.end], []byte("}}"))
		if j < 0 {
			return part{}, false
		}
		inner := string(bytes.TrimSpace(l.src[l.i+2 : l.i+2+j]))
		l.i += j + 4
		if isIdent(inner) {
			return part{kind: param, name: inner, scope: justVar, start: start, end: l.i}, true
		}
		return part{kind: opaque, text: string(l.src[start:l.i]), start: start, end: l.i}, true
	}
	// c == '$'
	if l.mode == makeRecipe {
		if l.peek(1) == '$' {
			l.i++ // $$ is the shell's $
			p, ok := l.shellDollar()
			if !ok {
				l.i--
			}
			p.start = start
			return p, ok
		}
		if o := l.peek(1); o == '(' || o == '{' {
			cl := byte(')')
			if o == '{' {
				cl = '}'
			}
			j := matchClose(l.src, l.i+1, l.end, o, cl)
			if j < 0 {
				return part{}, false
			}
			inner := string(l.src[l.i+2 : j])
			l.i = j + 1
			if isMakeName(inner) {
				return part{kind: param, name: inner, scope: makeVar, start: start, end: l.i}, true
			}
			return part{kind: opaque, text: string(l.src[start:l.i]), start: start, end: l.i}, true
		}
		return part{}, false
	}
	return l.shellDollar()
}

// shellDollar reads a shell $ expansion at l.i.
func (l *lexer) shellDollar() (part, bool) {
	start := l.i
	switch o := l.peek(1); {
	case o == '(':
		if l.peek(2) == '(' {
			j := bytes.Index(l.src[l.i:l.end], []byte("))"))
			if j < 0 {
				j = l.end - l.i - 2
			}
			l.i = min(l.i+j+2, l.end)
			return part{kind: opaque, text: string(l.src[start:l.i]), start: start, end: l.i}, true
		}
		j := matchClose(l.src, l.i+1, l.end, '(', ')')
		if j < 0 {
			j = l.end
		}
		l.cmds = append(l.cmds, lex(l.src, l.i+2, j, l.mode, true)...)
		l.i = min(j+1, l.end)
		return part{kind: opaque, text: string(l.src[start:l.i]), start: start, end: l.i}, true
	case o == '{':
		j := matchClose(l.src, l.i+1, l.end, '{', '}')
		if j < 0 {
			return part{}, false
		}
		l.i = j + 1
		return l.braced(start, j), true
	case isNameStart(o):
		k := l.i + 1
		for k < l.end && isNameChar(l.src[k]) {
			k++
		}
		l.i = k
		return part{kind: param, name: string(l.src[start+1 : k]), start: start, end: k}, true
	case o >= '0' && o <= '9' || bytes.IndexByte([]byte("@*#?$!-"), o) >= 0 && o != 0:
		l.i += 2
		return part{kind: param, name: string(o), start: start, end: l.i}, true
	}
	return part{}, false
}

// braced reads ${...} between start ("$") and the closing brace at cl.
func (l *lexer) braced(start, cl int) part {
	in := l.src[start+2 : cl]
	p := part{kind: param, start: start, end: cl + 1}
	k := 0
	switch {
	case len(in) > 0 && isNameStart(in[0]):
		for k < len(in) && isNameChar(in[k]) {
			k++
		}
	case len(in) > 0 && in[0] >= '0' && in[0] <= '9':
		for k < len(in) && in[k] >= '0' && in[k] <= '9' {
			k++
		}
	default:
		return part{kind: opaque, text: string(l.src[start : cl+1]), start: start, end: cl + 1}
	}
	p.name = string(in[:k])
	rest := in[k:]
	if len(rest) == 0 {
		return p
	}
	for _, op := range []string{":-", ":=", ":+", ":?", "-", "=", "+", "?"} {
		if bytes.HasPrefix(rest, []byte(op)) {
			p.op = op
			argFrom := start + 2 + k + len(op)
			sub := &lexer{src: l.src, i: argFrom, end: cl, mode: l.mode, sub: true}
			w := sub.wordAll()
			p.arg = &w
			l.cmds = append(l.cmds, sub.cmds...)
			return p
		}
	}
	// ${x#pat}, ${x%pat}, ${x/a/b}, ${x:1:2}, ${x[0]}: computed.
	return part{kind: opaque, text: string(l.src[start : cl+1]), start: start, end: cl + 1}
}

// wordAll reads the whole range as one word, blanks included (the operand
// of ${x:-default}).
func (l *lexer) wordAll() Word {
	w := Word{start: l.i}
	for l.i < l.end {
		if isBlank(l.src[l.i]) || isSep(l.src[l.i]) || l.src[l.i] == '(' || l.src[l.i] == ')' {
			w.parts = append(w.parts, part{kind: lit, text: string(l.src[l.i : l.i+1]), off: l.i, start: l.i, end: l.i + 1})
			l.i++
			continue
		}
		next := l.word()
		w.parts = append(w.parts, next.parts...)
		if l.i == next.start { // no progress
			l.i++
		}
	}
	return w
}

// matchClose finds the bracket closing the one at open, skipping quotes.
func matchClose(src []byte, open, end int, o, c byte) int {
	depth := 0
	for i := open; i < end; i++ {
		switch src[i] {
		case '\\':
			i++
		case '\'':
			if o == '(' {
				if j := bytes.IndexByte(src[i+1:end], '\''); j >= 0 {
					i += j + 1
				}
			}
		case o:
			depth++
		case c:
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

func isNameStart(c byte) bool { return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }
func isNameChar(c byte) bool  { return isNameStart(c) || (c >= '0' && c <= '9') }

func isIdent(s string) bool {
	if s == "" || !isNameStart(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isNameChar(s[i]) && s[i] != '-' {
			return false
		}
	}
	return true
}

func isMakeName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isNameChar(s[i]) && s[i] != '.' && s[i] != '-' {
			return false
		}
	}
	return true
}
