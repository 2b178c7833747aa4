// Package remedy decides which findings wvlint can fix and with what text:
// the version to write at the deployment's span (the text that wins: the
// .env line, the ${VAR:-default} default, the kustomize newTag, the ARG
// default, the workflow env value). A finding it cannot fix safely gets a
// note that says why instead of an edit.
package remedy

import (
	"fmt"
	"sort"
	"strings"

	"github.com/Masterminds/semver/v3"

	"github.com/wvlint/wvlint/internal/catalog"
	"github.com/wvlint/wvlint/internal/diag"
	"github.com/wvlint/wvlint/internal/facts"
	"github.com/wvlint/wvlint/internal/fix"
	"github.com/wvlint/wvlint/internal/inventory"
	"github.com/wvlint/wvlint/internal/plan"
	"github.com/wvlint/wvlint/internal/pos"
	"github.com/wvlint/wvlint/internal/version"
	"github.com/wvlint/wvlint/rules"
)

// Fix is the edit that resolves a finding.
type Fix struct {
	Message string // for people: "use 1.27.27, the latest patch of 1.27"
	Edits   []fix.Edit
}

// Suggestion is what wvlint can do about one finding: a Fix, or a Note
// saying why it writes none. Both are empty for findings no fix concerns.
type Suggestion struct {
	Fix  *Fix
	Note string
}

// Fixable reports whether wvlint writes fixes for a rule.
func Fixable(id string) bool { return priority[id] > 0 }

// priority orders the fixable rules when one deployment has several
// findings: the safest version wins (a downgrade landing, then the next
// step of a skipped path, then a pin for a floating tag, then the latest
// patch).
var priority = map[string]int{
	rules.UnsafeDowngrade.ID: 4,
	rules.SkippedMinor.ID:    3,
	rules.FloatingTag.ID:     2,
	rules.NotLatestPatch.ID:  1,
}

// Target is the version that deployment d of fixable diagnostic f should
// be written at, with the fix message; ok is false with the reason when
// there is none.
func Target(f *diag.Diagnostic, d *inventory.Deployment, cat *catalog.Catalog) (v *semver.Version, msg string, ok bool) {
	if d == nil {
		return nil, "", false
	}
	// The version now: as written, or for a floating tag the release it
	// stands for today, as the rules resolved it (the diagnostic's To).
	to := d.Tag.Version
	if to == nil {
		to, _ = semver.StrictNewVersion(f.To)
	}
	switch f.Rule {
	case rules.NotLatestPatch.ID:
		if to == nil {
			return nil, "no version to move from", false
		}
		l, ok := cat.Latest(version.MinorOf(to))
		if !ok {
			return nil, fmt.Sprintf("the catalog knows no release of %s", version.MinorOf(to)), false
		}
		return l, fmt.Sprintf("use %s, the latest patch of %s", l, version.MinorOf(to)), true
	case rules.SkippedMinor.ID:
		from, err := semver.StrictNewVersion(f.From)
		if err != nil || to == nil {
			return nil, "the versions of the upgrade are not known", false
		}
		end := to
		if l, ok := cat.Latest(version.MinorOf(to)); ok && l.GreaterThan(to) {
			end = l
		}
		ladder, err := plan.Ladder(from, end, cat)
		if err != nil {
			return nil, err.Error(), false
		}
		// The first step is the next minor: staying on from's minor (its
		// latest patch) would not move toward the target.
		for len(ladder) > 1 && ladder[0].Minor() == from.Minor() {
			ladder = ladder[1:]
		}
		first := ladder[0]
		msg := fmt.Sprintf("upgrade to %s first", first)
		if len(ladder) > 1 {
			msg += fmt.Sprintf("; then %s, one change each (wvlint bump walks them)", joinVersions(ladder[1:]))
		}
		return first, msg, true
	case rules.UnsafeDowngrade.ID:
		if to == nil {
			return nil, "no version to move to", false
		}
		landing := facts.DowngradeLanding
		if l, ok := cat.Latest(version.MinorOf(to)); ok && !l.LessThan(landing) {
			landing = l
		}
		return landing, fmt.Sprintf("downgrade to %s instead: it reads the newer Raft snapshots", landing), true
	case rules.FloatingTag.ID:
		return floatingTarget(d.Tag, to, cat)
	}
	return nil, "", false
}

