// Package preflight checks a running Weaviate cluster before an upgrade
// step: it reads the server through weaviateapi, turns the answers into a
// rules.Cluster, and runs the live rules (group 4xxx) over it. Wait repeats
// that until the checks pass or a deadline ends, as weaviate-local-k8s's
// `wait_for_raft_sync` polls /v1/cluster/statistics.
package preflight

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/Masterminds/semver/v3"

	"github.com/wvlint/wvlint/internal/catalog"
	"github.com/wvlint/wvlint/internal/compare"
	"github.com/wvlint/wvlint/internal/config"
	"github.com/wvlint/wvlint/internal/diag"
	"github.com/wvlint/wvlint/internal/facts"
	"github.com/wvlint/wvlint/internal/plan"
	"github.com/wvlint/wvlint/internal/weaviateapi"
	"github.com/wvlint/wvlint/rules"
)

// Options say what to check.
type Options struct {
	Client *weaviateapi.Client
	// Nodes is the node count the cluster must have, 0 when unknown;
	// NodesFrom says who says so ("--nodes 3", "deploy/values.yaml").
	Nodes     int
	NodesFrom string
	// Backend is the backup backend ("s3"); "" picks the one backup module
	// /v1/meta lists. Backup is a backup ID to check instead of the list.
	Backend string
	Backup  string
	MaxAge  time.Duration // default 24h
	// To is the version of the next step; nil for none.
	To       *semver.Version
	Platform plan.Platform
	Catalog  *catalog.Catalog
	Rules    []*rules.Rule // the live ones run; default rules.All()
	// Config turns rules off and re-grades them, as for the files
	// (.wvlint.yaml rules:); nil for none.
	Config *config.Config
	Now    func() time.Time
}

// Result is one read of the cluster and the findings about it.
type Result struct {
	URL      string
	Cluster  *rules.Cluster
	Plan     *plan.Plan // nil without --to or an unread version
	Findings []diag.Diagnostic
	// Attempts is how many reads Wait made (1 for Check).
	Attempts int
	// TimedOut is true when Wait's deadline ended before the checks passed.
	TimedOut bool
}

// backupModules are the backup modules, by backend name.
var backupModules = map[string]string{
	"backup-filesystem": "filesystem", "backup-s3": "s3", "backup-gcs": "gcs", "backup-azure": "azure",
}

