// Package commalist reads comma-separated lists the way Weaviate's settings
// and wvlint's comments write them ("backup-s3, text2vec-openai",
// "WV1002,skipped-minor"): items trimmed, empty items dropped.
package commalist

import "strings"

// Split returns the items of a comma-separated list, trimmed, without
// empty ones; nil for none.
func Split(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Contains reports whether the list has item.
func Contains(list, item string) bool {
	for _, p := range Split(list) {
		if p == item {
			return true
		}
	}
	return false
}
