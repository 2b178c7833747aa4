package preflight

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/wvlint/wvlint/internal/diag"
	"github.com/wvlint/wvlint/internal/format"
	"github.com/wvlint/wvlint/internal/plan"
	"github.com/wvlint/wvlint/rules"
)

// FindingLine is a finding's line in the text output: the endpoint takes
// the place of file:line.
func FindingLine(d diag.Diagnostic) string { return format.Line(d, ruleName(d.Rule)) }

func ruleName(id string) string {
	if r := rules.Lookup(id); r != nil {
		return r.Name
	}
	return ""
}

// Summary is the last line: passed or failed, and what was seen.
func (r *Result) Summary(failOn rules.Severity) string {
	count := map[rules.Severity]int{}
	for _, f := range r.Findings {
		count[f.Severity]++
	}
	var parts []string
	for _, s := range []rules.Severity{rules.Error, rules.Warning, rules.Note} {
		if n := count[s]; n > 0 {
			parts = append(parts, plural(n, s.String()))
		}
	}
	found := "no findings"
	if len(parts) > 0 {
		found = strings.Join(parts, ", ")
	}
	verdict := "preflight passed"
	if r.Failed(failOn) {
		verdict = "preflight failed"
	}
	if r.TimedOut {
		verdict += fmt.Sprintf(" (gave up waiting after %s)", plural(r.Attempts, "attempt"))
	} else if r.Attempts > 1 {
		verdict += fmt.Sprintf(" (after %s)", plural(r.Attempts, "attempt"))
	}
	return fmt.Sprintf("%s: %s; %s", verdict, r.what(), found)
}

