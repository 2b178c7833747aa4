// Package rules holds wvlint's rules: declarative values with stable IDs
// (WVnnnn) and kebab-case names, documentation, a default severity and a
// Run function, listed in one explicit registry (All).
//
// IDs are grouped by concern: 1xxx the upgrade path, 2xxx image reference
// hygiene, 3xxx deployment configuration, 4xxx the running cluster (live
// preflight checks), 9xxx wvlint itself. An ID is never
// renumbered or reused; a retired rule keeps its slot.
package rules

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/Masterminds/semver/v3"

	"github.com/wvlint/wvlint/internal/catalog"
	"github.com/wvlint/wvlint/internal/diag"
	"github.com/wvlint/wvlint/internal/inventory"
	"github.com/wvlint/wvlint/internal/pos"
	"github.com/wvlint/wvlint/internal/version"
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
	// Answers, for a live rule instead of a file, are what the server
	// answers; Args are the preflight's flags. Endpoints not listed answer
	// 404.
	Answers []Answer
	Args    []string
	URL     string // the server's URL; "" means http://localhost:8080
}

// Answer is a server's answer to GET Path in a live rule's example.
type Answer struct {
	Path   string // "/v1/nodes"
	Status int    // 0 means 200
	Body   string
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
	// Live, for a live rule (group 4xxx), judges a running cluster; such a
	// rule has no Run.
	Live func(p *LivePass)
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
	// Resolved is the release a floating tag stands for today by the
	// catalog (`latest` or no tag: the release that pushed it last; `1.27` or
	// `1.27-<suffix>`: the latest 1.27 patch); nil for other tags. Every
	// rule judges the resolution, and says so (see Reportf).
	Resolved     *semver.Version
	resolvedAsOf string
	// BaseBackups are the wvlint:backup comments the deployment had at the
	// base revision; StaleBackups those of them it still has, which the
	// engine leaves out of Backups: a comment left from an earlier upgrade
	// records that upgrade's backup, not this one's. Only a comment this
	// change adds or changes is evidence.
	BaseBackups, StaleBackups []string
	// TrailersRead is true when the engine read Weaviate-Backup commit
	// trailers for this run (git mode, not --staged): only then is a
	// trailer a way to record a backup.
	TrailersRead bool
}

// To is the deployment's version now, nil when unresolved. For a floating
// tag it is the release the tag stands for today.
func (c *Change) To() *semver.Version {
	if v := c.D.Tag.Version; v != nil {
		return v
	}
	return c.Resolved
}

// ResolveFloating sets Resolved on the changes whose tag floats and that
// the catalog can resolve. It is idempotent; rules.Run calls it, and the
// engine calls it earlier so that backup evidence sees the resolution.
func ResolveFloating(cat *catalog.Catalog, changes []*Change) {
	for _, c := range changes {
		if c.Resolved != nil || c.D.Tag.Version != nil {
			continue
		}
		if v := resolveTag(cat, c.D.Tag); v != nil {
			c.Resolved, c.resolvedAsOf = v, cat.AsOf.Format("2006-01-02")
		}
	}
}

// resolveTag is the release a floating tag stands for today: `latest` (or
// no tag, which Docker reads as latest) the release that pushed `latest`
// last, a minor tag its latest patch. Branch builds (`nightly`, `stable-v1.27-<sha>`) are
// not releases and stay unresolved.
func resolveTag(cat *catalog.Catalog, t version.Tag) *semver.Version {
	switch {
	case t.Kind == version.Missing && t.Reason == version.NoTag,
		t.Kind == version.Floating && strings.EqualFold(t.Raw, "latest"):
		return cat.LatestPushed().Version
	case t.Kind == version.Floating && t.Minor != "" && !strings.HasPrefix(strings.ToLower(t.Raw), "stable"):
		if v, ok := cat.Latest(t.Minor); ok {
			return v
		}
	}
	return nil
}

// RanBefore is the version a deployment at the base revision ran: its
// version, or for a minor tag ("1.27") the latest patch of that minor. A
// base on `latest` ran whatever latest was then: unknown (nil).
func RanBefore(cat *catalog.Catalog, old *inventory.Deployment) *semver.Version {
	if v := old.Tag.Version; v != nil {
		return v
	}
	if old.Tag.Minor != "" {
		return resolveTag(cat, old.Tag)
	}
	return nil
}

// RetargetedNote is what a finding on a kustomize base pin that every
// overlay retargets adds.
func RetargetedNote(by []string) string {
	return "this pin never runs: every kustomization that builds it replaces the version (" + strings.Join(by, ", ") + "), where it is judged"
}

// floatingNote is what a finding judged on a resolved floating tag adds.
func (c *Change) floatingNote() string {
	return fmt.Sprintf("%s stands for %s as of the catalog of %s, and the tag will move again", tagName(c.D.Tag), c.Resolved, c.resolvedAsOf)
}

