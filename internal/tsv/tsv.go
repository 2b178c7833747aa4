// Package tsv reads wvlint's tab-separated data tables (the release
// catalog, the rules' tables): one row a line, fields split at tabs,
// blank lines and lines starting with # skipped, CRLF accepted.
package tsv

import (
	"fmt"
	"strings"
)

// Rows calls fn for each row with its 1-based line number. A row with fewer
// than cols fields is an error (cols 0 checks nothing). An error from fn
// stops the read and is returned prefixed with "line N: ".
func Rows(data []byte, cols int, fn func(line int, fields []string) error) error {
	return Lines(data, func(n int, line string) error {
		f := strings.Split(line, "\t")
		if len(f) < cols {
			return fmt.Errorf("want %d tab-separated columns, got %d", cols, len(f))
		}
		return fn(n, f)
	})
}

// Lines calls fn for each row, unsplit, with its 1-based line number: what
// Rows reads, for a reader that splits only the rows it needs. The text is
// copied once: fn may keep it.
func Lines(data []byte, fn func(line int, text string) error) error {
	rest := string(data)
	for n := 1; rest != ""; n++ {
		line, after, _ := strings.Cut(rest, "\n")
		rest = after
		line = strings.TrimRight(line, "\r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if err := fn(n, line); err != nil {
			return fmt.Errorf("line %d: %w", n, err)
		}
	}
	return nil
}
