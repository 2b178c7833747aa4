package rules

import (
	"strings"

	"github.com/Masterminds/semver/v3"

	"github.com/wvlint/wvlint/internal/facts"
	"github.com/wvlint/wvlint/internal/version"
)

// UpgradeStep is WV4007.
var UpgradeStep = &Rule{
	ID: "WV4007", Name: "upgrade-step", Severity: Error,
	Title: "the step asked for with --to is not the next safe step from the running version",
	Tags:  []string{"live", "upgrade"},
	Doc: Doc{
		Why: "With --to, the preflight plans from the version that actually runs (GET /v1/meta), not the one the files claim: one minor at a time on its latest patch. " +
			"A --to that skips a minor, or that the planner refuses (a downgrade that breaks multi-node clusters), is an error; the live preconditions of the step are reported too: the one-time Raft migration from 1.24 to 1.25, and the backup-restore bug below 1.23.13.",
		Fix:    "Take the step the message names first (`wvlint plan FROM TO` prints the whole road), then run the preflight again before the next one.",
		Source: "Weaviate docs, Migration and upgrades (/deploy/migration); the 1.25 migration guide (/deploy/migration/weaviate-1-25).",
	},
	Example: &Example{
		Args: []string{"--to", "1.37.14"},
		Answers: []Answer{
			{Path: "/v1/meta", Body: `{"grpcMaxMessageSize":104858000,"hostname":"http://127.0.0.1:8080","modules":{"backup-s3":{"bucketName":"weaviate-backups","endpoint":"s3.eu-west-1.amazonaws.com","useSSL":true}},"version":"1.35.2"}`},
		},
		Output: []string{`/v1/meta: error: 1.35.2 -> 1.37.14 skips a step: the path is 1.35.2 -> 1.36.23 -> 1.37.14; take the step to 1.36.23 first [WV4007 upgrade-step]`},
	},
	Live: func(p *LivePass) {
		c := p.Cluster
		if c.To == nil || c.Version == nil {
			return
		}
		if c.Refused != "" {
			p.Reportf(EndpointMeta, Error, "%s -> %s is refused: %s", c.Version, c.To, c.Refused)
			return
		}
		if c.NextStep != "" && c.NextStep != c.To.String() {
			p.Reportf(EndpointMeta, Error, "%s -> %s skips a step: the path is %s; take the step to %s first", c.Version, c.To, strings.Join(c.Path, " -> "), c.NextStep)
		}
		next := c.To
		if v, err := semver.StrictNewVersion(c.NextStep); err == nil {
			next = v
		}
		if c.Version.LessThan(facts.RestoreFixed.Version) && c.Version.LessThan(next) {
			p.Reportf(EndpointMeta, Warning, "the running %s has the backup-restore bug fixed in %[2]s: take a backup now, upgrade to %[2]s or later (%s preferred), then restore that backup", c.Version, facts.RestoreFixed.Version, facts.RestorePrefer)
		}
		if c.Version.LessThan(raftVersion) && !next.LessThan(raftVersion) {
			how := "on Docker the server migrates it at start; on Kubernetes delete the StatefulSet, use Helm chart " + raftChart.String() + " or later, then redeploy"
			switch c.Platform {
			case "docker":
				how = "on Docker the server migrates it at start"
			case "kubernetes":
				how = "on Kubernetes delete the StatefulSet (the data volumes stay), use Helm chart " + raftChart.String() + " or later, then redeploy with all pods at once"
			}
			p.Reportf(EndpointMeta, Warning, "%s -> %s migrates cluster metadata to Raft once (%s); afterwards GET /v1/cluster/statistics must list every node with synchronized: true, and take another backup at %s", c.Version, next, how, version.MinorOf(raftVersion))
		}
	},
}
