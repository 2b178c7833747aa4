package rules

// ParseError is WV9001. The loader reports it for files that could not be
// read or parsed; it has no Run of its own.
var ParseError = &Rule{
	ID: "WV9001", Name: "parse-error", Severity: Error, Required: true,
	Title: "a file could not be read or parsed",
	Tags:  []string{"wvlint"},
	Doc: Doc{
		Why:    "A file wvlint cannot read may pin a version nobody checks. The other files are still checked, and wvlint exits 2. The rule cannot be turned off or re-graded in .wvlint.yaml; one error can be suppressed with a `# wvlint:ignore WV9001 <reason>` comment on its line or the line above, or recorded in a baseline.",
		Fix:    "Fix the syntax error at the line given, or exclude the file with `ignore:` in .wvlint.yaml.",
		Source: "wvlint.",
	},
	Example: &Example{File: "compose.yaml", From: "", Content: `services:
  weaviate:
    image: cr.weaviate.io/semitechnologies/weaviate:1.28.16
  - broken
`,
		Output: []string{"compose.yaml:4: error: invalid YAML: did not find expected key [WV9001 parse-error]"}},
}
