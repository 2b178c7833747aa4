package rules

import (
	"strings"

	"github.com/Masterminds/semver/v3"

	"github.com/wvlint/wvlint/internal/inventory"
)

var (
	raftVersion = semver.MustParse("1.25.0")
	raftChart   = semver.MustParse("17.0.0")
)

// RaftMigration is WV1006.
var RaftMigration = &Rule{
	ID: "WV1006", Name: "raft-migration", Severity: Warning,
	Title: "an upgrade across the 1.25 Raft migration",
	Tags:  []string{"upgrade", "raft"},
	Doc: Doc{
		Why:    "1.25 moved cluster metadata to Raft, migrated once on first start. On Docker it is automatic (a note). On Kubernetes it is manual: the StatefulSet must be deleted and recreated with podManagementPolicy: Parallel by Helm chart 17.0.0 or later, because Kubernetes cannot change that field in place. A Kubernetes deployment still on an older chart or not Parallel is an error; a ready one gets the steps as a warning.",
		Fix:    "On Kubernetes: back up, `kubectl delete sts weaviate` (volumes stay), upgrade with chart 17.0.0+ and podManagementPolicy: Parallel, then check GET /v1/cluster/statistics; take another backup on 1.25.",
		Source: "Weaviate docs, Migration and upgrades and the 1.25 migration guide (/deploy/migration/weaviate-1-25); weaviate-helm README, chart 17.0.0.",
	},
	Example: &Example{File: "statefulset.yaml", From: "1.24.12", Content: `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: weaviate
spec:
  replicas: 3
  template:
    spec:
      containers:
        - name: weaviate
          image: cr.weaviate.io/semitechnologies/weaviate:1.25.34
`,
		Output: []string{"statefulset.yaml:11:59: error: upgrade from 1.24.12 to 1.25.34 needs the manual Raft migration but podManagementPolicy is OrderedReady, not Parallel; use chart 17.0.0 or later with podManagementPolicy: Parallel, and delete the StatefulSet before upgrading [WV1006 raft-migration]"}},
	Run: func(p *Pass) error {
		return each(p, func(c *Change) {
			if c.Ephemeral() || !c.Upgrade() || !c.From.LessThan(raftVersion) || c.To().LessThan(raftVersion) {
				return
			}
			if c.D.Platform != inventory.Kubernetes {
				p.Reportf(c, Note, "upgrade from %s to %s runs the one-time Raft migration of cluster metadata automatically on first start; take another backup once %s runs", c.From, c.To(), c.To())
				return
			}
			var problems []string
			if c.D.Chart != "" {
				if v, err := semver.StrictNewVersion(strings.TrimPrefix(c.D.Chart, "v")); err == nil && v.LessThan(raftChart) {
					problems = append(problems, "Helm chart "+c.D.Chart+" is older than 17.0.0")
				}
			}
			if pm := c.D.PodManagementPolicy; pm != "" && pm != "Parallel" {
				problems = append(problems, "podManagementPolicy is "+pm+", not Parallel")
			}
			if len(problems) > 0 {
				p.Reportf(c, Error, "upgrade from %s to %s needs the manual Raft migration but %s; use chart 17.0.0 or later with podManagementPolicy: Parallel, and delete the StatefulSet before upgrading", c.From, c.To(), strings.Join(problems, " and "))
				return
			}
			p.Reportf(c, Warning, "upgrade from %s to %s needs the manual Raft migration on Kubernetes; delete the StatefulSet (kubectl delete sts weaviate; volumes stay), deploy, then check GET /v1/cluster/statistics", c.From, c.To())
		})
	},
}
