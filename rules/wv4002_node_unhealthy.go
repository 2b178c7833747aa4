package rules

import "strconv"

// NodeUnhealthy is WV4002.
var NodeUnhealthy = &Rule{
	ID: "WV4002", Name: "node-unhealthy", Severity: Error,
	Title: "a node of the running cluster is not HEALTHY",
	Tags:  []string{"live", "upgrade"},
	Doc: Doc{
		Why:    "An upgrade step starts from a cluster whose nodes are all HEALTHY. A node that is UNHEALTHY, UNAVAILABLE or TIMEOUT (GET /v1/nodes) is still starting, rejoining after a restart, or broken; restarting another node now can lose the quorum of a replicated class or of Raft.",
		Fix:    "Wait until the node is HEALTHY (`wvlint preflight URL --wait 5m`), or find out why it is not (its logs) before the next step.",
		Source: "Weaviate OpenAPI spec, NodeStatus.status; weaviate-local-k8s `upgrade` checks that all nodes are healthy after each step.",
	},
	Example: &Example{
		Answers: []Answer{
			{Path: "/v1/nodes", Body: `{"nodes":[{"batchStats":{"queueLength":0,"ratePerSecond":0},"name":"weaviate-0","operationalMode":"ReadWrite","shards":null,"status":"HEALTHY","version":"1.36.23"},{"batchStats":{"queueLength":0,"ratePerSecond":0},"name":"weaviate-1","operationalMode":"ReadWrite","shards":null,"status":"UNHEALTHY","version":"1.36.23"}]}`},
		},
		Output: []string{`/v1/nodes: error: node "weaviate-1" is UNHEALTHY; wait until every node is HEALTHY before the next step [WV4002 node-unhealthy]`},
	},
	Live: func(p *LivePass) {
		for _, n := range p.Cluster.Nodes {
			if n.Status != "HEALTHY" {
				p.Reportf(EndpointNodes, Error, "node %q is %s; wait until every node is HEALTHY before the next step", n.Name, quoteIfOdd(n.Status))
			}
		}
	},
}

// quoteIfOdd prints a server enum as is when it is a plain upper-case word,
// quoted otherwise: server text is never printed raw.
func quoteIfOdd(s string) string {
	for _, r := range s {
		if (r < 'A' || r > 'Z') && r != '_' {
			return strconv.Quote(s)
		}
	}
	if s == "" {
		return `""`
	}
	return s
}
