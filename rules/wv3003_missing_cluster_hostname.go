package rules

import "github.com/wvlint/wvlint/internal/inventory"

// MissingClusterHostname is WV3003.
var MissingClusterHostname = &Rule{
	ID: "WV3003", Name: "missing-cluster-hostname", Severity: Warning,
	Title: "a Docker deployment on 1.25+ without a fixed CLUSTER_HOSTNAME",
	Tags:  []string{"config", "raft"},
	Doc: Doc{
		Why:    "Without CLUSTER_HOSTNAME a node is named after the container's hostname, which changes when the container is recreated. From 1.25 Raft remembers node names: after `docker compose up` recreates the container, the node waits for its old self and never becomes ready (weaviate/weaviate#5491).",
		Fix:    "Set CLUSTER_HOSTNAME to a fixed name (node1) on every Weaviate service.",
		Source: "Weaviate docs, Docker installation, troubleshooting; weaviate/weaviate issue #5491 (\"Single node cluster can't start up with upgrades\").",
	},
	Example: &Example{File: "compose.yaml", Content: `services:
  weaviate:
    image: cr.weaviate.io/semitechnologies/weaviate:1.28.16
    environment:
      PERSISTENCE_DATA_PATH: /var/lib/weaviate
`, Output: []string{"compose.yaml:3:53: warning: Weaviate 1.28.16 on Docker without CLUSTER_HOSTNAME: a recreated container gets a new name and Raft waits for the old one; set CLUSTER_HOSTNAME (for example node1) [WV3003 missing-cluster-hostname]"}},
	Run: func(p *Pass) error {
		return each(p, func(c *Change) {
			v := c.To()
			if v == nil || c.D.Source != inventory.Compose || v.LessThan(raftVersion) || c.D.EnvOpaque {
				return
			}
			if _, ok := c.D.Env["CLUSTER_HOSTNAME"]; ok {
				return
			}
			p.Reportf(c, Warning, "Weaviate %s on Docker without CLUSTER_HOSTNAME: a recreated container gets a new name and Raft waits for the old one; set CLUSTER_HOSTNAME (for example node1)", v)
		})
	},
}
