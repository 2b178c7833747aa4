package rules_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/Masterminds/semver/v3"

	"github.com/wvlint/wvlint/rules"
)

var now = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)

func ago(d time.Duration) *time.Time { t := now.Add(-d); return &t }

// healthy3 is a 3-node 1.35.2 cluster as a real one reads when all is well.
func healthy3() *rules.Cluster {
	return &rules.Cluster{
		Version: semver.MustParse("1.35.2"), VersionText: "1.35.2", Modules: []string{"backup-s3"},
		NodesRead: true,
		Nodes: []rules.LiveNode{
			{Name: "weaviate-0", Status: "HEALTHY", Version: "1.35.2"},
			{Name: "weaviate-1", Status: "HEALTHY", Version: "1.35.2"},
			{Name: "weaviate-2", Status: "HEALTHY", Version: "1.35.2"},
		},
		Stats: &rules.LiveStats{Synchronized: true, Members: []string{"weaviate-0", "weaviate-1", "weaviate-2"},
			Nodes: []rules.LiveStat{{Name: "weaviate-0", RaftState: "Leader"}, {Name: "weaviate-1", RaftState: "Follower"}, {Name: "weaviate-2", RaftState: "Follower"}}},
		Backend: "s3", BackendFrom: "the only backup module enabled", BackupsRead: true,
		Backups: []rules.LiveBackup{{ID: "old", Status: "SUCCESS", Completed: ago(72 * time.Hour)}, {ID: "fresh", Status: "SUCCESS", Completed: ago(time.Hour)}},
		MaxAge:  24 * time.Hour, Now: now,
	}
}

