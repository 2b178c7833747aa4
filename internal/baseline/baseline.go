// Package baseline records the diagnostics a repository already has, by
// fingerprint, so that a run reports only new ones (--write-baseline,
// --baseline).
package baseline

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sort"

	"github.com/wvlint/wvlint/internal/diag"
)

// file is the baseline file, version 1.
type file struct {
	Version  int     `json:"version"`
	Findings []entry `json:"findings"`
}

type entry struct {
	Fingerprint string `json:"fingerprint"`
	Rule        string `json:"rule"`
	File        string `json:"file"`
	Message     string `json:"message"`
}

// Set is the fingerprints of a baseline.
type Set map[string]bool

// Has reports whether the baseline records d.
func (s Set) Has(d diag.Diagnostic) bool { return s[d.Fingerprint] }

// Read loads a baseline file.
func Read(path string) (Set, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	var b file
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, fmt.Errorf("baseline %s: %w", path, err)
	}
	if b.Version != 1 {
		return nil, fmt.Errorf("baseline %s: unknown version %d", path, b.Version)
	}
	known := Set{}
	for _, f := range b.Findings {
		known[f.Fingerprint] = true
	}
	return known, nil
}

// Write records diagnostics in a baseline file, sorted by fingerprint.
func Write(path string, ds []diag.Diagnostic) error {
	b := file{Version: 1, Findings: []entry{}}
	for _, d := range ds {
		b.Findings = append(b.Findings, entry{d.Fingerprint, d.Rule, d.Span.File, d.Message})
	}
	sort.Slice(b.Findings, func(i, j int) bool { return b.Findings[i].Fingerprint < b.Findings[j].Fingerprint })
	// People review the file in diffs: "->" stays "->", not "-\u003e".
	var data bytes.Buffer
	enc := json.NewEncoder(&data)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(b); err != nil {
		return err
	}
	return os.WriteFile(path, data.Bytes(), 0o644)
}

// Filter drops the diagnostics the baseline records and returns the rest
// and how many it dropped.
func (s Set) Filter(ds []diag.Diagnostic) ([]diag.Diagnostic, int) {
	if len(s) == 0 {
		return ds, 0
	}
	kept, n := ds[:0], 0
	for _, d := range ds {
		if s.Has(d) {
			n++
			continue
		}
		kept = append(kept, d)
	}
	return kept, n
}
