package rules

import (
	"sort"
	"strings"
)

// MixedVersions is WV2004.
var MixedVersions = &Rule{
	ID: "WV2004", Name: "mixed-versions", Severity: Warning,
	Title: "nodes of one cluster run different versions",
	Tags:  []string{"cluster"},
	Doc: Doc{
		Why:    "The nodes of one cluster must run the same version once an upgrade is done; a node left behind runs an older Raft and storage format than its peers.",
		Fix:    "Give every node the same version (one variable or anchor for all of them).",
		Source: "Weaviate docs, Migration and upgrades (/deploy/migration).",
	},
	Example: &Example{File: "compose.yaml", From: "", Content: `services:
  node1:
    image: cr.weaviate.io/semitechnologies/weaviate:1.28.16
  node2:
    image: cr.weaviate.io/semitechnologies/weaviate:1.28.16
  node3:
    image: cr.weaviate.io/semitechnologies/weaviate:1.27.27
`,
		Output: []string{"compose.yaml:7:53: warning: this node runs 1.27.27 while the rest of its cluster runs 1.28.16; use one version for every node [WV2004 mixed-versions]"}},
	Run: func(p *Pass) error {
		groups := map[string][]*Change{}
		for _, c := range p.Changes {
			if c.D.Cluster != "" && c.To() != nil {
				groups[c.D.Cluster] = append(groups[c.D.Cluster], c)
			}
		}
		for _, g := range groups {
			count := map[string]int{}
			for _, c := range g {
				count[c.To().String()]++
			}
			if len(count) < 2 {
				continue
			}
			var versions []string
			for v := range count {
				versions = append(versions, v)
			}
			sort.Slice(versions, func(i, j int) bool {
				if count[versions[i]] != count[versions[j]] {
					return count[versions[i]] > count[versions[j]]
				}
				return versions[i] > versions[j]
			})
			major := versions[0]
			for _, c := range g {
				if v := c.To().String(); v != major {
					p.Reportf(c, Warning, "this node runs %s while the rest of its cluster runs %s; use one version for every node", v, strings.Join(versions[:1], ", "))
				}
			}
		}
		return nil
	},
}
