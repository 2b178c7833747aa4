package rules

import (
	"strings"

	"github.com/Masterminds/semver/v3"

	"github.com/wvlint/wvlint/internal/inventory"
)

// aloneRecovers reports whether a lone Raft node of Weaviate v recovers
// by itself from a new node name: 1.25.12-1.25.19 and 1.26.2-1.26.5 run
// the one-node recovery whenever RAFT_BOOTSTRAP_EXPECT is 1; later
// patches only with RAFT_ENABLE_ONE_NODE_RECOVERY=true.
func aloneRecovers(v *semver.Version) bool {
	r := relOf(v)
	return (r.major == 1 && r.minor == 25 && r.patch >= 12 && r.patch <= 19) ||
		(r.major == 1 && r.minor == 26 && r.patch >= 2 && r.patch <= 5)
}

// readsOneNodeRecovery reports whether Weaviate v reads
// RAFT_ENABLE_ONE_NODE_RECOVERY: 1.25.20+, 1.26.6+ and every 1.27+.
func readsOneNodeRecovery(v *semver.Version) bool {
	r := relOf(v)
	switch {
	case r.major == 1 && r.minor == 25:
		return r.patch >= 20
	case r.major == 1 && r.minor == 26:
		return r.patch >= 6
	}
	return !r.less(rel{1, 27, 0})
}

// MissingClusterHostname is WV3003.
var MissingClusterHostname = &Rule{
	ID: "WV3003", Name: "missing-cluster-hostname", Severity: Warning,
	Title: "a Docker deployment on 1.25+ whose node name changes when the container is recreated",
	Tags:  []string{"config", "raft"},
	Doc: Doc{
		Why: "Without CLUSTER_HOSTNAME a node is named after the container's hostname (os.Hostname()), which changes when the container is recreated. From 1.25 Raft remembers node names: after `docker compose up` recreates the container, the node waits for its old self and never becomes ready (weaviate/weaviate#5491). " +
			"No finding when the name is stable or a lone node recovers: a compose `hostname:` fixes the container hostname; a single node (RAFT_BOOTSTRAP_EXPECT unset or 1) with RAFT_ENABLE_ONE_NODE_RECOVERY=true on 1.25.20+, 1.26.6+ or 1.27+ recovers under its new name, and 1.25.12-1.25.19 and 1.26.2-1.26.5 recover a lone node on their own.",
		Fix: "Set CLUSTER_HOSTNAME to a fixed name (node1) on every Weaviate service; for a single node, RAFT_ENABLE_ONE_NODE_RECOVERY=true also works.",
		Source: "Weaviate docs, Docker installation, troubleshooting; weaviate/weaviate issue #5491 (\"Single node cluster can't start up with upgrades\"); " +
			"weaviate/weaviate v1.39.0 usecases/config/environment.go (CLUSTER_HOSTNAME defaults to os.Hostname(), line 2022; line 1629 reads RAFT_ENABLE_ONE_NODE_RECOVERY) and cluster/store.go line 506 (recoverSingleNode runs when EnableOneNodeRecovery and RAFT_BOOTSTRAP_EXPECT is 1); " +
			"v1.25.12 cluster/store.go lines 238-239 and v1.26.2 lines 244-245 (the same recovery with no switch); RAFT_ENABLE_ONE_NODE_RECOVERY first read in v1.25.20 and v1.26.6 (usecases/config/environment.go line 521 at v1.25.20). " +
			"Tried on a real 1.36.23 server (internal/knowledgetest TestRenamedSingleNode, 2026-12-01): a single node renamed from container-a to container-b on the same data is not ready after 2 minutes; with RAFT_ENABLE_ONE_NODE_RECOVERY=true it logs \"perform cluster recovery\", becomes ready and keeps its collection.",
	},
	Example: &Example{File: "compose.yaml", Content: `services:
  weaviate:
    image: cr.weaviate.io/semitechnologies/weaviate:1.28.16
    environment:
      PERSISTENCE_DATA_PATH: /var/lib/weaviate
`, Output: []string{"compose.yaml:3:53: warning: Weaviate 1.28.16 on Docker without CLUSTER_HOSTNAME or a compose hostname: a recreated container gets a new name and Raft waits for the old one; set CLUSTER_HOSTNAME (for example node1), or RAFT_ENABLE_ONE_NODE_RECOVERY=true on this single node [WV3003 missing-cluster-hostname]"}},
	Run: func(p *Pass) error {
		return each(p, func(c *Change) {
			v := c.To()
			if v == nil || c.D.Kind != inventory.Compose || v.LessThan(raftVersion) || c.D.EnvOpaque {
				return
			}
			env := c.D.Env
			if _, ok := env["CLUSTER_HOSTNAME"]; ok || c.D.Hostname != "" {
				return
			}
			expect, hasExpect := env["RAFT_BOOTSTRAP_EXPECT"]
			lone := c.D.Nodes == 1 && (!hasExpect || strings.TrimSpace(expect.Value) == "1")
			if lone && aloneRecovers(v) {
				return
			}
			enable := env["RAFT_ENABLE_ONE_NODE_RECOVERY"]
			if lone && readsOneNodeRecovery(v) && strings.EqualFold(strings.TrimSpace(enable.Value), "true") {
				return
			}
			hint := ""
			if lone && readsOneNodeRecovery(v) {
				hint = ", or RAFT_ENABLE_ONE_NODE_RECOVERY=true on this single node"
			}
			p.Reportf(c, Warning, "Weaviate %s on Docker without CLUSTER_HOSTNAME or a compose hostname: a recreated container gets a new name and Raft waits for the old one; set CLUSTER_HOSTNAME (for example node1)%s", v, hint)
		})
	},
}
