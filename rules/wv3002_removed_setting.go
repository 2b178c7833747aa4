package rules

import (
	"sort"
	"strings"

	"github.com/wvlint/wvlint/internal/pos"
)

// goRuntime are variables the Go runtime reads whatever Weaviate does.
var goRuntime = map[string]bool{"GOMAXPROCS": true, "GOGC": true, "GOMEMLIMIT": true, "GODEBUG": true}

// RemovedSetting is WV3002.
var RemovedSetting = &Rule{
	ID: "WV3002", Name: "removed-setting", Severity: Warning,
	Title: "an environment variable the target version no longer reads",
	Tags:  []string{"config"},
	Doc: Doc{
		Why:    "Weaviate ignores environment variables it no longer reads, without a word: PROFILING_PORT after 1.25 (1.26+ reads GO_PROFILING_PORT), ENABLE_API_BASED_MODULES from 1.33, the REINDEX_MAP_TO_BLOCKMAX_* migration switches from 1.38, and others. The setting silently stops working after the upgrade. Only names that some Weaviate version read are checked; your own variables are never flagged.",
		Fix:    "Remove the variable, or use its replacement as the message says.",
		Source: "weaviate/weaviate tags v1.19.0..v1.39.0: the variables each release reads (rules/data/weaviate-env-by-version.tsv), and Weaviate docs, environment variables (/deploy/configuration/env-vars).",
	},
	Example: &Example{File: "compose.yaml", Content: `services:
  weaviate:
    image: cr.weaviate.io/semitechnologies/weaviate:1.38.11
    environment:
      REINDEX_MAP_TO_BLOCKMAX_AT_STARTUP: "true"
`, Output: []string{"compose.yaml:5:44: warning: REINDEX_MAP_TO_BLOCKMAX_AT_STARTUP is not read by Weaviate 1.38.11 (read 1.30.0 to 1.37.14): BlockMax migration switch (docs 1.30 guide); read 1.30.x-1.37.x, not read from 1.38.0 (runtime-reindex replaced it, commit 3f6e94f233); remove it or use its replacement [WV3002 removed-setting]"}},
	Run: func(p *Pass) error {
		table := EnvTable()
		return each(p, func(c *Change) {
			v := c.To()
			if v == nil || c.Ephemeral() {
				return
			}
			names := make([]string, 0, len(c.D.Env))
			for n := range c.D.Env {
				names = append(names, n)
			}
			sort.Strings(names)
			for _, n := range names {
				info, ok := table[n]
				if !ok || goRuntime[n] {
					continue
				}
				reads, known := info.Reads(v)
				if !known || reads {
					continue
				}
				first, _ := versionOf(info.First)
				if first == nil || !first.LessThan(v) {
					continue // not yet read: set ahead of an upgrade, not removed
				}
				e := c.D.Env[n]
				msg := n + " is not read by Weaviate " + v.String() + " (read " + strings.TrimPrefix(info.First, "v") + " to " + strings.TrimPrefix(info.Last, "v") + ")"
				if info.Notes != "" {
					msg += ": " + info.Notes
				}
				sp := e.Span
				if sp.Valid() && sp.EndCol == 0 {
					sp.EndCol = sp.Col + pos.RuneLen(e.Value)
				}
				p.ReportAtf(c, sp, Warning, "%s; remove it or use its replacement", msg)
			}
		})
	},
}
