package rules

// MalformedSuppression is WV9002. The engine reports it; it has no Run.
var MalformedSuppression = &Rule{
	ID: "WV9002", Name: "malformed-suppression", Severity: Error,
	Title: "a wvlint:ignore comment is malformed",
	Tags:  []string{"wvlint"},
	Doc: Doc{
		Why:    "A suppression must name the rules it silences and say why, so that the next reader can judge it: `# wvlint:ignore WV1002 <reason>`. One without a rule, with an unknown rule or without a reason silences nothing.",
		Fix:    "Name the rule (ID or name; several with commas) and give a reason.",
		Source: "wvlint.",
	},
	Example: &Example{File: "compose.yaml", Content: `services:
  weaviate:
    # wvlint:ignore WV1002
    image: cr.weaviate.io/semitechnologies/weaviate:1.27.5
`, Output: []string{"compose.yaml:3:7: error: wvlint:ignore WV1002 gives no reason; add one after the rule [WV9002 malformed-suppression]"}},
}

// UnusedSuppression is WV9003. The engine reports it; it has no Run.
var UnusedSuppression = &Rule{
	ID: "WV9003", Name: "unused-suppression", Severity: Warning,
	Title: "a wvlint:ignore comment silences nothing",
	Tags:  []string{"wvlint"},
	Doc: Doc{
		Why:    "A suppression that matches no finding is stale: the problem was fixed, or the comment is on the wrong line. Left in place it would hide the next real finding there.",
		Fix:    "Remove the comment, or move it onto the finding's line or the line above it.",
		Source: "wvlint.",
	},
	Example: &Example{File: "compose.yaml", Content: `services:
  weaviate:
    # wvlint:ignore WV2001 we track latest in staging
    image: cr.weaviate.io/semitechnologies/weaviate:1.28.16
`, Output: []string{"compose.yaml:3:7: warning: wvlint:ignore WV2001 matches no finding on line 4; remove it [WV9003 unused-suppression]"}},
}
