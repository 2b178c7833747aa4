package ruledoc

import (
	"encoding/json"

	"github.com/wvlint/wvlint/rules"
)

// ConfigSchema is the JSON Schema of .wvlint.yaml, for editor completion
// (docs/wvlint.schema.json). Rule keys come from the registry.
func ConfigSchema(all []*rules.Rule) string {
	setting := map[string]any{
		"description": "off or on, or a severity to report the rule at",
		"oneOf": []any{
			map[string]any{"type": "string", "enum": []string{"off", "on", "note", "warning", "error"}},
			map[string]any{"type": "boolean"},
		},
	}
	ruleProps := map[string]any{}
	for _, r := range all {
		s := map[string]any{"$ref": "#/definitions/setting", "description": r.ID + " " + r.Name + ": " + r.Title}
		if r.Required {
			s = map[string]any{"description": r.ID + " " + r.Name + ": " + r.Title + " (cannot be turned off or re-graded)",
				"oneOf": []any{
					map[string]any{"type": "string", "enum": []string{"on", r.Severity.String()}},
					map[string]any{"type": "boolean", "enum": []bool{true}},
				}}
		}
		ruleProps[r.ID] = s
		ruleProps[r.Name] = s
	}
	schema := map[string]any{
		"$schema":              "http://json-schema.org/draft-07/schema#",
		"$id":                  "https://github.com/wvlint/wvlint/blob/main/docs/wvlint.schema.json",
		"title":                "wvlint configuration (.wvlint.yaml)",
		"type":                 "object",
		"additionalProperties": false,
		"definitions":          map[string]any{"setting": setting},
		"properties": map[string]any{
			"rules": map[string]any{
				"description":          "rules on or off, or at another severity, by ID or name",
				"type":                 "object",
				"additionalProperties": false,
				"properties":           ruleProps,
			},
			"ignore": map[string]any{
				"description": "path globs (with **), relative to this file, that wvlint does not read",
				"type":        "array",
				"items":       map[string]any{"type": "string"},
			},
			"fail-on": map[string]any{
				"description": "exit 1 when a finding is at or above this severity (default warning)",
				"type":        "string",
				"enum":        []string{"note", "warning", "error"},
			},
			"deployed": map[string]any{
				"description":          "the version running now, by deployment ID (see wvlint inventory)",
				"type":                 "object",
				"additionalProperties": map[string]any{"type": "string", "pattern": `^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$`},
			},
			"images": map[string]any{
				"description": "repository globs (with or without the registry; * stops at /, ** does not) of mirrors of the Weaviate server image, e.g. registry.corp.internal/vector/*",
				"type":        "array",
				"items":       map[string]any{"type": "string", "minLength": 1},
			},
			"values": map[string]any{
				"description": "path globs (with **), relative to this file, of files that are weaviate chart values (installed by a pipeline wvlint cannot read)",
				"type":        "array",
				"items":       map[string]any{"type": "string", "minLength": 1},
			},
		},
	}
	data, err := json.MarshalIndent(schema, "", "  ")
	if err != nil {
		panic(err) // static data
	}
	return string(data) + "\n"
}
