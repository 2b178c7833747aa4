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
	"sort"
	"strings"

	"github.com/Masterminds/semver/v3"

	"github.com/wvlint/wvlint/internal/catalog"
	"github.com/wvlint/wvlint/internal/inventory"
	"github.com/wvlint/wvlint/internal/pos"
)

// Severity orders findings; the zero value is Note.
type Severity int

// Severities, lowest first.
const (
	Note Severity = iota
	Warning
	Error
)

func (s Severity) String() string { return [...]string{"note", "warning", "error"}[s] }

// ParseSeverity reads "note", "warning" or "error".
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(s) {
	case "note", "info":
		return Note, nil
	case "warning", "warn":
		return Warning, nil
	case "error":
		return Error, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want note, warning or error)", s)
}

// Doc is a rule's documentation.
type Doc struct {
	Why    string // why it matters, in a paragraph
	Fix    string // how to fix it
	Source string // where the fact comes from
}

// Example is a documented case of a rule.
type Example struct {
	File    string   // its name, e.g. compose.yaml
	Content string   // its text
	From    string   // the version running before the change, "" for none
	Output  []string // the rule's findings, as `wvlint` prints their first lines
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
	// Backup is recorded evidence of a backup ("s3/backup-2026-11-26"), "" when none.
	Backup string
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

// Finding is one reported problem.
type Finding struct {
	Rule     *Rule
	Severity Severity
	Span     pos.Span
	Message  string
	From, To string
	Related  []inventory.Related
	// D is the deployment the finding is about (nil for findings about
	// files, such as suppressions).
	D *inventory.Deployment
	// Fingerprint identifies the finding across runs and edits elsewhere
	// in the file (SARIF primaryLocationLineHash, baselines).
	Fingerprint string
}

// Pass is what a rule sees.
type Pass struct {
	Catalog  *catalog.Catalog
	Changes  []*Change
	Findings []Finding
	rule     *Rule
}

// Reportf records a finding of the running rule at the change's position.
func (p *Pass) Reportf(c *Change, sev Severity, format string, args ...any) {
	f := Finding{Rule: p.rule, Severity: sev, Span: c.D.Span(), Message: fmt.Sprintf(format, args...), Related: c.D.Related, D: c.D}
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
func Run(rs []*Rule, cat *catalog.Catalog, changes []*Change) ([]Finding, error) {
	p := &Pass{Catalog: cat, Changes: changes}
	for _, r := range rs {
		if r.Run == nil {
			continue // reported by the loader, not from deployments
		}
		p.rule = r
		if err := r.Run(p); err != nil {
			return nil, fmt.Errorf("%s %s: %w", r.ID, r.Name, err)
		}
	}
	return Dedupe(p.Findings), nil
}

// Dedupe sorts findings by position and drops repeats: several services of
// one compose file that take their tag from one .env line give one finding.
func Dedupe(fs []Finding) []Finding {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Span.File != b.Span.File {
			return a.Span.File < b.Span.File
		}
		if a.Span.Line != b.Span.Line {
			return a.Span.Line < b.Span.Line
		}
		if a.Span.Col != b.Span.Col {
			return a.Span.Col < b.Span.Col
		}
		return a.Rule.ID < b.Rule.ID
	})
	out := fs[:0]
	for i, f := range fs {
		if i > 0 {
			prev := out[len(out)-1]
			if prev.Rule == f.Rule && prev.Span == f.Span && prev.Message == f.Message {
				continue
			}
		}
		out = append(out, f)
	}
	return out
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
