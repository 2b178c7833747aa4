package rules

import (
	"fmt"
	"strings"

	"github.com/Masterminds/semver/v3"

	"github.com/wvlint/wvlint/internal/facts"
	"github.com/wvlint/wvlint/internal/inventory"
	"github.com/wvlint/wvlint/internal/version"
)

var (
	raftVersion = facts.Raft.Version
	raftChart   = facts.RaftChart.Version
)

// RaftMigration is WV1006.
var RaftMigration = &Rule{
	ID: "WV1006", Name: "raft-migration", Severity: Warning,
	Title: "an upgrade across the 1.25 Raft migration",
	Tags:  []string{"upgrade", "raft"},
	Doc: Doc{
		Why: "1.25 moved cluster metadata to Raft, migrated once on first start. On Docker it is automatic (a note). On Kubernetes it is manual: the StatefulSet must be deleted and recreated with podManagementPolicy: Parallel by Helm chart 17.0.0 or later, because Kubernetes cannot change that field in place and the pods of a multi-node cluster must start together. " +
			"A Kubernetes deployment still on an older chart, or a multi-node StatefulSet that is not Parallel, is an error; a ready one, or a single pod (which cannot deadlock whatever its pod management policy), gets the steps as a warning, with the StatefulSet's own name and namespace. When the chart version is not known, the warning states what must hold.",
		Fix:    "On Kubernetes: back up, `kubectl delete sts <name> -n <namespace>` (volumes stay), upgrade with chart 17.0.0+ and podManagementPolicy: Parallel, then check GET /v1/cluster/statistics; take another backup once on 1.25's latest patch, before upgrading further.",
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
		Output: []string{"statefulset.yaml:11:59: error: upgrade from 1.24.12 to 1.25.34 needs the manual Raft migration but podManagementPolicy is OrderedReady, not Parallel; use chart 17.0.0 or later with podManagementPolicy: Parallel, and delete the StatefulSet before upgrading (kubectl delete sts weaviate -n <namespace>) [WV1006 raft-migration]"}},
	Run: func(p *Pass) error {
		return each(p, func(c *Change) {
			if c.Ephemeral() || !c.Upgrade() || !c.From.LessThan(raftVersion) || c.To().LessThan(raftVersion) {
				return
			}
			raftMinor := version.MinorOf(raftVersion)
			again := "take another backup once on " + raftMinor + "'s latest patch"
			if l, ok := p.Catalog.Latest(raftMinor); ok {
				again = fmt.Sprintf("take another backup once on %s (%s's latest patch), before upgrading further", l, raftMinor)
			}
			if c.D.Platform != inventory.Kubernetes {
				p.Reportf(c, Note, "upgrade from %s to %s runs the one-time Raft migration of cluster metadata automatically on first start; %s", c.From, c.To(), again)
				return
			}
			kind, ns, name := workloadOf(c.D)
			del := "kubectl delete sts " + name + " -n " + ns
			if kind != "StatefulSet" {
				del = fmt.Sprintf("stop every pod of %s %s -n %s", kind, name, ns)
			}
			var problems []string
			chartKnown := false
			if c.D.Chart != "" {
				if v, err := semver.StrictNewVersion(strings.TrimPrefix(c.D.Chart, "v")); err == nil {
					chartKnown = true
					if v.LessThan(raftChart) {
						problems = append(problems, "Helm chart "+c.D.Chart+" is older than "+raftChart.String())
					}
				}
			}
			pm := c.D.PodManagementPolicy
			if pm != "" && pm != "Parallel" && c.D.Nodes != 1 {
				problems = append(problems, "podManagementPolicy is "+pm+", not Parallel")
			}
			if len(problems) > 0 {
				p.Reportf(c, Error, "upgrade from %s to %s needs the manual Raft migration but %s; use chart %s or later with podManagementPolicy: Parallel, and delete the StatefulSet before upgrading (%s)", c.From, c.To(), strings.Join(problems, " and "), raftChart, del)
				return
			}
			var pre []string
			helm := c.D.Kind != inventory.K8s && c.D.Kind != inventory.Kustomize
			if helm && !chartKnown {
				pre = append(pre, "Helm chart "+raftChart.String()+" or later")
			}
			if pm == "" && c.D.Nodes != 1 {
				pre = append(pre, "podManagementPolicy: Parallel")
			}
			cond := ""
			if len(pre) > 0 {
				cond = " (it needs " + strings.Join(pre, " and ") + ")"
			}
			if pm != "" && pm != "Parallel" {
				cond += " (one pod: podManagementPolicy " + pm + " cannot deadlock it; set Parallel before adding replicas)"
			}
			p.Reportf(c, Warning, "upgrade from %s to %s needs the manual Raft migration on Kubernetes%s; back up, delete the StatefulSet (%s; the volumes stay), deploy, check GET /v1/cluster/statistics, then %s",
				c.From, c.To(), cond, del, again)
		})
	},
}

// workloadOf names the Kubernetes workload of a deployment from its ID
// ("k8s:StatefulSet/search/vectordb#weaviate", also inside a kustomize
// overlay's ID); a Helm chart's is the StatefulSet "weaviate", which the
// chart names so. The namespace is "<namespace>" when the files do not say.
func workloadOf(d *inventory.Deployment) (kind, ns, name string) {
	kind, ns, name = "StatefulSet", "<namespace>", "weaviate"
	i := strings.Index(d.ID, "k8s:")
	if i < 0 {
		return kind, ns, name
	}
	ref := d.ID[i+len("k8s:"):]
	if j := strings.IndexByte(ref, '#'); j >= 0 {
		ref = ref[:j]
	}
	parts := strings.Split(ref, "/")
	switch len(parts) {
	case 2:
		return parts[0], ns, parts[1]
	case 3:
		return parts[0], parts[1], parts[2]
	}
	return kind, ns, name
}