func (r *Result) what() string {
	c := r.Cluster
	if c.VersionText == "" && !c.NodesRead {
		return "nothing read from " + r.URL
	}
	v := "(version unread)"
	if c.Version != nil {
		v = c.Version.String()
	} else if c.VersionText != "" {
		v = fmt.Sprintf("%q", c.VersionText)
	}
	if !c.NodesRead {
		return fmt.Sprintf("Weaviate %s at %s", v, r.URL)
	}
	return fmt.Sprintf("Weaviate %s, %s at %s", v, plural(len(c.Nodes), "node"), r.URL)
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// Text writes what was read, the plan (with --to), the findings and the
// summary line.
func Text(w io.Writer, r *Result, failOn rules.Severity) {
	c := r.Cluster
	if c.VersionText != "" {
		fmt.Fprintf(w, "server:   %s, Weaviate %s\n", r.URL, quote(c.VersionText))
	} else {
		fmt.Fprintf(w, "server:   %s\n", r.URL)
	}
	if c.NodesRead {
		var ns []string
		for _, n := range c.Nodes {
			ns = append(ns, fmt.Sprintf("%q %s %s", n.Name, quote(n.Status), quote(n.Version)))
		}
		exp := ""
		if c.Expected > 0 {
			exp = fmt.Sprintf(" (%d expected, %s)", c.Expected, c.ExpectedFrom)
		}
		fmt.Fprintf(w, "nodes:    %d answer%s: %s\n", len(c.Nodes), exp, strings.Join(ns, ", "))
	}
	switch {
	case c.StatsAbsent:
		fmt.Fprintf(w, "metadata: no /v1/cluster/statistics (before 1.25)\n")
	case c.Stats != nil:
		leader := ""
		for _, s := range c.Stats.Nodes {
			if s.RaftState == "Leader" {
				leader = fmt.Sprintf(", leader %q", s.Name)
			}
		}
		sync := "synchronized"
		if !c.Stats.Synchronized {
			sync = "NOT synchronized"
		}
		members := ""
		if len(c.Stats.Members) > 0 {
			members = fmt.Sprintf(", Raft configuration of %d", len(c.Stats.Members))
		}
		report := "report"
		if len(c.Stats.Nodes) == 1 {
			report = "reports"
		}
		fmt.Fprintf(w, "metadata: %s, %s %s statistics%s%s\n", sync, plural(len(c.Stats.Nodes), "node"), report, members, leader)
	}
	switch {
	case c.Backup != nil:
		fmt.Fprintf(w, "backup:   %q on %q is %s\n", c.BackupID, c.Backend, quote(c.Backup.Status))
	case c.BackupsRead:
		fmt.Fprintf(w, "backups:  %d on %q (%s)%s\n", len(c.Backups), c.Backend, c.BackendFrom, newest(c))
	}
	if p := r.Plan; p != nil {
		fmt.Fprintf(w, "plan:     %s\n", strings.Join(c.Path, " -> "))
		for i, s := range p.Steps {
			if i > 0 {
				break // the preflight is about the next step; `wvlint plan` prints the rest
			}
			for _, a := range s.Actions {
				fmt.Fprintf(w, "          - %s: %s\n", a.Kind, a.Text)
			}
		}
	}
	for _, f := range r.Findings {
		fmt.Fprintln(w, FindingLine(f))
	}
	fmt.Fprintln(w, r.Summary(failOn))
}

func newest(c *rules.Cluster) string {
	var best *rules.LiveBackup
	for i := range c.Backups {
		b := &c.Backups[i]
		if b.Status == "SUCCESS" && b.Completed != nil && (best == nil || b.Completed.After(*best.Completed)) {
			best = b
		}
	}
	if best == nil {
		return ""
	}
	return fmt.Sprintf(", newest SUCCESS %q completed %s", best.ID, best.Completed.UTC().Format("2006-01-02 15:04:05 UTC"))
}

// quote shows server text as is when it is a plain word or version, quoted
// otherwise.
func quote(s string) string {
	for _, r := range s {
		plain := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_'
		if !plain {
			return fmt.Sprintf("%q", s)
		}
	}
	if s == "" {
		return `""`
	}
	return s
}

// JSONFinding is one finding in the JSON output.
type JSONFinding struct {
	Rule     string `json:"rule"`
	Name     string `json:"name"`
	Severity string `json:"severity"`
	Endpoint string `json:"endpoint"`
	Message  string `json:"message"`
}

type jsonNode struct {
	Name    string `json:"name"`
	Status  string `json:"status"`
	Version string `json:"version"`
}

type jsonBackup struct {
	ID        string `json:"id"`
	Status    string `json:"status"`
	Completed string `json:"completedAt,omitempty"`
}

// JSON writes the result as one documented object (version 1).
func JSON(w io.Writer, r *Result, failOn rules.Severity) error {
	c := r.Cluster
	out := struct {
		Version  int    `json:"version"`
		URL      string `json:"url"`
		Passed   bool   `json:"passed"`
		Attempts int    `json:"attempts"`
		TimedOut bool   `json:"timedOut"`
		Server   struct {
			Version      string       `json:"version"`
			Nodes        []jsonNode   `json:"nodes"`
			Expected     int          `json:"expectedNodes"`
			ExpectedFrom string       `json:"expectedNodesFrom"`
			Synchronized *bool        `json:"synchronized"`
			Leader       string       `json:"raftLeader"`
			StatsNodes   *int         `json:"statisticsNodes"`
			RaftMembers  []string     `json:"raftMembers"`
			Backend      string       `json:"backend"`
			Backups      []jsonBackup `json:"backups"`
		} `json:"server"`
		Plan     *plan.Plan    `json:"plan"`
		Findings []JSONFinding `json:"findings"`
	}{Version: 1, URL: r.URL, Passed: !r.Failed(failOn), Attempts: r.Attempts, TimedOut: r.TimedOut, Plan: r.Plan, Findings: []JSONFinding{}}
	s := &out.Server
	s.Version, s.Expected, s.ExpectedFrom, s.Backend = c.VersionText, c.Expected, c.ExpectedFrom, c.Backend
	s.Nodes, s.RaftMembers, s.Backups = []jsonNode{}, []string{}, []jsonBackup{}
	for _, n := range c.Nodes {
		s.Nodes = append(s.Nodes, jsonNode(n))
	}
	if c.Stats != nil {
		sync, n := c.Stats.Synchronized, len(c.Stats.Nodes)
		s.Synchronized, s.StatsNodes = &sync, &n
		s.RaftMembers = append(s.RaftMembers, c.Stats.Members...)
		for _, st := range c.Stats.Nodes {
			if st.RaftState == "Leader" {
				s.Leader = st.Name
			}
		}
	}
	bs := c.Backups
	if c.Backup != nil {
		bs = []rules.LiveBackup{*c.Backup}
	}
	for _, b := range bs {
		jb := jsonBackup{ID: b.ID, Status: b.Status}
		if b.Completed != nil {
			jb.Completed = b.Completed.UTC().Format("2006-01-02T15:04:05Z")
		}
		s.Backups = append(s.Backups, jb)
	}
	for _, f := range r.Findings {
		out.Findings = append(out.Findings, JSONFinding{Rule: f.Rule, Name: ruleName(f.Rule), Severity: f.Severity.String(), Endpoint: f.Span.File, Message: f.Message})
	}
	// As wvlint's other JSON: "->" stays "->", and what a terminal would
	// act on in the server's text is escaped.
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := w.Write(format.EscapeJSON(b.Bytes()))
	return err
}
