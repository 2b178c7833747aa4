package rules

import (
	_ "embed"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/Masterminds/semver/v3"

	"github.com/wvlint/wvlint/internal/tsv"
)

//go:embed data/known-issues.tsv
var knownIssuesTSV []byte

//go:embed data/weaviate-env-by-version.tsv
var envTSV []byte

//go:embed data/env-noop.tsv
var noopTSV []byte

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

// The embedded tables are parsed on first use, each on its own, and never
// change afterwards; a broken table is a build defect, caught by the tests
// (which is why the environment table's rows are only indexed here, not
// checked: TestDataTablesParse checks them).
var (
	knownIssues = sync.OnceValue(func() []KnownIssue { return must(ParseKnownIssues(knownIssuesTSV))("known-issues.tsv") })
	envTable    = sync.OnceValue(func() *EnvTable { return must(indexEnvTable(envTSV))("weaviate-env-by-version.tsv") })
	noops       = sync.OnceValue(func() []NoopSetting { return must(ParseNoopSettings(noopTSV))("env-noop.tsv") })
)

func must[T any](v T, err error) func(file string) T {
	return func(file string) T {
		if err != nil {
			panic("rules/data/" + file + ": " + err.Error())
		}
		return v
	}
}

// ParseKnownIssues reads the known-issues table.
func ParseKnownIssues(data []byte) ([]KnownIssue, error) {
	var out []KnownIssue
	err := tsv.Rows(data, 0, func(n int, f []string) error {
		if len(f) != 6 {
			return fmt.Errorf("want 6 columns, got %d", len(f))
		}
		from, err := semver.StrictNewVersion(f[1])
		if err != nil {
			return fmt.Errorf("from %q: %w", f[1], err)
		}
		toText := f[2]
		if strings.HasSuffix(toText, ".x") {
			toText = strings.TrimSuffix(toText, ".x") + ".99999"
		}
		to, err := semver.StrictNewVersion(toText)
		if err != nil {
			return fmt.Errorf("to %q: %w", f[2], err)
		}
		fixed, err := semver.StrictNewVersion(f[3])
		if err != nil {
			return fmt.Errorf("fixed %q: %w", f[3], err)
		}
		if f[4] != "any" && f[4] != "multi-node" && !strings.HasPrefix(f[4], "module:") {
			return fmt.Errorf("applies to %q: want any, multi-node or module:NAME", f[4])
		}
		if to.LessThan(from) || !to.LessThan(fixed) {
			return errors.New("the range must be ordered and end before the fix")
		}
		out = append(out, KnownIssue{ID: f[0], From: from, To: to, Fixed: fixed, AppliesTo: f[4], Summary: f[5]})
		return nil
	})
	return out, err
}

// KnownIssues is the known-issues table.
func KnownIssues() []KnownIssue { return knownIssues() }

// Env is the environment-variable table.
func Env() *EnvTable { return envTable() }

// NoopSettings are the variables Weaviate reads only to say they do nothing.
func NoopSettings() []NoopSetting { return noops() }
