// Package compare says what a lint run compares the deployments with: a
// git revision, the versions the user names, or nothing.
package compare

// Compared says what was compared with what; the JSON output carries it.
type Compared struct {
	Mode   string `json:"mode"`             // git, from, none
	Base   string `json:"base,omitempty"`   // the ref as named
	Commit string `json:"commit,omitempty"` // its hash
	Head   string `json:"head,omitempty"`   // "working tree" or "index"
	Text   string `json:"text"`             // for people
}
