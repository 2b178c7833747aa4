package rules

import (
	"strconv"
	"strings"
)

// RaftVoters is WV3004.
var RaftVoters = &Rule{
	ID: "WV3004", Name: "raft-voters", Severity: Error,
	Title: "Raft settings that keep the cluster from bootstrapping",
	Tags:  []string{"config", "raft", "cluster"},
	Doc: Doc{
		Why:    "A Raft cluster bootstraps when RAFT_BOOTSTRAP_EXPECT voters have joined. Expecting more voters than there are nodes, listing a different number of voters in RAFT_JOIN, or making the voters metadata-only (RAFT_METADATA_ONLY_VOTERS) with no other node left to hold data means the cluster never forms. The Helm chart refuses to render these; compose files and raw manifests do not.",
		Fix:    "Make RAFT_BOOTSTRAP_EXPECT the number of names in RAFT_JOIN, at most the node count; with RAFT_METADATA_ONLY_VOTERS, run more nodes than voters.",
		Source: "Weaviate docs, environment variables (RAFT_JOIN: \"RAFT_BOOTSTRAP_EXPECT needs to be adjusted manually to match the number of Raft voters\"); weaviate-helm 17.0.0+ _helpers.tpl raft_configuration checks.",
	},
	Example: &Example{File: "compose.yaml", Content: `services:
  weaviate:
    image: cr.weaviate.io/semitechnologies/weaviate:1.28.16
    environment:
      CLUSTER_HOSTNAME: node1
      RAFT_JOIN: node1
      RAFT_BOOTSTRAP_EXPECT: 3
`, Output: []string{"compose.yaml:7:30: error: RAFT_BOOTSTRAP_EXPECT is 3 but RAFT_JOIN names 1 voter; make them equal [WV3004 raft-voters]"}},
	Run: func(p *Pass) error {
		return each(p, func(c *Change) {
			v := c.To()
			if v == nil || v.LessThan(raftVersion) {
				return
			}
			env := c.D.Env
			expectVar, hasExpect := env["RAFT_BOOTSTRAP_EXPECT"]
			joinVar, hasJoin := env["RAFT_JOIN"]
			expect := 0
			if hasExpect {
				n, err := strconv.Atoi(strings.TrimSpace(expectVar.Value))
				if err != nil {
					return
				}
				expect = n
			}
			join := 0
			if hasJoin {
				for _, s := range strings.Split(joinVar.Value, ",") {
					if strings.TrimSpace(s) != "" {
						join++
					}
				}
			}
			nodes := c.D.NodesDeclared
			// A lone compose service that joins another host is part of a
			// cluster the file does not show.
			_, joinsElsewhere := env["CLUSTER_JOIN"]
			countKnown := nodes > 1 || (nodes == 1 && !joinsElsewhere)
			switch {
			case hasExpect && hasJoin && !joinVar.Opaque && !expectVar.Opaque && join != expect:
				p.ReportAtf(c, expectVar.Span, Error, "RAFT_BOOTSTRAP_EXPECT is %d but RAFT_JOIN names %d voter%s; make them equal", expect, join, plural(join))
			case hasExpect && !expectVar.Opaque && countKnown && expect > nodes:
				p.ReportAtf(c, expectVar.Span, Error, "RAFT_BOOTSTRAP_EXPECT is %d but the deployment has %d node%s: the cluster never bootstraps; expect at most %d", expect, nodes, plural(nodes), nodes)
			}
			if m, ok := env["RAFT_METADATA_ONLY_VOTERS"]; ok && strings.EqualFold(strings.TrimSpace(m.Value), "true") && countKnown {
				voters := expect
				if voters == 0 {
					voters = join
				}
				if voters == 0 {
					voters = 1
				}
				if nodes <= voters {
					p.ReportAtf(c, m.Span, Error, "RAFT_METADATA_ONLY_VOTERS makes all %d voter%s metadata-only, but the deployment has %d node%s: none is left to hold data; run more nodes than voters", voters, plural(voters), nodes, plural(nodes))
				}
			}
		})
	},
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
