package action_test

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// The part of GitHub's expression language that action.yml uses: context
// paths (inputs.x, steps.id.outputs.y, github.event.a.b), string, number
// and boolean literals, == and != (strings compare without case, as GitHub
// does), !, &&, || (returning an operand), parentheses, and the status
// functions. Anything else is an error, so the runner below never guesses.

type exprContext struct {
	values    map[string]any // top-level contexts: inputs, github, steps, runner, env
	jobOK     bool           // no step failed yet
	cancelled bool
}

type parser struct {
	toks []string
	i    int
	ctx  *exprContext
}

var tokenRE = regexp.MustCompile(`\s*(\|\||&&|==|!=|!|\(|\)|'(?:[^']|'')*'|[A-Za-z_][A-Za-z0-9_.\-]*|[0-9]+(?:\.[0-9]+)?)`)

func tokenize(s string) ([]string, error) {
	var toks []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		m := tokenRE.FindStringSubmatchIndex(s)
		if m == nil || m[0] != 0 {
			return nil, fmt.Errorf("cannot read expression at %q", s)
		}
		toks = append(toks, s[m[2]:m[3]])
		s = s[m[1]:]
	}
	return toks, nil
}

func eval(ctx *exprContext, expr string) (any, error) {
	toks, err := tokenize(expr)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks, ctx: ctx}
	v, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.i != len(p.toks) {
		return nil, fmt.Errorf("unexpected %q in %q", p.toks[p.i], expr)
	}
	return v, nil
}

func (p *parser) peek() string {
	if p.i < len(p.toks) {
		return p.toks[p.i]
	}
	return ""
}

func (p *parser) or() (any, error) {
	l, err := p.and()
	for err == nil && p.peek() == "||" {
		p.i++
		var r any
		if r, err = p.and(); truthy(l) {
			continue
		}
		l = r
	}
	return l, err
}

func (p *parser) and() (any, error) {
	l, err := p.cmp()
	for err == nil && p.peek() == "&&" {
		p.i++
		var r any
		if r, err = p.cmp(); !truthy(l) {
			continue
		}
		l = r
	}
	return l, err
}

func (p *parser) cmp() (any, error) {
	l, err := p.unary()
	if err != nil {
		return nil, err
	}
	if op := p.peek(); op == "==" || op == "!=" {
		p.i++
		r, err := p.unary()
		if err != nil {
			return nil, err
		}
		eq := strings.EqualFold(str(l), str(r))
		return eq == (op == "=="), nil
	}
	return l, nil
}

func (p *parser) unary() (any, error) {
	if p.peek() == "!" {
		p.i++
		v, err := p.unary()
		return !truthy(v), err
	}
	return p.primary()
}

func (p *parser) primary() (any, error) {
	t := p.peek()
	if t == "" {
		return nil, fmt.Errorf("expression ends early")
	}
	p.i++
	switch {
	case t == "(":
		v, err := p.or()
		if p.peek() != ")" {
			return nil, fmt.Errorf("missing )")
		}
		p.i++
		return v, err
	case strings.HasPrefix(t, "'"):
		return strings.ReplaceAll(t[1:len(t)-1], "''", "'"), nil
	case unicode.IsDigit(rune(t[0])):
		return strconv.ParseFloat(t, 64)
	case t == "true" || t == "false":
		return t == "true", nil
	case t == "null":
		return nil, nil
	}
	if p.peek() == "(" {
		p.i++
		if p.peek() != ")" {
			return nil, fmt.Errorf("%s: arguments are not supported", t)
		}
		p.i++
		switch t {
		case "always":
			return true, nil
		case "success":
			return p.ctx.jobOK && !p.ctx.cancelled, nil
		case "failure":
			return !p.ctx.jobOK, nil
		case "cancelled":
			return p.ctx.cancelled, nil
		}
		return nil, fmt.Errorf("unsupported function %s()", t)
	}
	var v any = p.ctx.values
	for _, part := range strings.Split(t, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, nil
		}
		v = m[part]
	}
	return v, nil
}

func truthy(v any) bool {
	switch v := v.(type) {
	case nil:
		return false
	case bool:
		return v
	case string:
		return v != ""
	case float64:
		return v != 0
	}
	return true
}

func str(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

var interpRE = regexp.MustCompile(`\$\{\{(.*?)\}\}`)

// interpolate replaces every ${{ expr }} in s.
func interpolate(ctx *exprContext, s string) (string, error) {
	var firstErr error
	out := interpRE.ReplaceAllStringFunc(s, func(m string) string {
		v, err := eval(ctx, interpRE.FindStringSubmatch(m)[1])
		if err != nil && firstErr == nil {
			firstErr = err
		}
		return str(v)
	})
	return out, firstErr
}

// condition evaluates a step's if: (with or without ${{ }}); no if: is
// success().
func condition(ctx *exprContext, s string) (bool, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		s = "success()"
	}
	if m := interpRE.FindStringSubmatch(s); m != nil && m[0] == s {
		s = m[1]
	}
	if !strings.Contains(s, "always()") && !strings.Contains(s, "failure()") && !strings.Contains(s, "cancelled()") && !strings.Contains(s, "success()") {
		s = "success() && (" + s + ")"
	}
	v, err := eval(ctx, s)
	return truthy(v), err
}
