package rules

// NodeMissing is WV4003.
var NodeMissing = &Rule{
	ID: "WV4003", Name: "node-missing", Severity: Error,
	Title: "fewer nodes answer than the cluster has",
	Tags:  []string{"live", "upgrade"},
	Doc: Doc{
		Why: "A stopped node simply vanishes from GET /v1/nodes and GET /v1/cluster/statistics, and `synchronized` stays true for the nodes that answer: only the Raft configuration still lists it. " +
			"A check that does not compare the answering nodes with the count the cluster must have passes a broken cluster. The count comes from --nodes (or the files), else from the Raft configuration in the statistics.",
		Fix:    "Start the missing node and wait until it is HEALTHY (`--wait`), or remove it from the cluster on purpose; pass --nodes N with the number of nodes the cluster has.",
		Source: "Weaviate docs, Migration and upgrades (the right number of nodes must report statistics); observed on a real 1.35.2 cluster (wvlint's preflight tests).",
	},
	Example: &Example{
		Args: []string{"--nodes", "3"},
		Answers: []Answer{
			{Path: "/v1/nodes", Body: `{"nodes":[{"batchStats":{"queueLength":0,"ratePerSecond":0},"name":"weaviate-0","operationalMode":"ReadWrite","shards":null,"status":"HEALTHY","version":"1.35.2"},{"batchStats":{"queueLength":0,"ratePerSecond":0},"name":"weaviate-1","operationalMode":"ReadWrite","shards":null,"status":"HEALTHY","version":"1.35.2"}]}`},
		},
		Output: []string{`/v1/nodes: error: 2 of 3 nodes (--nodes 3) answer; start the missing node, or remove it from the cluster, before the next step [WV4003 node-missing]`},
	},
	Live: func(p *LivePass) {
		c := p.Cluster
		if !c.NodesRead {
			return
		}
		answering := map[string]bool{}
		for _, n := range c.Nodes {
			answering[n.Name] = true
		}
		var missing []string
		expected, from := c.Expected, c.ExpectedFrom
		if c.Stats != nil && len(c.Stats.Members) > 0 {
			for _, m := range c.Stats.Members {
				if !answering[m] {
					missing = append(missing, m)
				}
			}
			if expected == 0 {
				expected, from = len(c.Stats.Members), "the Raft configuration"
			}
		}
		got := len(c.Nodes)
		switch {
		case len(missing) == 1:
			p.Reportf(EndpointNodes, Error, "node %s is in the Raft configuration but does not answer (%d of %d nodes, %s, answer); start it, or remove it from the cluster, before the next step", names(missing), got, max(expected, got+1), from)
		case len(missing) > 1:
			p.Reportf(EndpointNodes, Error, "nodes %s are in the Raft configuration but do not answer (%d of %d nodes, %s, answer); start them, or remove them from the cluster, before the next step", names(missing), got, max(expected, got+len(missing)), from)
		case expected > 0 && got < expected:
			p.Reportf(EndpointNodes, Error, "%d of %d nodes (%s) answer; start the missing node, or remove it from the cluster, before the next step", got, expected, from)
		case expected > 0 && got > expected:
			p.Reportf(EndpointNodes, Warning, "%s answer but %s says %d; check which count is right", pluralNodes(got), from, expected)
		case expected == 0:
			p.Reportf(EndpointNodes, Note, "%s answer, and nothing says how many the cluster has (no --nodes, no Raft configuration): a stopped node would not be noticed; pass --nodes N", pluralNodes(got))
		}
	},
}
