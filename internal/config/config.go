// Package config reads .wvlint.yaml: rules on or off by ID or name,
// severity overrides, ignored path globs, the --fail-on default, the
// versions known to be deployed, the mirrors of the Weaviate image and the
// files that are weaviate chart values. Unknown keys are errors with their
// line.
package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
	"go.yaml.in/yaml/v3"

	"github.com/wvlint/wvlint/internal/version"
	"github.com/wvlint/wvlint/internal/yamlx"
	"github.com/wvlint/wvlint/rules"
)

// FileName is the configuration file wvlint looks for.
const FileName = ".wvlint.yaml"

// RuleSetting is what the config says of one rule.
type RuleSetting struct {
	Off      bool
	Severity *rules.Severity
}

// Config is a parsed .wvlint.yaml.
type Config struct {
	Path     string                 // "" when there is none
	Dir      string                 // globs are relative to it
	Rules    map[string]RuleSetting // by rule ID
	Ignore   []string
	FailOn   *rules.Severity
	Deployed map[string]string // deployment ID -> version running now
	// Images are globs of image repositories that are mirrors of the
	// Weaviate server image ("registry.example.cn/team/weaviate").
	Images []Glob
	// Values are path globs (relative to Dir) of files that are weaviate
	// chart values (installed by a script or pipeline wvlint cannot read).
	Values []Glob
}

// Glob is a pattern and the line it is written on.
type Glob struct {
	Pattern string
	Line    int
}

// Error is a config mistake at a line.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// Find looks for .wvlint.yaml in dir and its parents.
func Find(dir string) (string, bool) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", false
	}
	if st, err := os.Stat(abs); err == nil && !st.IsDir() {
		abs = filepath.Dir(abs)
	}
	for {
		p := filepath.Join(abs, FileName)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			return p, true
		}
		parent := filepath.Dir(abs)
		if parent == abs {
			return "", false
		}
		abs = parent
	}
}

// Load reads and checks a config file.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return Parse(path, data)
}

