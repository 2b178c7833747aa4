package rules

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/Masterminds/semver/v3"

	"github.com/wvlint/wvlint/internal/tsv"
)

// rel is a release version, major.minor.patch. The environment table has
// about ten thousand cells: parsing them by hand keeps the first lint of a
// process (a pre-commit hook) from spending milliseconds in a regexp.
type rel struct{ major, minor, patch uint64 }

func parseRel(s string) (rel, bool) {
	var r rel
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return r, false
	}
	var n [3]uint64
	for i, p := range parts {
		if p == "" || (len(p) > 1 && p[0] == '0') {
			return r, false
		}
		x, err := strconv.ParseUint(p, 10, 64)
		if err != nil {
			return r, false
		}
		n[i] = x
	}
	return rel{n[0], n[1], n[2]}, true
}

// relOf is v without pre-release or build parts.
func relOf(v *semver.Version) rel { return rel{v.Major(), v.Minor(), v.Patch()} }

func (a rel) less(b rel) bool {
	if a.major != b.major {
		return a.major < b.major
	}
	if a.minor != b.minor {
		return a.minor < b.minor
	}
	return a.patch < b.patch
}

func (a rel) sameMinor(b rel) bool { return a.major == b.major && a.minor == b.minor }

func (a rel) String() string { return fmt.Sprintf("%d.%d.%d", a.major, a.minor, a.patch) }

// A cell says which patches of one minor read a variable.
type cellKind uint8

const (
	cellNone  cellKind = iota // "-": no patch
	cellAll                   // "all": every patch
	cellFrom                  // ">=1.X.Y": from lo to the minor's newest patch
	cellUpTo                  // "<=1.X.Y": up to hi
	cellRange                 // "A..B": lo to hi
)

type cell struct {
	kind   cellKind
	lo, hi rel
}

func parseCell(s string, m rel) (cell, bool) {
	switch {
	case s == "-":
		return cell{kind: cellNone}, true
	case s == "all":
		return cell{kind: cellAll}, true
	case strings.HasPrefix(s, ">="):
		r, ok := parseRel(s[2:])
		return cell{kind: cellFrom, lo: r}, ok && r.sameMinor(m)
	case strings.HasPrefix(s, "<="):
		r, ok := parseRel(s[2:])
		return cell{kind: cellUpTo, hi: r}, ok && r.sameMinor(m)
	}
	lo, hi, found := strings.Cut(s, "..")
	a, ok1 := parseRel(lo)
	b, ok2 := parseRel(hi)
	return cell{kind: cellRange, lo: a, hi: b}, found && ok1 && ok2 && a.sameMinor(m) && b.sameMinor(m) && !b.less(a)
}

// reads reports whether patch v of the cell's minor reads the variable.
func (c cell) reads(v rel) bool {
	switch c.kind {
	case cellAll:
		return true
	case cellFrom:
		return !v.less(c.lo)
	case cellUpTo:
		return !c.hi.less(v)
	case cellRange:
		return !v.less(c.lo) && !c.hi.less(v)
	}
	return false
}

// readsLatest reports whether the newest patch of the minor reads it.
// No `<=` or `..` cell of the table ends at its minor's newest tag
// (checked against weaviate/weaviate's tags), so only these two do.
func (c cell) readsLatest() bool { return c.kind == cellAll || c.kind == cellFrom }

// first is the first patch of minor m that reads the variable, if any.
func (c cell) first(m rel) (rel, bool) {
	switch c.kind {
	case cellAll, cellUpTo:
		return m, true
	case cellFrom, cellRange:
		return c.lo, true
	}
	return rel{}, false
}

// EnvTable is data/weaviate-env-by-version.tsv: which Weaviate versions
// read each environment variable. It is immutable once made. Its rows are
// kept as text and a row is read when its variable is looked up: a lint
// looks up the few variables its deployments set, and a pre-commit hook
// must not spend milliseconds on the ~470 others. ParseEnvTable checks
// every row; the embedded table is checked by the tests.
type EnvTable struct {
	minors []rel // X.Y.0 of each column, oldest first
	newest rel   // the newest tag the table was built from
	header []string
	rows   map[string]string // variable -> its row
}

// EnvVarInfo is one row of the table.
type EnvVarInfo struct {
	Name  string
	First string // first tag that reads it, "v1.26.14"
	Last  string // last tag that reads it, by version order
	Notes string
	cells []cell // one per minor of the table
}

