// Package tsv reads wvlint's tab-separated data tables (the release
// catalog, the rules' tables): one row a line, fields split at tabs,
// blank lines and lines starting with # skipped, CRLF accepted.
package tsv

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"
)

// Rows calls fn for each row with its 1-based line number. A row with fewer
// than cols fields is an error (cols 0 checks nothing). An error from fn
// stops the read and is returned prefixed with "line N: ".
func Rows(data []byte, cols int, fn func(line int, fields []string) error) error {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < cols {
			return fmt.Errorf("line %d: want %d tab-separated columns, got %d", n, cols, len(f))
		}
		if err := fn(n, f); err != nil {
			return fmt.Errorf("line %d: %w", n, err)
		}
	}
	return sc.Err()
}