// Parse checks a config text.
func Parse(path string, data []byte) (*Config, error) {
	dir := filepath.Dir(path)
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs // Ignored compares absolute paths: --config given relative
	}
	c := &Config{Path: path, Dir: dir, Rules: map[string]RuleSetting{}, Deployed: map[string]string{}}
	f, err := yamlx.Parse(path, data)
	if err != nil {
		var ye *yamlx.Error
		if errors.As(err, &ye) {
			return nil, &Error{path, ye.Line, "invalid YAML: " + ye.Msg}
		}
		return nil, err
	}
	if len(f.Docs) == 0 {
		return c, nil
	}
	root := f.Docs[0]
	if !yamlx.IsMap(root) {
		return nil, &Error{path, root.Line, "the configuration must be a mapping"}
	}
	bad := func(n *yaml.Node, format string, args ...any) error {
		return &Error{path, n.Line, fmt.Sprintf(format, args...)}
	}
	for _, p := range yamlx.Pairs(root) {
		switch p.Key.Value {
		case "rules":
			if !yamlx.IsMap(p.Value) {
				return nil, bad(p.Value, "rules: want a mapping of rule ID or name to off, on, note, warning or error")
			}
			for _, rp := range yamlx.Pairs(p.Value) {
				r := rules.Lookup(rp.Key.Value)
				if r == nil {
					return nil, bad(rp.Key, "rules: unknown rule %q (see 'wvlint rules')", rp.Key.Value)
				}
				v, _ := yamlx.Str(rp.Value)
				if r.Required && !isOn(v) && !strings.EqualFold(v, r.Severity.String()) {
					return nil, bad(rp.Value, "rules: %s %s cannot be turned off or re-graded: a file wvlint cannot read would pass unchecked; exclude the file with ignore:, or suppress one error with # wvlint:ignore %s <reason>", r.ID, r.Name, r.ID)
				}
				var set RuleSetting
				switch {
				case isOff(v):
					set.Off = true
				case isOn(v):
				default:
					sev, err := rules.ParseSeverity(v)
					if err != nil {
						return nil, bad(rp.Value, "rules: %s: %v (or off, on)", rp.Key.Value, err)
					}
					set.Severity = &sev
				}
				c.Rules[r.ID] = set
			}
		case "ignore":
			items := yamlx.Items(p.Value)
			if items == nil && p.Value.Kind != yaml.SequenceNode {
				return nil, bad(p.Value, "ignore: want a list of path globs")
			}
			for _, it := range items {
				g, ok := yamlx.Str(it)
				if !ok || !doublestar.ValidatePattern(g) {
					return nil, bad(it, "ignore: invalid glob %q", it.Value)
				}
				c.Ignore = append(c.Ignore, g)
			}
		case "fail-on":
			v, _ := yamlx.Str(p.Value)
			sev, err := rules.ParseSeverity(v)
			if err != nil {
				return nil, bad(p.Value, "fail-on: %v", err)
			}
			c.FailOn = &sev
		case "deployed":
			if !yamlx.IsMap(p.Value) {
				return nil, bad(p.Value, "deployed: want a mapping of deployment ID (see 'wvlint inventory') to the version running now")
			}
			for _, dp := range yamlx.Pairs(p.Value) {
				v, _ := yamlx.Str(dp.Value)
				if _, err := version.ParseVersion(v); err != nil {
					return nil, bad(dp.Value, "deployed: %s: %v", dp.Key.Value, err)
				}
				c.Deployed[dp.Key.Value] = v
			}
		case "images", "values":
			items := yamlx.Items(p.Value)
			if items == nil && p.Value.Kind != yaml.SequenceNode {
				return nil, bad(p.Value, "%s: want a list of globs", p.Key.Value)
			}
			for _, it := range items {
				g, ok := yamlx.Str(it)
				if !ok || g == "" || !doublestar.ValidatePattern(g) {
					return nil, bad(it, "%s: invalid glob %q", p.Key.Value, it.Value)
				}
				if p.Key.Value == "images" {
					c.Images = append(c.Images, Glob{g, it.Line})
				} else {
					c.Values = append(c.Values, Glob{g, it.Line})
				}
			}
		default:
			return nil, bad(p.Key, "unknown key %q (known: rules, ignore, fail-on, deployed, images, values)", p.Key.Value)
		}
	}
	return c, nil
}

// Ignored reports whether a file (as the scanner names it) matches an
// ignore glob, relative to the config's directory.
func (c *Config) Ignored(file string) bool {
	if c == nil || len(c.Ignore) == 0 {
		return false
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return false
	}
	rel, err := filepath.Rel(c.Dir, abs)
	if err != nil {
		return false
	}
	rel = filepath.ToSlash(rel)
	for _, g := range c.Ignore {
		if ok, _ := doublestar.Match(g, rel); ok {
			return true
		}
	}
	return false
}

// Apply returns the rules the config leaves on, with severity overrides
// applied to copies (the registry itself never changes).
func (c *Config) Apply(all []*rules.Rule) []*rules.Rule {
	if c == nil {
		return all
	}
	var out []*rules.Rule
	for _, r := range all {
		set := c.Rules[r.ID]
		if set.Off {
			continue
		}
		out = append(out, r)
	}
	return out
}

// Severity is the severity a finding of rule r is reported at.
func (c *Config) Severity(r *rules.Rule, found rules.Severity) rules.Severity {
	if c == nil {
		return found
	}
	if set, ok := c.Rules[r.ID]; ok && set.Severity != nil {
		return *set.Severity
	}
	return found
}

// isOn reports whether a rule setting leaves a rule as it is.
func isOn(v string) bool {
	switch strings.ToLower(v) {
	case "on", "true", "enable", "enabled":
		return true
	}
	return false
}

// isOff reports whether a rule setting turns a rule off.
func isOff(v string) bool {
	switch strings.ToLower(v) {
	case "off", "false", "disable", "disabled":
		return true
	}
	return false
}