// Check reads the cluster once and runs the live rules.
func Check(ctx context.Context, opt Options) *Result {
	now := time.Now
	if opt.Now != nil {
		now = opt.Now
	}
	maxAge := opt.MaxAge
	if maxAge <= 0 {
		maxAge = 24 * time.Hour
	}
	cl := opt.Client
	c := &rules.Cluster{Expected: opt.Nodes, ExpectedFrom: opt.NodesFrom, MaxAge: maxAge, To: opt.To,
		Platform: string(opt.Platform), PlainHTTP: cl.PlainHTTPWarning()}
	if c.Expected > 0 && c.ExpectedFrom == "" {
		c.ExpectedFrom = fmt.Sprintf("--nodes %d", c.Expected)
	}
	unread := func(endpoint string, err error) {
		c.Unread = append(c.Unread, rules.Unread{Endpoint: endpoint, Err: err.Error()})
	}

	res := &Result{URL: weaviateapi.Redacted(cl.Base()), Cluster: c, Attempts: 1}
	rs := opt.Rules
	if rs == nil {
		rs = opt.Config.Apply(rules.All())
	}
	if m, err := cl.Meta(ctx); err != nil {
		if weaviateapi.NoAnswer(err) {
			// No HTTP answer at all (refused, timed out, TLS, a refused
			// redirect): the other endpoints would say the same. An
			// answer that is not Weaviate's is that endpoint's alone.
			unread(rules.EndpointServer, err)
			c.Now = now()
			res.Findings = configure(opt.Config, rules.RunLive(rs, c))
			return res
		}
		unread(rules.EndpointMeta, err)
	} else {
		c.VersionText = m.Version
		if v, err := semver.StrictNewVersion(strings.TrimPrefix(m.Version, "v")); err == nil {
			c.Version = v
		} else {
			unread(rules.EndpointMeta, fmt.Errorf("GET /v1/meta: version %q is not a Weaviate version", m.Version))
		}
		c.Modules = []string{}
		for name := range m.Modules {
			c.Modules = append(c.Modules, name)
		}
		sort.Strings(c.Modules)
	}

	if n, err := cl.Nodes(ctx); err != nil {
		unread(rules.EndpointNodes, err)
	} else {
		c.NodesRead = true
		for _, node := range n.Nodes {
			c.Nodes = append(c.Nodes, rules.LiveNode{Name: node.Name, Status: node.Status, Version: node.Version})
		}
	}

	switch s, err := cl.Statistics(ctx); {
	case weaviateapi.NotFound(err):
		c.StatsAbsent = true
	case err != nil:
		unread(rules.EndpointStatistics, err)
	default:
		c.Stats = liveStats(s)
	}

	readBackups(ctx, cl, opt, c, unread)
	c.Now = now()

	if opt.To != nil && c.Version != nil && opt.Catalog != nil {
		p := plan.Make(c.Version, opt.To, plan.Options{Platform: opt.Platform, Nodes: max(opt.Nodes, len(c.Nodes))}, opt.Catalog)
		res.Plan = p
		c.Path = []string{p.From}
		for _, s := range p.Steps {
			c.Path = append(c.Path, s.Version)
		}
		if len(p.Steps) > 0 {
			c.NextStep = p.Steps[0].Version
		}
		c.Refused = p.Refused
	}
	res.Findings = configure(opt.Config, rules.RunLive(rs, c))
	return res
}

// configure grades findings as the configuration says.
func configure(cfg *config.Config, ds []diag.Diagnostic) []diag.Diagnostic {
	for i := range ds {
		if r := rules.Lookup(ds[i].Rule); r != nil {
			ds[i].Severity = cfg.Severity(r, ds[i].Severity)
		}
	}
	return ds
}

func liveStats(s *weaviateapi.ClusterStatistics) *rules.LiveStats {
	ls := &rules.LiveStats{Synchronized: s.Synchronized}
	members := map[string]bool{}
	for _, st := range s.Statistics {
		ls.Nodes = append(ls.Nodes, rules.LiveStat{Name: st.Name, Status: st.Status, RaftState: st.Raft.State, Ready: st.Ready})
		if servers, ok := st.Raft.Members(); ok {
			for _, sv := range servers {
				members[sv.ID] = true
			}
		}
	}
	for m := range members {
		ls.Members = append(ls.Members, m)
	}
	sort.Strings(ls.Members)
	return ls
}