// Lookup finds a variable by name. A row that does not read as one
// (ParseEnvTable refuses such a table) is not there.
func (t *EnvTable) Lookup(name string) (*EnvVarInfo, bool) {
	row, ok := t.rows[name]
	if !ok {
		return nil, false
	}
	e, err := t.parseRow(strings.Split(row, "\t"))
	return e, err == nil
}

// Len is the number of variables.
func (t *EnvTable) Len() int { return len(t.rows) }

// Minors are the minors the table covers, oldest first ("1.19").
func (t *EnvTable) Minors() []string {
	out := make([]string, len(t.minors))
	for i, m := range t.minors {
		out[i] = fmt.Sprintf("%d.%d", m.major, m.minor)
	}
	return out
}

// Newest is the newest tag the table was built from ("1.39.0").
func (t *EnvTable) Newest() string { return t.newest.String() }

// EnvStatus is what the table says about a variable at one version.
type EnvStatus int

// The statuses a variable can have at a version.
const (
	// EnvUnknown: the version is older than the table.
	EnvUnknown EnvStatus = iota
	// EnvRead: the version reads it.
	EnvRead
	// EnvNotYet: no version up to this one reads it (set ahead of an upgrade).
	EnvNotYet
	// EnvGap: an older version and a newer one read it, this one does not
	// (a backport that reached this minor in a later patch).
	EnvGap
	// EnvNotInNewest: the newest tag of the table does not read it, but
	// the newest patches of the minor before do: a backport the newest tag
	// lacks, not a removal.
	EnvNotInNewest
	// EnvRemoved: an older version read it and no newer one does.
	EnvRemoved
)

// EnvReading is the table's answer for one variable at one version.
type EnvReading struct {
	Status EnvStatus
	// ReadFrom is, for EnvGap, the first version after this one that reads it.
	ReadFrom string
	// LatestReads is, for EnvGap, whether the newest patch of this
	// version's minor reads it.
	LatestReads bool
	// Since is, for EnvNotInNewest, the first patch of the minor before
	// the newest that reads it ("1.38.10").
	Since string
}

// Reading says whether Weaviate v reads variable e.
//
// A version newer than the table's newest tag (1.39.1 or 1.40.0 for a
// table built at v1.39.0) reads what the newest tag reads, and also what
// the newest patches of the minor before read: such a variable is a
// backport that the newest tag lacks and that goes forward (all seven of
// the table's, GCS_MODULE_* and friends, are read by weaviate/weaviate's
// stable/v1.39 and main), not a removal. A removal is claimed only for a
// variable that neither reads.
func (t *EnvTable) Reading(e *EnvVarInfo, v *semver.Version) EnvReading {
	r := relOf(v)
	if len(t.minors) == 0 || r.less(t.minors[0]) {
		return EnvReading{Status: EnvUnknown}
	}
	last := len(t.minors) - 1
	if t.newest.less(r) {
		if e.cells[last].reads(t.newest) || (last > 0 && e.cells[last-1].readsLatest()) {
			return EnvReading{Status: EnvRead}
		}
		return EnvReading{Status: EnvRemoved}
	}
	idx := -1
	for i, m := range t.minors {
		if m.sameMinor(r) {
			idx = i
			break
		}
	}
	if idx < 0 {
		return EnvReading{Status: EnvUnknown}
	}
	c := e.cells[idx]
	if c.reads(r) {
		return EnvReading{Status: EnvRead}
	}
	readBefore := (c.kind == cellUpTo || c.kind == cellRange) && c.hi.less(r)
	for i := 0; i < idx && !readBefore; i++ {
		readBefore = e.cells[i].kind != cellNone
	}
	if !readBefore {
		return EnvReading{Status: EnvNotYet}
	}
	if (c.kind == cellFrom || c.kind == cellRange) && r.less(c.lo) {
		return EnvReading{Status: EnvGap, ReadFrom: c.lo.String(), LatestReads: c.readsLatest()}
	}
	for i := idx + 1; i <= last; i++ {
		if f, ok := e.cells[i].first(t.minors[i]); ok {
			return EnvReading{Status: EnvGap, ReadFrom: f.String(), LatestReads: c.readsLatest()}
		}
	}
	if idx == last && last > 0 && e.cells[last-1].readsLatest() {
		f, _ := e.cells[last-1].first(t.minors[last-1])
		return EnvReading{Status: EnvNotInNewest, Since: f.String()}
	}
	return EnvReading{Status: EnvRemoved}
}

