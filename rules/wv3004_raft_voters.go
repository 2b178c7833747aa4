package rules

import (
	"strconv"
	"strings"

	"github.com/wvlint/wvlint/internal/inventory"
)

// raftExpectText is what Weaviate 1.25.0+ says, and exits, when
// RAFT_BOOTSTRAP_EXPECT is more than the RAFT_JOIN names
// (usecases/config/config_handler.go, Raft.Validate).
const raftExpectText = "raft.bootstrap.expect must be less than or equal to the length of raft.join"

// RaftVoters is WV3004.
var RaftVoters = &Rule{
	ID: "WV3004", Name: "raft-voters", Severity: Error,
	Title: "Raft settings that keep the cluster from bootstrapping",
	Tags:  []string{"config", "raft", "cluster"},
	Doc: Doc{
		Why: "A Raft cluster bootstraps when RAFT_BOOTSTRAP_EXPECT voters have joined, and Weaviate takes the voters from RAFT_JOIN. " +
			"RAFT_BOOTSTRAP_EXPECT greater than the number of RAFT_JOIN names makes the server refuse to start with \"" + raftExpectText + "\"; an unset RAFT_JOIN is one name, the node's own (an error). " +
			"RAFT_JOIN naming more nodes than RAFT_BOOTSTRAP_EXPECT (default 1) is accepted: the first RAFT_BOOTSTRAP_EXPECT names become voters and the others join as non-voters, so fewer nodes than you may think keep the metadata (a note; the docs and the Helm chart keep the two equal). " +
			"Expecting more voters than there are nodes, a name listed twice in RAFT_JOIN, or making the voters metadata-only (RAFT_METADATA_ONLY_VOTERS) with no other node left to hold data means the cluster never forms (errors). " +
			"With Helm values the chart (17.0.0+) writes RAFT_JOIN itself when it is unset, and refuses to render when a RAFT_JOIN you set does not name exactly RAFT_BOOTSTRAP_EXPECT nodes or the voters exceed the replicas.",
		Fix: "Make RAFT_BOOTSTRAP_EXPECT the number of names in RAFT_JOIN (the CLUSTER_HOSTNAME of each voter), at most the node count; with RAFT_METADATA_ONLY_VOTERS, run more nodes than voters.",
		Source: "weaviate/weaviate v1.25.0 usecases/config/config_handler.go line 363 and v1.39.0 line 1193 (\"" + raftExpectText + "\"), line 1176 (a name twice); " +
			"v1.39.0 usecases/config/environment.go lines 1521-1527 (RAFT_JOIN defaults to the node's own name) and line 44 (DefaultRaftBootstrapExpect = 1); " +
			"v1.39.0 adapters/handlers/rest/configure_api.go lines 677-682 (a node is a voter when it is among the first RAFT_BOOTSTRAP_EXPECT RAFT_JOIN names) and cluster/store_cluster_rpc.go (Join adds a non-voter with AddNonvoter, Notify bootstraps once RAFT_BOOTSTRAP_EXPECT voters are known); " +
			"Weaviate docs, environment variables (RAFT_JOIN: \"RAFT_BOOTSTRAP_EXPECT needs to be adjusted manually to match the number of Raft voters\"); weaviate-helm v17.0.0+ weaviate/templates/_helpers.tpl raft_configuration. " +
			"Tried on a real 1.36.23 server (internal/knowledgetest TestRaftVoters, 2026-12-01): RAFT_BOOTSTRAP_EXPECT=3 with RAFT_JOIN unset, and with RAFT_JOIN=node1,node2, exits at once logging \"invalid config: " + raftExpectText + "\"; RAFT_JOIN naming three nodes with RAFT_BOOTSTRAP_EXPECT unset starts, becomes ready and takes a schema change.",
	},
	Example: &Example{File: "compose.yaml", Content: `services:
  weaviate:
    image: cr.weaviate.io/semitechnologies/weaviate:1.28.16
    environment:
      CLUSTER_HOSTNAME: node1
      RAFT_JOIN: node1
      RAFT_BOOTSTRAP_EXPECT: 3
`, Output: []string{"compose.yaml:7:30: error: RAFT_BOOTSTRAP_EXPECT is 3 but RAFT_JOIN names 1 node: Weaviate refuses to start with \"" + raftExpectText + "\"; name all 3 voters in RAFT_JOIN or expect 1 [WV3004 raft-voters]"}},
	Run: func(p *Pass) error {
		return each(p, func(c *Change) {
			v := c.To()
			if v == nil || v.LessThan(raftVersion) {
				return
			}
			env := c.D.Env
			expectVar, hasExpect := env["RAFT_BOOTSTRAP_EXPECT"]
			joinVar, hasJoin := env["RAFT_JOIN"]
			if hasJoin && strings.TrimSpace(joinVar.Value) == "" && !joinVar.Opaque {
				hasJoin = false // empty is unset: the server takes its default
			}
			expect := 1 // DefaultRaftBootstrapExpect
			expectKnown := true
			if hasExpect {
				n, err := strconv.Atoi(strings.TrimSpace(expectVar.Value))
				if err != nil && !expectVar.Opaque {
					return
				}
				expect, expectKnown = n, !expectVar.Opaque
			}
			helm := chartRendersRaft(c.D.Kind)
			// The names the server takes RAFT_JOIN to be, as it splits them
			// (no trimming); unset, the node's own name. With Helm values
			// the chart writes an unset RAFT_JOIN from the voter count.
			var names []string
			joinKnown := false
			switch {
			case hasJoin && !joinVar.Opaque:
				names, joinKnown = strings.Split(joinVar.Value, ","), true
			case !hasJoin && !helm && !c.D.EnvOpaque:
				names, joinKnown = []string{"(own name)"}, true
			}
			join := len(names)
			nodes := c.D.NodesDeclared
			// A lone compose service that joins another host is part of a
			// cluster the file does not show.
			_, joinsElsewhere := env["CLUSTER_JOIN"]
			countKnown := nodes > 1 || (nodes == 1 && !joinsElsewhere)
			reported := false
			if joinKnown && hasJoin {
				if dup := duplicateName(names); dup != "" {
					p.ReportAtf(c, joinVar.Span, Error, "RAFT_JOIN lists %q twice: Weaviate refuses to start with \"raft.join contains the value %s multiple times. Joined nodes must have a unique id\"; list each voter once", dup, dup)
					reported = true
				}
			}
			switch {
			case reported || !joinKnown || !expectKnown || join == expect:
			case helm:
				p.ReportAtf(c, joinVar.Span, Error, "RAFT_JOIN names %d node%s but RAFT_BOOTSTRAP_EXPECT is %d: the weaviate Helm chart (17.0.0+) refuses to render (\"env.RAFT_BOOTSTRAP_EXPECT value needs to be equal to number of env.RAFT_JOIN nodes\"); make them equal", join, plural(join), expect)
				reported = true
			case expect > join && hasJoin:
				p.ReportAtf(c, expectVar.Span, Error, "RAFT_BOOTSTRAP_EXPECT is %d but RAFT_JOIN names %d node%s: Weaviate refuses to start with %q; name all %d voters in RAFT_JOIN or expect %d", expect, join, plural(join), raftExpectText, expect, join)
				reported = true
			case expect > join:
				p.ReportAtf(c, expectVar.Span, Error, "RAFT_BOOTSTRAP_EXPECT is %d but RAFT_JOIN is unset, which is the node's own name alone: Weaviate refuses to start with %q; set RAFT_JOIN to the %d voters' names (their CLUSTER_HOSTNAME)", expect, raftExpectText, expect)
				reported = true
			case expect < join:
				what := "is " + strconv.Itoa(expect)
				if !hasExpect {
					what = "is unset (1)"
				}
				p.ReportAtf(c, joinVar.Span, Note, "RAFT_JOIN names %d nodes but RAFT_BOOTSTRAP_EXPECT %s: Weaviate accepts it, the first %d become Raft voters and the other %d join as non-voters; Weaviate's docs and Helm chart keep the two equal", join, what, expect, join-expect)
			}
			if !reported && hasExpect && expectKnown && countKnown && expect > nodes {
				p.ReportAtf(c, expectVar.Span, Error, "RAFT_BOOTSTRAP_EXPECT is %d but the deployment has %d node%s: the cluster never bootstraps; expect at most %d", expect, nodes, plural(nodes), nodes)
			}
			if m, ok := env["RAFT_METADATA_ONLY_VOTERS"]; ok && strings.EqualFold(strings.TrimSpace(m.Value), "true") && countKnown {
				voters := expect // the first RAFT_BOOTSTRAP_EXPECT names
				if helm && !hasExpect {
					voters = chartVoters(nodes)
					if joinKnown && hasJoin {
						voters = join
					}
				}
				if nodes <= voters {
					p.ReportAtf(c, m.Span, Error, "RAFT_METADATA_ONLY_VOTERS makes all %d voter%s metadata-only, but the deployment has %d node%s: none is left to hold data; run more nodes than voters", voters, plural(voters), nodes, plural(nodes))
				}
			}
		})
	},
}

// chartRendersRaft reports whether the weaviate Helm chart renders the
// deployment, writing RAFT_JOIN and RAFT_BOOTSTRAP_EXPECT from its values.
func chartRendersRaft(s inventory.Kind) bool {
	switch s {
	case inventory.HelmValues, inventory.Helmfile, inventory.ArgoCD, inventory.Flux:
		return true
	}
	return false
}

// chartVoters is the voter count the weaviate chart picks when
// RAFT_BOOTSTRAP_EXPECT and RAFT_JOIN are unset.
func chartVoters(replicas int) int {
	switch {
	case replicas >= 10:
		return 5
	case replicas >= 3:
		return 3
	}
	return 1
}

// duplicateName is the first node name RAFT_JOIN lists twice, as the
// server compares them (the part before ":"), or "".
func duplicateName(names []string) string {
	seen := map[string]bool{}
	for _, n := range names {
		name, _, _ := strings.Cut(n, ":")
		if seen[name] {
			return name
		}
		seen[name] = true
	}
	return ""
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