// floatingTarget pins a floating tag to the release it stands for today
// (resolved by the rules through the catalog, shared with every rule that
// judged it): a minor tag's latest patch, or the release that pushed
// `latest` last.
func floatingTarget(t version.Tag, resolved *semver.Version, cat *catalog.Catalog) (*semver.Version, string, bool) {
	switch {
	case resolved == nil:
		return nil, fmt.Sprintf("%q stands for no release the catalog knows: pin the version that runs", t.Raw), false
	case t.Minor != "":
		return resolved, fmt.Sprintf("pin %s, the latest patch of %s today (catalog as of %s)", resolved, t.Minor, cat.AsOf.Format("2006-01-02")), true
	}
	date := ""
	if r, ok := cat.Lookup(resolved); ok {
		date = r.Date.Format("2006-01-02") + "; "
	}
	return resolved, fmt.Sprintf("pin %s, the release \"latest\" points at today: the most recent release build (%scatalog as of %s); check what runs now before you apply it",
		resolved, date, cat.AsOf.Format("2006-01-02")), true
}

func joinVersions(vs []*semver.Version) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = v.String()
	}
	return strings.Join(s, " -> ")
}

// Edit is the edit that writes v at deployment d's version text, or the
// reason there is none: the text at the span must be the tag itself (a
// Helm chart pin or a tag split over a variable is not).
func Edit(d *inventory.Deployment, v *semver.Version) (fix.Edit, string, bool) {
	if in := d.TagInsert; in != nil {
		// No image.tag: the chart's default (or the newest chart's)
		// applies. The fix sets image.tag in the values file that wins,
		// as Weaviate's upgrade steps do (ChartPolicy says why).
		return fix.Edit{Span: in.Span, Old: in.Old, New: in.New(v.String())}, "", true
	}
	sp := d.Span()
	if !sp.Valid() || sp.EndCol <= sp.Col {
		return fix.Edit{}, "the version text has no exact position", false
	}
	text := v.String()
	switch {
	case d.Tag.Kind == version.Missing && d.Raw != "" && d.Raw == d.Image && !strings.ContainsAny(d.Raw, "@$"):
		return fix.Edit{Span: sp, Old: d.Raw, New: d.Raw + ":" + text}, "", true
	case d.Tag.Raw == "" || d.Raw != d.Tag.Raw:
		if d.TagInsertWhy != "" {
			return fix.Edit{}, fmt.Sprintf("image.tag is not set and wvlint cannot add it: %s", d.TagInsertWhy), false
		}
		if d.Chart != "" && d.Raw == d.Chart {
			return fix.Edit{}, fmt.Sprintf("the version is the default of chart %s: set image.tag: %q in the values (Weaviate's upgrade steps set image.tag; a chart version changes more than Weaviate)", d.Chart, text), false
		}
		return fix.Edit{}, fmt.Sprintf("the tag is not written as one piece of text here (%q)", d.Raw), false
	}
	return fix.Edit{Span: sp, Old: d.Raw, New: Text(d.Raw, v)}, "", true
}

// ChartPolicy is what the fix writes for a version that only a Helm
// chart's default sets, and why (docs/rules.md states it).
const ChartPolicy = "A version that only the Helm chart's default sets (no `image.tag`: a Chart.yaml dependency, `helm_release`, Argo CD or Flux chart version, or a values file without the tag) is fixed by setting `image.tag` in the values Helm reads last for that deployment: a values file " +
	"(under the dependency's key, `weaviate.image.tag`, for an umbrella chart), or values written inline as a YAML block mapping (a Flux HelmRelease's `spec.values`, an Argo CD `helm.valuesObject`): merged into an existing block `image:` mapping with its indentation (after `repo:`, quoted as `repo` is) or into a flow mapping on one line (`image: {pullPolicy: Always, tag: 1.27.27}`), or a new `image:` mapping, every other byte kept (CRLF, BOM, comments). " +
	"wvlint does not bump the chart version instead: Weaviate's upgrade steps set `image.tag`, the charts ship only some versions as their default (no chart defaults to a minor's latest patch, nor to 1.31, 1.35 or 1.39), and a chart version changes more than Weaviate (chart 17.0.0 changed the StatefulSet's `podManagementPolicy`). " +
	"Nothing is written, and a note says why, when the values that win are not a YAML mapping in the file (an Argo CD `helm.values` string, `--set`, Terraform HCL or heredocs), when no values are given, or when the shape is ambiguous: a flow mapping over several lines or with nested values, an alias or merge key, `image` written as a string, a new top-level key in a file of several documents."