func readBackups(ctx context.Context, cl *weaviateapi.Client, opt Options, c *rules.Cluster, unread func(string, error)) {
	backend, id := opt.Backend, ""
	if opt.Backup != "" {
		b, i, ok := strings.Cut(opt.Backup, "/")
		if ok {
			backend, id = b, i
		}
	}
	switch {
	case backend != "":
		c.Backend, c.BackendFrom = backend, "--backend"
		if id != "" {
			c.BackendFrom = "--backup"
		}
	case c.Modules != nil:
		var found []string
		for _, m := range c.Modules {
			if b, ok := backupModules[m]; ok {
				found = append(found, b)
			}
		}
		switch len(found) {
		case 0:
			return // the rule says no module is enabled
		case 1:
			c.Backend, c.BackendFrom = found[0], "the only backup module enabled"
		default:
			c.BackendFrom = "several backup modules are enabled (" + strings.Join(found, ", ") + ")"
			return
		}
	default:
		return // /v1/meta unread
	}
	endpoint := rules.EndpointBackups + "/" + c.Backend
	if id != "" {
		c.BackupID = id
		b, err := cl.Backup(ctx, c.Backend, id)
		switch {
		case weaviateapi.NotFound(err):
			unread(endpoint+"/"+id, fmt.Errorf("no backup %q on backend %q (HTTP 404)", id, c.Backend))
		case err != nil:
			unread(endpoint+"/"+id, err)
		default:
			c.Backup = &rules.LiveBackup{ID: b.ID, Status: b.Status, Started: b.StartedAt, Completed: b.CompletedAt, Error: b.Error}
		}
		return
	}
	l, err := cl.Backups(ctx, c.Backend)
	var se *weaviateapi.StatusError
	switch {
	case errors.As(err, &se) && (se.Code == 404 || se.Code == 405) && c.Version != nil && !facts.HasBackupList(c.Version):
		c.BackupListAbsent = true
	case err != nil:
		unread(endpoint, err)
	default:
		c.BackupsRead = true
		for _, b := range l {
			c.Backups = append(c.Backups, rules.LiveBackup{ID: b.ID, Status: b.Status, Started: b.StartedAt, Completed: b.CompletedAt})
		}
	}
}

// Failed reports whether any finding is at or above sev.
func (r *Result) Failed(sev rules.Severity) bool {
	for _, f := range r.Findings {
		if f.Severity >= sev {
			return true
		}
	}
	return false
}

// Progress is told about each attempt of Wait that did not pass yet: the
// attempt's result and the pause before the next.
type Progress func(r *Result, next time.Duration)

// Wait checks until no finding is at or above failOn or until timeout, with
// an exponential backoff from 1s to 15s between reads. The last result is
// returned; TimedOut says it did not pass. A read is never cut short by the
// deadline (its requests have their own timeouts): the last one starts at
// the deadline at the latest, so that what it reports is a whole answer.
func Wait(ctx context.Context, opt Options, timeout time.Duration, failOn rules.Severity, progress Progress) *Result {
	deadline := time.Now().Add(timeout)
	pause := time.Second
	for attempt := 1; ; attempt++ {
		r := Check(ctx, opt)
		r.Attempts = attempt
		if !r.Failed(failOn) {
			return r
		}
		left := time.Until(deadline)
		if left <= 0 || ctx.Err() != nil {
			r.TimedOut = true
			return r
		}
		wait := min(pause, left)
		if progress != nil {
			progress(r, wait)
		}
		select {
		case <-ctx.Done():
			r.TimedOut = true
			return r
		case <-time.After(wait):
		}
		pause = min(pause*2, 15*time.Second)
	}
}

// Running reads what a cluster runs, for `wvlint --live`: the nodes that
// answer and the oldest version among them (a rollout half done is judged
// from where it started; Mixed says so).
func Running(ctx context.Context, cl *weaviateapi.Client) (*compare.Live, error) {
	n, err := cl.Nodes(ctx)
	if err != nil {
		return nil, err
	}
	l := &compare.Live{URL: weaviateapi.Redacted(cl.Base()), Nodes: len(n.Nodes)}
	var seen []string
	for _, node := range n.Nodes {
		v, err := semver.StrictNewVersion(strings.TrimPrefix(node.Version, "v"))
		if err != nil {
			return nil, fmt.Errorf("GET /v1/nodes: node %q runs %q, not a Weaviate version", node.Name, node.Version)
		}
		if l.Version == nil || v.LessThan(l.Version) {
			l.Version = v
		}
		if !slices.Contains(seen, v.String()) {
			seen = append(seen, v.String())
		}
	}
	if l.Version == nil {
		return nil, errors.New("GET /v1/nodes: no node answers")
	}
	if len(seen) > 1 {
		sort.Slice(seen, func(i, j int) bool { return semver.MustParse(seen[i]).LessThan(semver.MustParse(seen[j])) })
		l.Mixed = strings.Join(seen, " and ")
	}
	return l, nil
}