// ParseEnvTable reads and checks the environment-variable table: the
// header names its minors and newest tag (`in_v1.39.0`), every cell is
// `all`, `-`, `>=V`, `<=V` or `A..B` with versions of its own minor, and
// the in_vX column agrees with the cells.
func ParseEnvTable(data []byte) (*EnvTable, error) {
	return readEnvTable(data, true)
}

// indexEnvTable reads the header and finds the rows of a table the tests
// have checked (the embedded one), leaving the rows as text.
func indexEnvTable(data []byte) (*EnvTable, error) {
	return readEnvTable(data, false)
}

func readEnvTable(data []byte, check bool) (*EnvTable, error) {
	t := &EnvTable{rows: make(map[string]string, bytes.Count(data, []byte("\n")))}
	err := tsv.Lines(data, func(n int, line string) error {
		if t.header == nil {
			return t.parseHeader(strings.Split(line, "\t"))
		}
		name, _, _ := strings.Cut(line, "\t")
		if check {
			f := strings.Split(line, "\t")
			e, err := t.parseRow(f)
			if err != nil {
				return err
			}
			if inNewest := e.cells[len(t.minors)-1].reads(t.newest); inNewest != (f[3] == "yes") {
				return fmt.Errorf("%s says %s=%s, its cells say %v", f[0], t.header[3], f[3], inNewest)
			}
		}
		if _, dup := t.rows[name]; dup {
			return fmt.Errorf("%s is listed twice", name)
		}
		t.rows[name] = line
		return nil
	})
	if err == nil && t.header == nil {
		err = fmt.Errorf("no header")
	}
	return t, err
}

// parseHeader reads the header row: its minors and newest tag.
func (t *EnvTable) parseHeader(f []string) error {
	if len(f) < 7 || f[0] != "env_var" || f[len(f)-1] != "notes" || !strings.HasPrefix(f[3], "in_v") {
		return errors.New("unexpected header")
	}
	newest, ok := parseRel(strings.TrimPrefix(f[3], "in_v"))
	if !ok {
		return fmt.Errorf("header %q does not name the newest tag", f[3])
	}
	t.newest = newest
	for _, h := range f[5 : len(f)-1] {
		m, ok := parseRel(strings.TrimPrefix(h, "v") + ".0")
		if !ok || (len(t.minors) > 0 && !t.minors[len(t.minors)-1].less(m)) {
			return fmt.Errorf("minor column %q is not a minor after the one before", h)
		}
		t.minors = append(t.minors, m)
	}
	if !t.minors[len(t.minors)-1].sameMinor(newest) {
		return fmt.Errorf("the newest tag %s is not of the last minor column", newest)
	}
	t.header = f
	return nil
}

// parseRow reads one row's fields.
func (t *EnvTable) parseRow(f []string) (*EnvVarInfo, error) {
	if len(f) != len(t.header) {
		return nil, fmt.Errorf("want %d columns, got %d", len(t.header), len(f))
	}
	e := &EnvVarInfo{Name: f[0], First: f[1], Last: f[2], Notes: f[len(f)-1], cells: make([]cell, len(t.minors))}
	for i, m := range t.minors {
		c, ok := parseCell(f[5+i], m)
		if !ok {
			return nil, fmt.Errorf("cell %q of %s for %s is not all, -, >=V, <=V or A..B of that minor", f[5+i], f[0], t.header[5+i])
		}
		e.cells[i] = c
	}
	return e, nil
}

// NoopSetting is one row of data/env-noop.tsv: a variable Weaviate still
// reads, from some version on, only to log that it has no effect.
type NoopSetting struct {
	Name string
	From *semver.Version // first version where it has no effect
	Says string          // what Weaviate logs when it is set
}

// ParseNoopSettings reads the no-op settings table.
func ParseNoopSettings(data []byte) ([]NoopSetting, error) {
	var out []NoopSetting
	err := tsv.Rows(data, 0, func(n int, f []string) error {
		if len(f) != 3 {
			return fmt.Errorf("want 3 columns, got %d", len(f))
		}
		from, err := semver.StrictNewVersion(f[1])
		if err != nil {
			return fmt.Errorf("from %q: %w", f[1], err)
		}
		if f[0] == "" || f[2] == "" {
			return errors.New("empty name or text")
		}
		out = append(out, NoopSetting{Name: f[0], From: from, Says: f[2]})
		return nil
	})
	return out, err
}
