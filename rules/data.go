package rules

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"strings"
	"sync"

	"github.com/Masterminds/semver/v3"
)

//go:embed data/known-issues.tsv
var knownIssuesTSV []byte

//go:embed data/weaviate-env-by-version.tsv
var envTSV []byte

// KnownIssue is one row of data/known-issues.tsv.
type KnownIssue struct {
	ID        string
	From, To  *semver.Version // inclusive
	Fixed     *semver.Version
	AppliesTo string // any, multi-node, module:NAME
	Summary   string
}

// Affects reports whether v is in the issue's range.
func (k KnownIssue) Affects(v *semver.Version) bool {
	return !v.LessThan(k.From) && !k.To.LessThan(v)
}

// EnvVarInfo is one row of data/weaviate-env-by-version.tsv: which
// Weaviate versions read an environment variable.
type EnvVarInfo struct {
	Name     string
	First    string // first tag that reads it
	Last     string // last tag that reads it
	InLatest bool   // read by the newest minor of the table
	Notes    string
	minors   map[string]string // "1.27" -> cell
}

// envMinors are the minors the table covers, oldest first.
var envMinors []string

// Reads says whether Weaviate v reads the variable; known is false for
// versions older than the table.
func (e EnvVarInfo) Reads(v *semver.Version) (reads, known bool) {
	m := minor(v)
	cell, ok := e.minors[m]
	if !ok {
		if len(envMinors) == 0 || semver.MustParse(envMinors[0]+".0").GreaterThan(v) {
			return false, false
		}
		return e.InLatest, true // newer than the table: as in its newest minor
	}
	switch {
	case cell == "all":
		return true, true
	case cell == "-":
		return false, true
	case strings.HasPrefix(cell, ">="):
		b, err := semver.StrictNewVersion(cell[2:])
		return err == nil && !v.LessThan(b), err == nil
	case strings.HasPrefix(cell, "<="):
		b, err := semver.StrictNewVersion(cell[2:])
		return err == nil && !b.LessThan(v), err == nil
	case strings.Contains(cell, ".."):
		lo, hi, _ := strings.Cut(cell, "..")
		a, err1 := semver.StrictNewVersion(lo)
		b, err2 := semver.StrictNewVersion(hi)
		return err1 == nil && err2 == nil && !v.LessThan(a) && !b.LessThan(v), err1 == nil && err2 == nil
	}
	return false, false
}

type tables struct {
	knownIssues []KnownIssue
	envVars     map[string]EnvVarInfo
}

// data parses the embedded tables once; a broken table is a build defect,
// caught by the tests.
var data = sync.OnceValue(func() tables {
	ki, err := ParseKnownIssues(knownIssuesTSV)
	if err != nil {
		panic("rules/data/known-issues.tsv: " + err.Error())
	}
	ev, err := ParseEnvTable(envTSV)
	if err != nil {
		panic("rules/data/weaviate-env-by-version.tsv: " + err.Error())
	}
	return tables{ki, ev}
})

// ParseKnownIssues reads the known-issues table.
func ParseKnownIssues(data []byte) ([]KnownIssue, error) {
	var out []KnownIssue
	err := rows(data, func(n int, f []string) error {
		if len(f) != 6 {
			return fmt.Errorf("line %d: want 6 columns, got %d", n, len(f))
		}
		from, err := semver.StrictNewVersion(f[1])
		if err != nil {
			return fmt.Errorf("line %d: from %q: %w", n, f[1], err)
		}
		toText := f[2]
		if strings.HasSuffix(toText, ".x") {
			toText = strings.TrimSuffix(toText, ".x") + ".99999"
		}
		to, err := semver.StrictNewVersion(toText)
		if err != nil {
			return fmt.Errorf("line %d: to %q: %w", n, f[2], err)
		}
		fixed, err := semver.StrictNewVersion(f[3])
		if err != nil {
			return fmt.Errorf("line %d: fixed %q: %w", n, f[3], err)
		}
		if f[4] != "any" && f[4] != "multi-node" && !strings.HasPrefix(f[4], "module:") {
			return fmt.Errorf("line %d: applies to %q: want any, multi-node or module:NAME", n, f[4])
		}
		if to.LessThan(from) || !to.LessThan(fixed) {
			return fmt.Errorf("line %d: the range must be ordered and end before the fix", n)
		}
		out = append(out, KnownIssue{ID: f[0], From: from, To: to, Fixed: fixed, AppliesTo: f[4], Summary: f[5]})
		return nil
	})
	return out, err
}

// ParseEnvTable reads the environment-variable table.
func ParseEnvTable(data []byte) (map[string]EnvVarInfo, error) {
	out := map[string]EnvVarInfo{}
	var header []string
	err := rows(data, func(n int, f []string) error {
		if header == nil {
			header = f
			if len(f) < 7 || f[0] != "env_var" || f[len(f)-1] != "notes" {
				return fmt.Errorf("line %d: unexpected header", n)
			}
			envMinors = nil
			for _, h := range f[5 : len(f)-1] {
				envMinors = append(envMinors, strings.TrimPrefix(h, "v"))
			}
			return nil
		}
		if len(f) != len(header) {
			return fmt.Errorf("line %d: want %d columns, got %d", n, len(header), len(f))
		}
		e := EnvVarInfo{Name: f[0], First: f[1], Last: f[2], InLatest: f[3] == "yes", Notes: f[len(f)-1], minors: map[string]string{}}
		for i, m := range envMinors {
			cell := f[5+i]
			e.minors[m] = cell
			probe := semver.MustParse(m + ".0")
			if _, known := e.Reads(probe); !known && cell != "-" && cell != "all" {
				return fmt.Errorf("line %d: cell %q of %s is not all, -, >=V, <=V or A..B", n, cell, f[0])
			}
		}
		out[e.Name] = e
		return nil
	})
	return out, err
}

func rows(data []byte, fn func(int, []string) error) error {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if err := fn(n, strings.Split(line, "\t")); err != nil {
			return err
		}
	}
	return sc.Err()
}

// KnownIssues is the known-issues table.
func KnownIssues() []KnownIssue { return data().knownIssues }

// EnvTable is the environment-variable table, by name.
func EnvTable() map[string]EnvVarInfo { return data().envVars }