// tagName quotes a tag for a message; no tag at all is "no tag (latest)".
func tagName(t version.Tag) string {
	if t.Raw == "" {
		return "no tag (latest)"
	}
	return strconv.Quote(t.Raw)
}

// Ephemeral deployments (CI service containers, testcontainers) hold no
// data to migrate: the upgrade-path rules skip them.
func (c *Change) Ephemeral() bool { return c.D.Platform == inventory.Test }

// Upgrade reports whether the change moves to a newer version.
func (c *Change) Upgrade() bool {
	return c.From != nil && c.To() != nil && c.From.LessThan(c.To())
}

// Unchanged reports whether the deployment runs the same version as at
// the base: its single-version warnings are then notes, since the change
// does not make them (as WV1002 does).
func (c *Change) Unchanged() bool {
	return c.From != nil && c.To() != nil && c.From.Equal(c.To())
}

// NextStep reports whether the change is an upgrade to the right next step
// of Weaviate's path: the latest patch of the running minor, or the latest
// patch of the next minor. A version newer than the catalog counts as the
// newest of its minor.
func (c *Change) NextStep(cat *catalog.Catalog) bool {
	if !c.Upgrade() || c.To().Prerelease() != "" {
		return false
	}
	from, to := c.From, c.To()
	if from.Major() != to.Major() || to.Minor() > from.Minor()+1 {
		return false
	}
	if latest, ok := cat.Latest(version.MinorOf(to)); ok && !to.LessThan(latest) {
		return true
	}
	return cat.NewerThanCatalog(to)
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
	msg := fmt.Sprintf(format, args...)
	if c.Resolved != nil && c.D.Tag.Version == nil && p.rule.ID != "WV2001" { // WV2001 says it in its own words
		msg += "; " + c.floatingNote()
	}
	if by := c.D.RetargetedBy; len(by) > 0 {
		// A kustomize base pin every overlay replaces never runs: what
		// the overlays run is judged at their own positions.
		sev = min(sev, Note)
		msg += "; " + RetargetedNote(by)
	}
	f := diag.Diagnostic{Rule: p.rule.ID, Severity: sev, Span: c.D.Span(), Message: msg, Related: c.D.Related, Deployment: c.D.ID}
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
//
// A kustomize base pin every overlay retargets reports nothing there: the
// overlays carry the same settings and are judged on them with the
// versions they run.
func (p *Pass) ReportAtf(c *Change, sp pos.Span, sev Severity, format string, args ...any) {
	if len(c.D.RetargetedBy) > 0 && sp.Valid() {
		return
	}
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
	ResolveFloating(cat, changes)
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
	return shared(diag.Dedupe(p.Findings), changes), nil
}

// shared says on one diagnostic that several deployments gave it at one
// position (three compose nodes that take their tag from one .env line):
// the message counts and names them, and the related locations are all of
// theirs, so that the finding is printed once, not once per node.
func shared(ds []diag.Diagnostic, changes []*Change) []diag.Diagnostic {
	byID := map[string]*Change{}
	for _, c := range changes {
		byID[c.D.ID] = c
	}
	for i := range ds {
		d := &ds[i]
		if len(d.Shared) == 0 {
			continue
		}
		ids := append([]string{d.Deployment}, d.Shared...)
		var names []string
		clusters := map[string]bool{}
		seen := map[diag.Related]bool{}
		for _, r := range d.Related {
			seen[r] = true
		}
		for _, id := range ids {
			name := id
			if j := strings.LastIndexByte(id, '#'); j >= 0 {
				name = id[j+1:]
			}
			names = append(names, name)
			c := byID[id]
			if c == nil {
				clusters[""] = true
				continue
			}
			clusters[c.D.Cluster] = true
			if id == d.Deployment {
				continue
			}
			for _, r := range c.D.Related {
				if !seen[r] {
					seen[r] = true
					d.Related = append(d.Related, r)
				}
			}
		}
		what := "deployments"
		if len(clusters) == 1 && !clusters[""] {
			what = "nodes"
		}
		if len(names) > 5 {
			names = append(names[:5], "...")
		}
		d.Message += fmt.Sprintf(" (shared by %d %s: %s)", len(ids), what, strings.Join(names, ", "))
	}
	return ds
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
		FloatingTag, UnknownVersion, Prerelease, MixedVersions, UnsupportedMinor, KnownIssueRule, VPrefixedTag,
		FilesystemBackupMultinode, RemovedSetting, MissingClusterHostname, RaftVoters, BackupModuleConfig,
		LiveUnreadable, NodeUnhealthy, NodeMissing, LiveMixedVersions, MetadataUnsynchronized, LiveBackupMissing,
		UpgradeStep, PlainHTTP,
		ParseError, MalformedSuppression, UnusedSuppression, NotChecked,
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
