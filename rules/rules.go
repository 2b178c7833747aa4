// Package rules holds wvlint's rules: declarative values with stable IDs
// (WVnnnn) and kebab-case names, documentation, a default severity and a
// Run function, listed in one explicit registry (All).
//
// IDs are grouped by concern: 1xxx the upgrade path, 2xxx image reference
// hygiene, 3xxx deployment configuration, 9xxx wvlint itself. An ID is never
// renumbered or reused; a retired rule keeps its slot.
package rules

import (
	"fmt"
	"strings"

	"github.com/Masterminds/semver/v3"

	"github.com/wvlint/wvlint/internal/catalog"
	"github.com/wvlint/wvlint/internal/diag"
	"github.com/wvlint/wvlint/internal/inventory"
	"github.com/wvlint/wvlint/internal/pos"
)

// Severity orders findings; the zero value is Note.
type Severity = diag.Severity

// Severities, lowest first.
const (
	Note    = diag.Note
	Warning = diag.Warning
	Error   = diag.Error
)

// ParseSeverity reads "note", "warning" or "error".
func ParseSeverity(s string) (Severity, error) { return diag.ParseSeverity(s) }

// Doc is a rule's documentation.
type Doc struct {
	Why    string // why it matters, in a paragraph
	Fix    string // how to fix it
	Source string // where the fact comes from
	// AutoFix says what `wvlint --fix` writes for the rule; "" when it
	// writes nothing (internal/remedy decides, and a test keeps the two
	// in step).
	AutoFix string
}

// Example is a documented case of a rule.
type Example struct {
	File    string   // its name, e.g. compose.yaml
	Content string   // its text
	From    string   // the version running before the change, "" for none
	Output  []string // the rule's findings, as `wvlint` prints their first lines
	// Fixed is the file after `wvlint --fix`, for rules with an AutoFix.
	Fixed string
}

// Rule is one check.
type Rule struct {
	ID       string // WV + four digits; never changes
	Name     string // kebab-case; never changes
	Title    string // one line
	Severity Severity
	Tags     []string
	Doc      Doc
	// Example is a file that triggers the rule and the exact findings of
	// the rule it gives; docs/rules.md shows it and a test runs it.
	Example *Example
	// Required rules cannot be turned off or re-graded in .wvlint.yaml:
	// WV9001, because a file wvlint cannot read would pass unchecked. Its
	// diagnostics can still be suppressed one by one or baselined.
	Required bool
	// Run reports findings through p. It returns an error only when the
	// rule itself cannot work, never for a finding.
	Run func(p *Pass) error
}

// Change is a deployment as it is now, with what it was before.
type Change struct {
	D    *inventory.Deployment // now
	Old  *inventory.Deployment // at the base revision; nil when added or unknown
	From *semver.Version       // version before the change; nil when unknown
	// FromWhere says where From came from ("HEAD", "--from", ...).
	FromWhere string
	// Backups are the recorded evidence of a backup before the change
	// ("s3/backup-2026-11-26"): --backup values, Weaviate-Backup commit
	// trailers, wvlint:backup comments; empty when there is none.
	Backups []string
}

// To is the deployment's version now, nil when unresolved.
func (c *Change) To() *semver.Version { return c.D.Tag.Version }

// Ephemeral deployments (CI service containers, testcontainers) hold no
// data to migrate: the upgrade-path rules skip them.
func (c *Change) Ephemeral() bool { return c.D.Platform == inventory.Test }

// Upgrade reports whether the change moves to a newer version.
func (c *Change) Upgrade() bool {
	return c.From != nil && c.To() != nil && c.From.LessThan(c.To())
}

// Downgrade reports whether the change moves to an older version.
func (c *Change) Downgrade() bool {
	return c.From != nil && c.To() != nil && c.To().LessThan(c.From)
}

// Pass is what a rule sees.
type Pass struct {
	Catalog  *catalog.Catalog
	Changes  []*Change
	Findings []diag.Diagnostic
	rule     *Rule
}

// Reportf records a finding of the running rule at the change's position.
func (p *Pass) Reportf(c *Change, sev Severity, format string, args ...any) {
	f := diag.Diagnostic{Rule: p.rule.ID, Severity: sev, Span: c.D.Span(), Message: fmt.Sprintf(format, args...), Related: c.D.Related, Deployment: c.D.ID}
	if c.From != nil {
		f.From = c.From.String()
	}
	if v := c.To(); v != nil {
		f.To = v.String()
	}
	p.Findings = append(p.Findings, f)
}

// ReportAtf records a finding about change c at another position: the
// environment variable or module list to edit rather than the version.
func (p *Pass) ReportAtf(c *Change, sp pos.Span, sev Severity, format string, args ...any) {
	p.Reportf(c, sev, format, args...)
	f := &p.Findings[len(p.Findings)-1]
	if sp.Valid() {
		if sp.EndCol == 0 {
			sp.EndCol = sp.Col + 1
		}
		f.Span = sp
		f.Related = nil
	}
}

// Run runs rules over changes and returns the findings, sorted by position.
func Run(rs []*Rule, cat *catalog.Catalog, changes []*Change) ([]diag.Diagnostic, error) {
	p := &Pass{Catalog: cat, Changes: changes}
	for _, r := range rs {
		if r.Run == nil {
			continue // reported by the loader, not from deployments
		}
		p.rule = r
		if err := runOne(r, p); err != nil {
			return nil, fmt.Errorf("%s %s: %w", r.ID, r.Name, err)
		}
	}
	return diag.Dedupe(p.Findings), nil
}

// runOne runs a rule, turning its panic into an error that names it.
func runOne(r *Rule, p *Pass) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("internal error: %v", v)
		}
	}()
	return r.Run(p)
}

// All is the registry, in ID order.
func All() []*Rule {
	return []*Rule{
		SkippedMinor, NotLatestPatch, MissingBackup, UnsafeDowngrade, Downgrade,
		RaftMigration, MetadataSync, RestoreFix, IrreversibleDowngrade,
		FloatingTag, UnknownVersion, Prerelease, MixedVersions, UnsupportedMinor, KnownIssueRule,
		FilesystemBackupMultinode, RemovedSetting, MissingClusterHostname, RaftVoters, BackupModuleConfig,
		ParseError, MalformedSuppression, UnusedSuppression,
	}
}

// Lookup finds a rule by ID or name.
func Lookup(key string) *Rule {
	for _, r := range All() {
		if strings.EqualFold(r.ID, key) || r.Name == key {
			return r
		}
	}
	return nil
}

func each(p *Pass, fn func(c *Change)) error {
	for _, c := range p.Changes {
		fn(c)
	}
	return nil
}

func minor(v *semver.Version) string { return fmt.Sprintf("%d.%d", v.Major(), v.Minor()) }

func versionOf(tag string) (*semver.Version, error) {
	return semver.StrictNewVersion(strings.TrimPrefix(tag, "v"))
}
