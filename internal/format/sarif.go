package format

// SARIF 2.1.0 for GitHub code scanning: rules from the registry, full
// regions in code points, URIs relative to the repository root, wvlint's
// own fingerprints. Files that could not be read or parsed (WV9001) are
// results like any other, so that they show as alerts on the pull request
// at their file and line, can be dismissed, suppressed and baselined; the
// invocation is then marked executionSuccessful: false, as the run could
// not check everything, and each such file is a tool notification as well.
// Notifications also carry what concerns the run rather than a file (the
// result cap, a problem that stopped the run before any file was read). Suppressed diagnostics are left
// out (GitHub ignores SARIF suppressions and would show them as open
// alerts).

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"

	"github.com/wvlint/wvlint/internal/diag"
	"github.com/wvlint/wvlint/internal/relpath"
	"github.com/wvlint/wvlint/internal/ruledoc"
	"github.com/wvlint/wvlint/rules"
)

// GitHub's ingestion limits.
const (
	MaxResults     = 25000
	MaxGzipBytes   = 10 << 20
	schemaURI      = "https://json.schemastore.org/sarif-2.1.0.json"
	informationURI = "https://github.com/wvlint/wvlint"
)

type message struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type artifactLocation struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type region struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

type physicalLocation struct {
	ArtifactLocation artifactLocation `json:"artifactLocation"`
	Region           *region          `json:"region,omitempty"`
}

type location struct {
	ID               *int             `json:"id,omitempty"`
	PhysicalLocation physicalLocation `json:"physicalLocation"`
	Message          *message         `json:"message,omitempty"`
}

type result struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             message           `json:"message"`
	Locations           []location        `json:"locations"`
	RelatedLocations    []location        `json:"relatedLocations,omitempty"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Fixes               []sarifFix        `json:"fixes,omitempty"`
}

// sarifFix is a diagnostic's fix: the replacements in each file, regions
// in code points like every region of the run.
type sarifFix struct {
	Description     *message         `json:"description,omitempty"`
	ArtifactChanges []artifactChange `json:"artifactChanges"`
}

type artifactChange struct {
	ArtifactLocation artifactLocation `json:"artifactLocation"`
	Replacements     []replacement    `json:"replacements"`
}

type replacement struct {
	DeletedRegion   region          `json:"deletedRegion"`
	InsertedContent artifactContent `json:"insertedContent"`
}

type artifactContent struct {
	Text string `json:"text"`
}

type reportingDescriptor struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name"`
	ShortDescription     message        `json:"shortDescription"`
	FullDescription      message        `json:"fullDescription"`
	Help                 message        `json:"help"`
	HelpURI              string         `json:"helpUri"`
	DefaultConfiguration map[string]any `json:"defaultConfiguration"`
	Properties           map[string]any `json:"properties"`
}

type notification struct {
	Level     string     `json:"level"`
	Message   message    `json:"message"`
	Locations []location `json:"locations,omitempty"`
}

type invocation struct {
	ExecutionSuccessful        bool           `json:"executionSuccessful"`
	ToolExecutionNotifications []notification `json:"toolExecutionNotifications,omitempty"`
}

type sarifRun struct {
	Tool struct {
		Driver struct {
			Name            string                `json:"name"`
			SemanticVersion string                `json:"semanticVersion"`
			InformationURI  string                `json:"informationUri"`
			Rules           []reportingDescriptor `json:"rules"`
		} `json:"driver"`
	} `json:"tool"`
	AutomationDetails *struct {
		ID string `json:"id"`
	} `json:"automationDetails,omitempty"`
	Invocations []invocation `json:"invocations"`
	ColumnKind  string       `json:"columnKind"`
	Results     []result     `json:"results"`
}

var semverRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)(?:\+[0-9A-Za-z.-]+)?$`)
})

func level(s diag.Severity) string {
	switch s {
	case diag.Error:
		return "error"
	case diag.Warning:
		return "warning"
	}
	return "note"
}

// SARIF writes one SARIF log with one run.
func SARIF(w io.Writer, rs []*rules.Rule, ds []diag.Diagnostic, run *Run) error {
	r := build(rs, ds, run, len(ds))
	data, err := marshal(r)
	if err != nil {
		return err
	}
	// Keep within GitHub's upload limit: halve the results until the
	// gzipped log fits, and say so.
	for n := len(r.Results); n > 0 && gzipSize(data) > MaxGzipBytes; {
		n /= 2
		r = build(rs, ds, run, n)
		if data, err = marshal(r); err != nil {
			return err
		}
	}
	_, err = w.Write(data)
	return err
}

func marshal(r sarifRun) ([]byte, error) {
	log := map[string]any{"$schema": schemaURI, "version": "2.1.0", "runs": []sarifRun{r}}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	err := enc.Encode(log)
	return EscapeJSON(b.Bytes()), err
}

func gzipSize(data []byte) int {
	var b bytes.Buffer
	z := gzip.NewWriter(&b)
	_, _ = z.Write(data)
	_ = z.Close()
	return b.Len()
}

func build(rs []*rules.Rule, ds []diag.Diagnostic, opt *Run, limit int) sarifRun {
	var r sarifRun
	d := &r.Tool.Driver
	d.Name, d.InformationURI = "wvlint", informationURI
	d.SemanticVersion = "0.0.0-dev"
	if m := semverRE().FindStringSubmatch(opt.Version); m != nil {
		d.SemanticVersion = m[1]
	}
	index := map[string]int{}
	// Every result's rule is in the table, even one the run was not
	// given (WV9001 comes from the loader).
	rs = append([]*rules.Rule(nil), rs...)
	have := map[string]bool{}
	for _, rule := range rs {
		have[rule.ID] = true
	}
	for _, dg := range ds {
		if rule := rules.Lookup(dg.Rule); rule != nil && !have[dg.Rule] {
			have[dg.Rule] = true
			rs = append(rs, rule)
		}
	}
	for i, rule := range rs {
		index[rule.ID] = i
		precision := "very-high"
		if rule.Severity == rules.Note {
			precision = "medium"
		}
		problem := map[rules.Severity]string{rules.Error: "error", rules.Warning: "warning", rules.Note: "recommendation"}[rule.Severity]
		d.Rules = append(d.Rules, reportingDescriptor{
			ID: rule.ID, Name: rule.Name,
			ShortDescription: message{Text: rule.Title},
			FullDescription:  message{Text: rule.Doc.Why},
			Help: message{Text: rule.Doc.Why + "\n\nHow to fix: " + rule.Doc.Fix + "\n\nSource: " + rule.Doc.Source,
				Markdown: ruledoc.Markdown(rule)},
			HelpURI:              ruledoc.HelpURI(rule),
			DefaultConfiguration: map[string]any{"level": level(rule.Severity)},
			Properties:           map[string]any{"tags": append([]string{"weaviate"}, rule.Tags...), "precision": precision, "problem.severity": problem},
		})
	}
	if opt.Category != "" {
		id := opt.Category
		if !strings.Contains(id, "/") {
			id += "/"
		}
		r.AutomationDetails = &struct {
			ID string `json:"id"`
		}{id}
	}
	r.ColumnKind = "unicodeCodePoints"
	r.Results = []result{}
	// A file that could not be read or parsed is a result (an alert at its
	// place) and, as the run could not check it, a tool notification too:
	// code scanning's tool status page lists them.
	names := relpath.NewNames(opt.Root, opt.Dir)
	inv := invocation{ExecutionSuccessful: len(opt.Problems) == 0}
	for _, p := range opt.Problems {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, notification{Level: "error",
			Message: message{Text: p}})
	}
	for _, d := range ds {
		if d.Rule == rules.ParseError.ID {
			inv.ExecutionSuccessful = false
			inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, notification{Level: "error",
				Message:   message{Text: d.Message},
				Locations: []location{{PhysicalLocation: phys(names, d.Span.File, d.Span.Line, d.Span.Col, d.Span.EndCol)}}})
		}
	}
	findings := ds
	if len(findings) > MaxResults {
		limit = min(limit, MaxResults)
	}
	if limit < len(findings) {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, notification{Level: "warning",
			Message: message{Text: fmt.Sprintf("%d findings, more than GitHub accepts in one upload: only the first %d are included", len(findings), limit)}})
		findings = findings[:limit]
	}
	for _, f := range findings {
		res := result{RuleID: f.Rule, RuleIndex: index[f.Rule], Level: level(f.Severity),
			PartialFingerprints: map[string]string{"primaryLocationLineHash": f.Fingerprint}}
		text := f.Message
		for i, rel := range f.Related {
			id := i + 1
			text += fmt.Sprintf(" ([%s](%d))", escapeLink(rel.Message), id)
			res.RelatedLocations = append(res.RelatedLocations, location{ID: &id,
				PhysicalLocation: phys(names, rel.File, rel.Line, rel.Column, 0), Message: &message{Text: rel.Message}})
		}
		res.Message = message{Text: text}
		res.Locations = []location{{PhysicalLocation: phys(names, f.Span.File, f.Span.Line, f.Span.Col, f.Span.EndCol)}}
		if fx := fixOf(names, f.Fix); fx != nil {
			if f.FixMessage != "" {
				fx.Description = &message{Text: f.FixMessage}
			}
			res.Fixes = []sarifFix{*fx}
		}
		r.Results = append(r.Results, res)
	}
	r.Invocations = []invocation{inv}
	return r
}

// fixOf turns a diagnostic's edits into one SARIF fix, grouped by file in
// the order the edits name them; nil when there are none. A region may be
// empty (an insertion): startColumn == endColumn.
func fixOf(names *relpath.Names, edits []diag.Edit) *sarifFix {
	if len(edits) == 0 {
		return nil
	}
	fx := &sarifFix{}
	at := map[string]int{}
	for _, e := range edits {
		i, ok := at[e.Span.File]
		if !ok {
			i = len(fx.ArtifactChanges)
			at[e.Span.File] = i
			fx.ArtifactChanges = append(fx.ArtifactChanges, artifactChange{ArtifactLocation: artifactLocation{URI: uri(names.Display(e.Span.File))}})
		}
		fx.ArtifactChanges[i].Replacements = append(fx.ArtifactChanges[i].Replacements, replacement{
			DeletedRegion:   region{StartLine: e.Span.Line, StartColumn: e.Span.Col, EndLine: e.Span.Line, EndColumn: e.Span.EndCol},
			InsertedContent: artifactContent{Text: e.New},
		})
	}
	return fx
}

// escapeLink keeps a related message from closing the link text early.
func escapeLink(s string) string {
	return strings.NewReplacer(`\`, `\\`, `[`, `\[`, `]`, `\]`).Replace(s)
}

func phys(names *relpath.Names, file string, line, col, endCol int) physicalLocation {
	p := physicalLocation{ArtifactLocation: artifactLocation{URI: uri(names.Display(file))}}
	if line > 0 {
		rg := &region{StartLine: line}
		if col > 0 {
			rg.StartColumn, rg.EndLine = col, line
			rg.EndColumn = max(endCol, col+1)
		}
		p.Region = rg
	}
	return p
}

// uri makes a path a valid URI reference (RFC 3986 relative-ref): every
// byte outside the unreserved and path characters percent-encoded (so a
// name holding "%", "?", "#", a space, a newline or invalid UTF-8 stays a
// path), and "./" before a first segment that holds a colon, which would
// otherwise read as a scheme ("::error title=x::y.yml", "c:x.yml").
func uri(p string) string {
	var b strings.Builder
	for _, c := range []byte(p) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~/!$&'()*+,;=:@", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	u := b.String()
	if first, _, _ := strings.Cut(u, "/"); strings.Contains(first, ":") {
		u = "./" + u
	}
	return u
}
