package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/Masterminds/semver/v3"
)

// LiveMixedVersions is WV4004.
var LiveMixedVersions = &Rule{
	ID: "WV4004", Name: "mixed-node-versions", Severity: Error,
	Title: "the nodes of the running cluster run different versions",
	Tags:  []string{"live", "upgrade"},
	Doc: Doc{
		Why:    "During a rolling upgrade the nodes run two versions for a while; a cluster that stays that way is a rollout half done. The next step must start from one version on every node, or it crosses two minors at once on the nodes still behind.",
		Fix:    "Finish the rollout (every node on the same version, GET /v1/nodes), or roll the upgraded nodes back, before the next step.",
		Source: "Weaviate docs, Migration and upgrades (one minor at a time); NodeStatus.version in the OpenAPI spec; observed during a real 1.35.2 -> 1.36.23 rolling upgrade.",
	},
	Example: &Example{
		Answers: []Answer{
			{Path: "/v1/nodes", Body: `{"nodes":[{"batchStats":{"queueLength":0,"ratePerSecond":0},"name":"weaviate-0","operationalMode":"ReadWrite","shards":null,"status":"HEALTHY","version":"1.36.23"},{"batchStats":{"queueLength":0,"ratePerSecond":0},"name":"weaviate-1","operationalMode":"ReadWrite","shards":null,"status":"HEALTHY","version":"1.35.2"},{"batchStats":{"queueLength":0,"ratePerSecond":0},"name":"weaviate-2","operationalMode":"ReadWrite","shards":null,"status":"HEALTHY","version":"1.35.2"}]}`},
		},
		Output: []string{`/v1/nodes: error: the nodes run different versions: 1.35.2 on "weaviate-1", "weaviate-2"; 1.36.23 on "weaviate-0"; finish the rollout to one version before the next step [WV4004 mixed-node-versions]`},
	},
	Live: func(p *LivePass) {
		byVersion := map[string][]string{}
		for _, n := range p.Cluster.Nodes {
			byVersion[n.Version] = append(byVersion[n.Version], n.Name)
		}
		if len(byVersion) < 2 {
			return
		}
		vs := make([]string, 0, len(byVersion))
		for v := range byVersion {
			vs = append(vs, v)
		}
		sort.Slice(vs, func(i, j int) bool { return versionLess(vs[i], vs[j]) })
		var parts []string
		for _, v := range vs {
			shown := fmt.Sprintf("%q", v)
			if _, err := semver.StrictNewVersion(v); err == nil {
				shown = v
			}
			parts = append(parts, shown+" on "+names(byVersion[v]))
		}
		p.Reportf(EndpointNodes, Error, "the nodes run different versions: %s; finish the rollout to one version before the next step", strings.Join(parts, "; "))
	},
}

func versionLess(a, b string) bool {
	va, ea := semver.StrictNewVersion(a)
	vb, eb := semver.StrictNewVersion(b)
	if ea == nil && eb == nil {
		return va.LessThan(vb)
	}
	return a < b
}
