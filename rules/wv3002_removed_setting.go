package rules

import (
	"github.com/wvlint/wvlint/internal/version"
	"sort"
	"strings"

	"github.com/Masterminds/semver/v3"

	"github.com/wvlint/wvlint/internal/pos"
)

// goRuntime are variables the Go runtime reads whatever Weaviate does.
var goRuntime = map[string]bool{"GOMAXPROCS": true, "GOGC": true, "GOMEMLIMIT": true, "GODEBUG": true}

// RemovedSetting is WV3002.
var RemovedSetting = &Rule{
	ID: "WV3002", Name: "removed-setting", Severity: Warning,
	Title: "an environment variable the target version does not read, or reads only to ignore",
	Tags:  []string{"config"},
	Doc: Doc{
		Why: "Weaviate ignores environment variables it does not read, without a word, and a few it reads only to log that they do nothing: the setting silently stops working after the upgrade. " +
			"Removed: PROFILING_PORT after 1.25 (1.26+ reads GO_PROFILING_PORT), ENABLE_API_BASED_MODULES from 1.33, the REINDEX_MAP_TO_BLOCKMAX_* migration switches from 1.38, and others; the message says \"remove it or use its replacement\". " +
			"A backport gap is not a removal: ASYNC_REPLICATION_DISABLED is read by 1.26.14+ and by 1.27 only from 1.27.11, so on 1.27.5 the message names the patch that reads it. " +
			"Not in the newest tag is not a removal either: GCS_MODULE_GRPC_CONN_POOL, GCS_MODULE_TRANSPORT, the four REPLICA_MOVEMENT_CLEANUP_* and RUNTIME_REINDEX_ENABLED are 1.38.9-1.38.11 backports that v1.39.0 lacks (a warning on 1.39.0 that says so) but stable/v1.39 reads; for a version newer than the table a removal is claimed only for a variable that neither the newest tag nor the newest patches of the minor before it read. " +
			"No-op: from 1.39.0 PERSISTENCE_HNSW_DISABLE_SNAPSHOTS and the PERSISTENCE_HNSW_SNAPSHOT_* settings are read only to log \"is set but is a no-op\". " +
			"Only names that some Weaviate version read are checked; your own variables are never flagged. Ephemeral deployments (CI service containers) are skipped.",
		Fix: "Remove the variable, or use its replacement as the message says; for a backport gap, move to the patch the message names.",
		Source: "weaviate/weaviate tags v1.19.0..v1.39.0: the variables each release reads (rules/data/weaviate-env-by-version.tsv); " +
			"v1.38.11 usecases/config/environment.go lines 1077-1089 (REPLICA_MOVEMENT_CLEANUP_*), 1444 (RUNTIME_REINDEX_ENABLED), 2339-2364 (GCS_MODULE_*), none of them in v1.39.0, all of them in stable/v1.39 (c3c7245a18) and main (adcffc5432); " +
			"v1.39.0 usecases/config/environment.go lines 567-591 (the no-op HNSW snapshot settings, rules/data/env-noop.tsv); Weaviate docs, environment variables (/deploy/configuration/env-vars).",
	},
	Example: &Example{File: "compose.yaml", Content: `services:
  weaviate:
    image: cr.weaviate.io/semitechnologies/weaviate:1.38.11
    environment:
      REINDEX_MAP_TO_BLOCKMAX_AT_STARTUP: "true"
`, Output: []string{"compose.yaml:5:44: warning: REINDEX_MAP_TO_BLOCKMAX_AT_STARTUP is not read by Weaviate 1.38.11 (read 1.30.0 to 1.37.14): BlockMax migration switch (docs 1.30 guide); read 1.30.x-1.37.x, not read from 1.38.0 (runtime-reindex replaced it, commit 3f6e94f233); remove it or use its replacement [WV3002 removed-setting]"}},
	Run: func(p *Pass) error {
		// The tables are read when a deployment sets a variable, not for
		// a run with none (a pre-commit hook's usual files).
		var table *EnvTable
		var noop map[string]NoopSetting
		return each(p, func(c *Change) {
			v := c.To()
			if v == nil || c.Ephemeral() || len(c.D.Env) == 0 {
				return
			}
			if table == nil {
				table, noop = Env(), map[string]NoopSetting{}
				for _, s := range NoopSettings() {
					noop[s.Name] = s
				}
			}
			names := make([]string, 0, len(c.D.Env))
			for n := range c.D.Env {
				names = append(names, n)
			}
			sort.Strings(names)
			for _, n := range names {
				info, ok := table.Lookup(n)
				if !ok || goRuntime[n] {
					continue
				}
				e := c.D.Env[n]
				sp := e.Span
				if sp.Valid() && sp.EndCol == 0 {
					sp.EndCol = sp.Col + pos.RuneLen(e.Value)
				}
				if msg := removedSettingMessage(p, table, info, v, noop); msg != "" {
					p.ReportAtf(c, sp, Warning, "%s", msg)
				}
			}
		})
	},
}

// removedSettingMessage is the finding for variable info at version v, or
// "" when v reads it to some effect or the table cannot say.
func removedSettingMessage(p *Pass, table *EnvTable, info *EnvVarInfo, v *semver.Version, noop map[string]NoopSetting) string {
	n := info.Name
	r := table.Reading(info, v)
	switch r.Status {
	case EnvRead:
		if s, ok := noop[n]; ok && !v.LessThan(s.From) {
			return n + " has no effect on Weaviate " + v.String() + ": from " + s.From.String() + " Weaviate reads it only to log that it " + s.Says + "; remove it"
		}
	case EnvGap:
		where := "it is read again from " + r.ReadFrom
		if from, ok := parseRel(r.ReadFrom); ok && from.sameMinor(relOf(v)) {
			where = version.MinorOf(v) + " reads it from " + r.ReadFrom
		}
		latest := ""
		if from, _ := parseRel(r.ReadFrom); from.sameMinor(relOf(v)) {
			latest = ", but not its latest patch"
			if r.LatestReads {
				latest = ", the latest patch reads it"
				if l, ok := p.Catalog.Latest(version.MinorOf(v)); ok {
					latest = ", the latest patch " + l.String() + " reads it"
				}
			}
		}
		return n + " is not read by Weaviate " + v.String() + ": " + where + " (a backport; nothing replaced it); move to " + r.ReadFrom + " or later" + latest
	case EnvNotInNewest:
		return n + " is not read by Weaviate " + v.String() + ": a " + r.Since + "+ backport that " + table.Newest() + " lacks, not a removal; it has no effect on " + v.String() + ", keep it for the later patch that carries the backport"
	case EnvRemoved:
		return n + " is not read by Weaviate " + v.String() + " (read " + strings.TrimPrefix(info.First, "v") + " to " + strings.TrimPrefix(info.Last, "v") + ")" + notes(info) + "; remove it or use its replacement"
	}
	return ""
}

func notes(info *EnvVarInfo) string {
	if info.Notes == "" {
		return ""
	}
	return ": " + info.Notes
}