// TestLiveRules runs the live rules over clusters derived from a healthy
// one; want lists "ID severity: message regexp" for every finding.
func TestLiveRules(t *testing.T) {
	tests := []struct {
		name   string
		change func(c *rules.Cluster)
		want   []string
	}{
		{"healthy", func(c *rules.Cluster) {}, nil},
		{"unread nodes", func(c *rules.Cluster) {
			c.NodesRead, c.Nodes = false, nil
			c.Unread = []rules.Unread{{Endpoint: "/v1/nodes", Err: "GET /v1/nodes: no answer within 10s"}}
		}, []string{`WV4001 error: could not read GET /v1/nodes: no answer within 10s; what depends on it is not judged`}},
		{"unhealthy", func(c *rules.Cluster) { c.Nodes[1].Status = "UNHEALTHY"; c.Nodes[2].Status = "weird\nstatus" }, []string{
			`WV4002 error: node "weaviate-1" is UNHEALTHY;`, `WV4002 error: node "weaviate-2" is "weird\\nstatus";`}},
		{"stopped node named from Raft", func(c *rules.Cluster) { c.Nodes = c.Nodes[:2]; c.Stats.Nodes = c.Stats.Nodes[:2] }, []string{
			`WV4003 error: node "weaviate-2" is in the Raft configuration but does not answer \(2 of 3 nodes, the Raft configuration, answer\)`,
			`WV4005 error: 2 of 3 nodes \(the Raft configuration\) report statistics`}},
		{"--nodes without Raft members", func(c *rules.Cluster) {
			c.Stats.Members = nil
			c.Expected, c.ExpectedFrom = 4, "--nodes 4"
		}, []string{`WV4003 error: 3 of 4 nodes \(--nodes 4\) answer`, `WV4005 error: 3 of 4 nodes \(--nodes 4\) report statistics`}},
		{"more than expected", func(c *rules.Cluster) { c.Expected, c.ExpectedFrom = 2, "--nodes 2" }, []string{
			`WV4003 warning: 3 nodes answer but --nodes 2 says 2`}},
		{"nothing says the count", func(c *rules.Cluster) {
			c.Stats = nil
			c.StatsAbsent = true
			c.Version = semver.MustParse("1.24.26")
			c.VersionText = "1.24.26"
		}, []string{
			`WV4003 note: 3 nodes answer, and nothing says how many`,
			`^WV4005 note: 1\.24\.26 has no GET /v1/cluster/statistics \(it came with Raft in 1\.25\): metadata sync is not checked; after the move to 1\.25 it must list every node with synchronized: true$`}},
		{"mixed versions", func(c *rules.Cluster) { c.Nodes[0].Version = "1.36.23" }, []string{
			`WV4004 error: the nodes run different versions: 1.35.2 on "weaviate-1", "weaviate-2"; 1.36.23 on "weaviate-0";`}},
		{"unsynchronized", func(c *rules.Cluster) { c.Stats.Synchronized = false }, []string{
			`WV4005 error: cluster metadata is not synchronized`}},
		{"no Raft leader", func(c *rules.Cluster) {
			c.Stats.Nodes[0].RaftState, c.Stats.Nodes[2].RaftState = "Candidate", "weird\nstate"
		}, []string{`WV4005 error: no node reports being the Raft leader \("weaviate-0" Candidate, "weaviate-1" Follower, "weaviate-2" "weird\\nstate"\): cluster metadata cannot change until one is elected`}},
		{"backup too old", func(c *rules.Cluster) { c.Backups = c.Backups[:1] }, []string{
			`WV4006 error: the newest SUCCESS backup on "s3" is "old" from 2026-11-28 10:00 UTC, older than --backup-max-age 24h`}},
		{"no success", func(c *rules.Cluster) { c.Backups = []rules.LiveBackup{{ID: "b", Status: "FAILED"}} }, []string{
			`WV4006 error: no SUCCESS backup on "s3" \(1 listed\)`}},
		{"untimed backups", func(c *rules.Cluster) { c.Backups = []rules.LiveBackup{{ID: "b", Status: "SUCCESS"}} }, []string{
			`WV4006 warning: "s3" lists 1 SUCCESS backups but this server does not say when`}},
		{"no backup module", func(c *rules.Cluster) { c.Backend, c.BackendFrom, c.Modules, c.BackupsRead = "", "", []string{}, false }, []string{
			`WV4006 error: no backup module is enabled`}},
		{"no list on old server", func(c *rules.Cluster) {
			c.Version, c.VersionText, c.BackupsRead, c.BackupListAbsent = semver.MustParse("1.26.3"), "1.26.3", false, true
		}, []string{`^WV4006 error: this server \(1\.26\.3\) cannot list backups \(GET /v1/backups/\{backend\} exists from 1\.24\.25, 1\.25\.17, 1\.26\.5 and 1\.27\.0\): the backup is not checked; pass --backup s3/ID for the one you took$`}},
		{"--backup failed", func(c *rules.Cluster) {
			c.BackupID, c.Backup = "pre", &rules.LiveBackup{ID: "pre", Status: "FAILED", Error: "bucket gone"}
		}, []string{`WV4006 error: backup "pre" on "s3" is FAILED, not SUCCESS \("bucket gone"\)`}},
		{"--backup untimed", func(c *rules.Cluster) {
			c.BackupID, c.Backup = "pre", &rules.LiveBackup{ID: "pre", Status: "SUCCESS"}
		}, []string{`WV4006 note: backup "pre" is SUCCESS, but this server does not say when`}},
		{"--to skips a minor", func(c *rules.Cluster) {
			c.To, c.Path, c.NextStep = semver.MustParse("1.37.14"), []string{"1.35.2", "1.36.23", "1.37.14"}, "1.36.23"
		}, []string{`WV4007 error: 1.35.2 -> 1.37.14 skips a step: the path is 1.35.2 -> 1.36.23 -> 1.37.14; take the step to 1.36.23 first`}},
		{"--to next step", func(c *rules.Cluster) {
			c.To, c.Path, c.NextStep = semver.MustParse("1.36.23"), []string{"1.35.2", "1.36.23"}, "1.36.23"
		}, nil},
		{"--to refused", func(c *rules.Cluster) {
			c.To, c.Refused = semver.MustParse("1.27.20"), "refused: a multi-node cluster on 1.35.2 may never become Ready on 1.27.20"
		}, []string{`WV4007 error: 1.35.2 -> 1.27.20 is refused: refused: a multi-node`}},
		{"raft migration and restore fix", func(c *rules.Cluster) {
			c.Version, c.VersionText, c.Stats, c.StatsAbsent = semver.MustParse("1.23.10"), "1.23.10", nil, true
			c.To, c.NextStep, c.Platform = semver.MustParse("1.25.34"), "1.23.16", "kubernetes"
			c.Path = []string{"1.23.10", "1.23.16", "1.24.26", "1.25.34"}
		}, []string{
			`WV4003 note:`, `WV4005 note:`, `WV4007 error: 1.23.10 -> 1.25.34 skips a step`,
			`WV4007 warning: the running 1.23.10 has the backup-restore bug`}},
		{"raft migration next", func(c *rules.Cluster) {
			c.Version, c.VersionText, c.Stats, c.StatsAbsent = semver.MustParse("1.24.26"), "1.24.26", nil, true
			c.Expected, c.ExpectedFrom = 3, "--nodes 3"
			c.To, c.NextStep, c.Platform, c.Path = semver.MustParse("1.25.34"), "1.25.34", "kubernetes", []string{"1.24.26", "1.25.34"}
		}, []string{`WV4005 note:`, `^WV4007 warning: 1\.24\.26 -> 1\.25\.34 migrates cluster metadata to Raft once \(on Kubernetes delete the StatefulSet \(the data volumes stay\), use Helm chart 17\.0\.0 or later, then redeploy with all pods at once\); afterwards GET /v1/cluster/statistics must list every node with synchronized: true, and take another backup at 1\.25$`}},
		{"plain http", func(c *rules.Cluster) { c.PlainHTTP = "http://w:8080 is plain http" }, []string{`WV4008 warning: http://w:8080 is plain http`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := healthy3()
			tt.change(c)
			got := rules.RunLive(rules.All(), c)
			var lines []string
			for _, f := range got {
				lines = append(lines, f.Rule+" "+f.Severity.String()+": "+f.Message)
			}
			if len(lines) != len(tt.want) {
				t.Fatalf("got %d findings, want %d:\n%s", len(lines), len(tt.want), strings.Join(lines, "\n"))
			}
			for i, w := range tt.want {
				if !regexp.MustCompile(w).MatchString(lines[i]) {
					t.Errorf("finding %d:\n got %s\nwant %s", i, lines[i], w)
				}
			}
		})
	}
}