// Text is v written in the style of the tag it replaces: with a leading
// "v" when the old tag had one.
func Text(old string, v *semver.Version) string {
	if strings.HasPrefix(old, "v") {
		return "v" + v.String()
	}
	return v.String()
}

// Suggest decides the fix of each diagnostic; deps are the run's
// deployments, which diagnostics name by ID. One deployment gets at most
// one fix, from its highest-priority diagnostic; an edit that several
// deployments share (one .env line) is made only when they all need the
// same version, else each diagnostic gets a note naming the conflict.
func Suggest(ds []diag.Diagnostic, deps []inventory.Deployment, cat *catalog.Catalog) []Suggestion {
	byID := make(map[string]*inventory.Deployment, len(deps))
	for i := range deps {
		byID[deps[i].ID] = &deps[i]
	}
	out := make([]Suggestion, len(ds))
	type cand struct {
		i    int // the diagnostic
		d    *inventory.Deployment
		msg  string
		edit fix.Edit
	}
	best := map[*inventory.Deployment]*cand{}
	var order []*inventory.Deployment
	for i := range ds {
		f := &ds[i]
		if f.Deployment == "" || !Fixable(f.Rule) {
			continue
		}
		// A diagnostic stands for every deployment whose identical one was
		// merged into it (services that share one .env line).
		for _, id := range append([]string{f.Deployment}, f.Shared...) {
			d := byID[id]
			if d == nil {
				continue
			}
			if len(d.RetargetedBy) > 0 {
				out[i].Note = "not fixed: this pin never runs (every kustomization that builds it replaces the version): fix the overlays' versions"
				continue
			}
			v, msg, ok := Target(f, d, cat)
			if !ok {
				if msg != "" {
					out[i].Note = "not fixed: " + msg
				}
				continue
			}
			e, why, ok := Edit(d, v)
			if !ok {
				out[i].Note = "not fixed: " + why
				continue
			}
			if in := d.TagInsert; in != nil {
				msg += fmt.Sprintf(" (sets %s in %s)", in.Key, in.Span.File)
			}
			c := &cand{i, d, msg, e}
			prev := best[d]
			switch {
			case prev == nil:
				order = append(order, d)
				best[d] = c
			case prev.i == i:
			case priority[f.Rule] > priority[ds[prev.i].Rule]:
				out[prev.i].Note = fmt.Sprintf("fixed by the %s fix at the same place", f.Rule)
				best[d] = c
			default:
				out[i].Note = fmt.Sprintf("fixed by the %s fix at the same place", ds[prev.i].Rule)
			}
		}
	}
	// Deployments that share version text must agree on what to write.
	bySpan := map[pos.Span][]*cand{}
	var spans []pos.Span
	for _, d := range order {
		c := best[d]
		k := c.edit.Span
		if bySpan[k] == nil {
			spans = append(spans, k)
		}
		bySpan[k] = append(bySpan[k], c)
	}
	for _, k := range spans {
		cs := bySpan[k]
		agree := true
		for _, c := range cs[1:] {
			agree = agree && c.edit.New == cs[0].edit.New
		}
		if agree {
			for _, c := range cs {
				if c.edit.New != c.edit.Old {
					out[c.i].Fix = &Fix{Message: c.msg, Edits: []fix.Edit{c.edit}}
				}
			}
			continue
		}
		var wants []string
		for _, c := range cs {
			wants = append(wants, fmt.Sprintf("%s for %s", c.edit.New, c.d.ID))
		}
		sort.Strings(wants)
		for _, c := range cs {
			out[c.i].Fix = nil
			out[c.i].Note = fmt.Sprintf("not fixed: this text feeds deployments that need different versions (%s): split it or edit it by hand", strings.Join(wants, ", "))
		}
	}
	return out
}

// Attach sets the Fix of each diagnostic from its suggestion, for the
// formats (SARIF fixes, JSON).
func Attach(ds []diag.Diagnostic, sugg []Suggestion) {
	for i, s := range sugg {
		ds[i].Fix, ds[i].FixMessage = nil, ""
		if s.Fix == nil {
			continue
		}
		ds[i].FixMessage = s.Fix.Message
		for _, e := range s.Fix.Edits {
			ds[i].Fix = append(ds[i].Fix, diag.Edit{Span: e.Span, New: e.New})
		}
	}
}
