package weaviateapi

import (
	"encoding/json"
	"strings"
	"time"
)

// The shapes below follow Weaviate's OpenAPI spec (openapi-specs/schema.json,
// server v1.39.0; fields by version in ../shared/weaviate/knowledge.md
// section 3) and what a real 1.35.2 / 1.36.23 server answers. Only the
// fields wvlint reads are declared; unknown fields are ignored.

// Meta is GET /v1/meta.
type Meta struct {
	Hostname string                     `json:"hostname"`
	Version  string                     `json:"version"` // "1.35.2", no leading v
	Modules  map[string]json.RawMessage `json:"modules"`
}

// NodesResponse is GET /v1/nodes.
type NodesResponse struct {
	Nodes []NodeStatus `json:"nodes"`
}

// Node statuses (enum NodeStatus.status; TIMEOUT from 1.24).
const (
	Healthy     = "HEALTHY"
	Unhealthy   = "UNHEALTHY"
	Unavailable = "UNAVAILABLE"
	Timeout     = "TIMEOUT"
)

// NodeStatus is one entry of GET /v1/nodes.
type NodeStatus struct {
	Name    string `json:"name"`
	Status  string `json:"status"` // the spec's default is HEALTHY
	Version string `json:"version"`
	GitHash string `json:"gitHash"`
	Stats   *struct {
		ObjectCount int64 `json:"objectCount"`
		ShardCount  int64 `json:"shardCount"`
	} `json:"stats"`
	OperationalMode string `json:"operationalMode"` // 1.35+
}

// ClusterStatistics is GET /v1/cluster/statistics (1.25+).
type ClusterStatistics struct {
	Statistics   []Statistics `json:"statistics"`
	Synchronized bool         `json:"synchronized"`
}

// Statistics is one node's entry of GET /v1/cluster/statistics.
type Statistics struct {
	Name          string         `json:"name"`
	Status        string         `json:"status"`
	Bootstrapped  bool           `json:"bootstrapped"`
	DBLoaded      bool           `json:"dbLoaded"`
	IsVoter       bool           `json:"isVoter"`
	Open          bool           `json:"open"`
	Ready         bool           `json:"ready"`
	LeaderID      any            `json:"leaderId"`
	LeaderAddress any            `json:"leaderAddress"`
	Raft          RaftStatistics `json:"raft"`
}

// RaftStatistics is the raft object of a Statistics entry; the server sends
// its numbers as strings.
type RaftStatistics struct {
	State               string          `json:"state"` // Leader, Follower, Candidate
	AppliedIndex        string          `json:"appliedIndex"`
	CommitIndex         string          `json:"commitIndex"`
	LastContact         string          `json:"lastContact"`
	NumPeers            string          `json:"numPeers"`
	Term                string          `json:"term"`
	LatestConfiguration json.RawMessage `json:"latestConfiguration"`
}

// RaftServer is one member of the Raft configuration.
type RaftServer struct {
	ID       string `json:"id"`
	Address  string `json:"address"`
	Suffrage int    `json:"suffrage"` // hashicorp/raft: 0 Voter, 1 Nonvoter, 2 Staging
}

// Members is the Raft configuration this node knows: the nodes the cluster
// was formed with, which still lists a node that has stopped. ok is false
// when the configuration is absent or in a shape wvlint does not know.
func (r RaftStatistics) Members() (servers []RaftServer, ok bool) {
	raw := strings.TrimSpace(string(r.LatestConfiguration))
	if raw == "" || raw == "null" {
		return nil, false
	}
	if err := json.Unmarshal([]byte(raw), &servers); err != nil {
		return nil, false
	}
	for _, s := range servers {
		if s.ID == "" {
			return nil, false
		}
	}
	return servers, len(servers) > 0
}

// BackupListItem is one entry of GET /v1/backups/{backend}.
type BackupListItem struct {
	ID          string     `json:"id"`
	Classes     []string   `json:"classes"`
	Status      string     `json:"status"`
	StartedAt   *time.Time `json:"startedAt"`   // 1.31.15, 1.32.8, 1.33.0+
	CompletedAt *time.Time `json:"completedAt"` // likewise
}

// BackupStatus is GET /v1/backups/{backend}/{id}.
type BackupStatus struct {
	ID          string     `json:"id"`
	Backend     string     `json:"backend"`
	Path        string     `json:"path"`
	Error       string     `json:"error"`
	Status      string     `json:"status"`
	StartedAt   *time.Time `json:"startedAt"`   // 1.33+
	CompletedAt *time.Time `json:"completedAt"` // 1.33+
}

// errorResponse is Weaviate's ErrorResponse.
type errorResponse struct {
	Error []struct {
		Message string `json:"message"`
	} `json:"error"`
}
