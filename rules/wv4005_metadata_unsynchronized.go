package rules

import (
	"fmt"
	"strings"

	"github.com/wvlint/wvlint/internal/version"
)

// MetadataUnsynchronized is WV4005.
var MetadataUnsynchronized = &Rule{
	ID: "WV4005", Name: "metadata-unsynchronized", Severity: Error,
	Title: "cluster metadata is not in sync on every node",
	Tags:  []string{"live", "upgrade", "raft"},
	Doc: Doc{
		Why: "Before upgrading to 1.26 or later, cluster metadata must be synchronized: GET /v1/cluster/statistics must list the right number of nodes and say `synchronized: true` (true only when every node is HEALTHY and all report the same Raft applied index). " +
			"Metadata changes go through the Raft leader, so the statistics must also show one node in the Leader state; while an election runs (or after the cluster lost its quorum) none does, and `synchronized` may still be true. " +
			"Servers before 1.25 have no such endpoint (metadata is not in Raft yet): then the check says so instead of passing.",
		Fix:    "Wait until every node reports statistics, `synchronized` is true and one node is the Raft leader (`wvlint preflight URL --wait 5m`, as weaviate-local-k8s `wait_for_raft_sync` does), then take the next step.",
		Source: "Weaviate docs, Migration and upgrades (/deploy/migration) and the 1.25 migration guide; server `adapters/handlers/rest/handlers_nodes.go`; weaviate-local-k8s `utilities/helpers.sh` `wait_for_raft_sync`.",
	},
	Example: &Example{
		Answers: []Answer{
			{Path: "/v1/cluster/statistics", Body: `{"statistics":[{"bootstrapped":true,"candidates":{},"dbLoaded":true,"isVoter":true,"leaderAddress":"127.0.0.1:8300","leaderId":"weaviate-0","name":"weaviate-0","open":true,"raft":{"appliedIndex":"41","commitIndex":"41","latestConfiguration":[{"address":"127.0.0.1:8300","id":"weaviate-0","suffrage":0},{"address":"127.0.0.1:8302","id":"weaviate-1","suffrage":0}],"numPeers":"1","state":"Leader","term":"2"},"ready":true,"status":"HEALTHY"},{"bootstrapped":true,"candidates":{},"dbLoaded":true,"isVoter":true,"leaderAddress":"127.0.0.1:8300","leaderId":"weaviate-0","name":"weaviate-1","open":true,"raft":{"appliedIndex":"39","commitIndex":"41","latestConfiguration":[{"address":"127.0.0.1:8302","id":"weaviate-1","suffrage":0},{"address":"127.0.0.1:8300","id":"weaviate-0","suffrage":0}],"numPeers":"1","state":"Follower","term":"2"},"ready":true,"status":"HEALTHY"}],"synchronized":false}`},
		},
		Output: []string{`/v1/cluster/statistics: error: cluster metadata is not synchronized (synchronized: false); wait until it is (--wait 5m) before the next step [WV4005 metadata-unsynchronized]`},
	},
	Live: func(p *LivePass) {
		c := p.Cluster
		if c.StatsAbsent {
			v := c.VersionText
			if v == "" {
				v = "this server"
			}
			p.Reportf(EndpointStatistics, Note, "%s has no GET /v1/cluster/statistics (it came with Raft in %[2]s): metadata sync is not checked; after the move to %[2]s it must list every node with synchronized: true", quoteIfOddVersion(v), version.MinorOf(raftVersion))
			return
		}
		if c.Stats == nil {
			return // unread: WV4001 says so
		}
		if !c.Stats.Synchronized {
			p.Reportf(EndpointStatistics, Error, "cluster metadata is not synchronized (synchronized: false); wait until it is (--wait 5m) before the next step")
		}
		if len(c.Stats.Nodes) > 0 {
			var states []string
			leader := false
			for _, n := range c.Stats.Nodes {
				leader = leader || n.RaftState == "Leader"
				states = append(states, fmt.Sprintf("%q %s", n.Name, raftState(n.RaftState)))
			}
			if !leader {
				p.Reportf(EndpointStatistics, Error, "no node reports being the Raft leader (%s): cluster metadata cannot change until one is elected; wait (--wait 5m) before the next step", strings.Join(states, ", "))
			}
		}
		want, from := c.Expected, c.ExpectedFrom
		if len(c.Stats.Members) > want {
			want, from = len(c.Stats.Members), "the Raft configuration"
		}
		if got := len(c.Stats.Nodes); want > 0 && got != want {
			p.Reportf(EndpointStatistics, Error, "%d of %d nodes (%s) report statistics; metadata sync needs every node, wait until they all report", got, want, from)
		}
	},
}

func quoteIfOddVersion(v string) string {
	for _, r := range v {
		if (r < '0' || r > '9') && r != '.' && (r < 'a' || r > 'z') && r != '-' && r != ' ' {
			return quoteIfOdd(v)
		}
	}
	return v
}

// raftState prints a node's Raft state as the server sends it (Leader,
// Follower, Candidate), quoted when it is anything but letters.
func raftState(s string) string {
	if s == "" {
		return "(no state)"
	}
	for _, r := range s {
		if (r < 'A' || r > 'Z') && (r < 'a' || r > 'z') {
			return fmt.Sprintf("%q", s)
		}
	}
	return s
}
