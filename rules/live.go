package rules

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/Masterminds/semver/v3"

	"github.com/wvlint/wvlint/internal/diag"
	"github.com/wvlint/wvlint/internal/pos"
)

// Live rules (group 4xxx) judge a running cluster, as `wvlint preflight`
// reads it: they have a Live function instead of Run, and never see files.

// Cluster is what a preflight read from a running Weaviate server. A field
// that could not be read is nil (or false) and is named in Unread, so a rule
// can say it could not judge instead of passing silently.
type Cluster struct {
	// Version is GET /v1/meta's version; nil when unreadable. VersionText
	// is the text the server sent.
	Version     *semver.Version
	VersionText string
	// Modules are the module names /v1/meta lists ("backup-s3").
	Modules []string

	// Nodes are GET /v1/nodes's entries; NodesRead is false when it could
	// not be read.
	Nodes     []LiveNode
	NodesRead bool

	// Stats is GET /v1/cluster/statistics; nil when unreadable or absent.
	// StatsAbsent is true when the server has no such endpoint (404:
	// servers before 1.25).
	Stats       *LiveStats
	StatsAbsent bool

	// Expected is the node count the cluster must have, 0 when unknown;
	// ExpectedFrom says who says so ("--nodes 3").
	Expected     int
	ExpectedFrom string

	// Backend is the backup backend checked ("s3"); BackendFrom says why
	// ("--backend", "the only backup module enabled").
	Backend     string
	BackendFrom string
	// Backups are GET /v1/backups/{Backend}; BackupsRead is false when the
	// list could not be read, BackupListAbsent when the server has none.
	Backups          []LiveBackup
	BackupsRead      bool
	BackupListAbsent bool
	// BackupID is a backup named with --backup; Backup is its status, nil
	// when unread.
	BackupID string
	Backup   *LiveBackup
	// MaxAge is how old the newest backup may be; Now is the time of the
	// read.
	MaxAge time.Duration
	Now    time.Time

	// To is the version of the next step (--to), nil when not asked; Path
	// is the planner's road from Version to To ("1.35.2 -> 1.36.23"),
	// NextStep its first step, Refused why the planner refuses the move.
	To       *semver.Version
	Path     []string
	NextStep string
	Refused  string
	// Platform is "docker", "kubernetes" or "" (unknown).
	Platform string

	// PlainHTTP is a warning about an unencrypted connection, "" when
	// fine.
	PlainHTTP string

	// Unread lists what could not be read, by endpoint.
	Unread []Unread
}

// LiveNode is one node as GET /v1/nodes reports it.
type LiveNode struct {
	Name, Status, Version string
}

// LiveStats is GET /v1/cluster/statistics.
type LiveStats struct {
	Synchronized bool
	Nodes        []LiveStat
	// Members are the Raft configuration's server IDs (the nodes the
	// cluster was formed with, including stopped ones), sorted; nil when
	// the server did not report them.
	Members []string
}

// LiveStat is one node's statistics entry.
type LiveStat struct {
	Name, Status, RaftState string
	Ready                   bool
}

// LiveBackup is one backup.
type LiveBackup struct {
	ID, Status string
	Started    *time.Time // nil when the server does not say
	Completed  *time.Time
	Error      string
}

// Unread is an endpoint that could not be read.
type Unread struct {
	Endpoint string // "/v1/nodes"
	Err      string
}

// Endpoints the live rules report at.
const (
	EndpointMeta       = "/v1/meta"
	EndpointNodes      = "/v1/nodes"
	EndpointStatistics = "/v1/cluster/statistics"
	EndpointBackups    = "/v1/backups"
	EndpointServer     = "server"
)

// LivePass is what a live rule sees.
type LivePass struct {
	Cluster  *Cluster
	Findings []diag.Diagnostic
	rule     *Rule
}

// Reportf records a finding of the running rule about an endpoint: its
// Span names the endpoint ("/v1/nodes") as File, with no line.
func (p *LivePass) Reportf(endpoint string, sev Severity, format string, args ...any) {
	f := diag.Diagnostic{Rule: p.rule.ID, Severity: sev, Span: pos.Span{File: endpoint}, Message: fmt.Sprintf(format, args...)}
	if v := p.Cluster.Version; v != nil {
		f.From = v.String()
	}
	if p.Cluster.To != nil {
		f.To = p.Cluster.To.String()
	}
	p.Findings = append(p.Findings, f)
}

// RunLive runs the live rules of rs over a cluster, in registry order.
func RunLive(rs []*Rule, c *Cluster) []diag.Diagnostic {
	p := &LivePass{Cluster: c}
	for _, r := range rs {
		if r.Live == nil {
			continue
		}
		p.rule = r
		r.Live(p)
	}
	return p.Findings
}

// names lists quoted names, sorted: server-sent text is always quoted.
func names(ns []string) string {
	ns = append([]string(nil), ns...)
	sort.Strings(ns)
	q := make([]string, len(ns))
	for i, n := range ns {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}

func pluralNodes(n int) string {
	if n == 1 {
		return "1 node"
	}
	return fmt.Sprintf("%d nodes", n)
}
