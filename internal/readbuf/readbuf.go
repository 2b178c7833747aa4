// Package readbuf holds file contents read into a buffer that the reader
// reuses for the next file. The contents are a Borrowed value, not a
// []byte: whatever outlives the call that received them must be copied
// out with Copy or String, which the type makes the only way to keep them.
package readbuf

import (
	"bytes"
	"errors"
	"fmt"
)

// Borrowed is a view of a reused read buffer, valid until the reader reads
// the next file. Its bytes cannot be reached without a copy.
type Borrowed struct{ b []byte }

// Borrow wraps a buffer the caller will reuse. Only readers call it.
func Borrow(b []byte) Borrowed { return Borrowed{b: b} }

// Len is the size in bytes.
func (v Borrowed) Len() int { return len(v.b) }

// Copy returns the contents in storage the caller owns.
func (v Borrowed) Copy() []byte { return bytes.Clone(v.b) }

// String returns the contents as a string (a copy).
func (v Borrowed) String() string { return string(v.b) }

// Index is bytes.Index on the contents.
func (v Borrowed) Index(sep []byte) int { return bytes.Index(v.b, sep) }

// At is the byte at offset i.
func (v Borrowed) At(i int) byte { return v.b[i] }

// From is the view of the contents from offset i on.
func (v Borrowed) From(i int) Borrowed { return Borrowed{b: v.b[i:]} }

// Binary reports whether the first 8000 bytes hold a NUL byte, as git
// decides that a file is binary.
func (v Borrowed) Binary() bool {
	return bytes.IndexByte(v.b[:min(len(v.b), 8000)], 0) >= 0
}

// Test runs f on the contents and returns its answer; f must not keep its
// argument (pure predicates such as a byte pre-filter).
func (v Borrowed) Test(f func([]byte) bool) bool { return f(v.b) }

// A Gate tells a reader which large files are worth holding whole: it
// reads such a file in pieces through a fixed buffer first, and whole only
// once Holds holds of a piece. Pieces start and end at any byte and
// overlap by Overlap bytes, so a text of up to Overlap+1 bytes always lies
// whole in one of them. Holds must hold of some piece of every file the
// caller wants: false of all of them means the file is not wanted. It
// must not keep the piece.
type Gate struct {
	Holds   func(name string, piece []byte) bool
	Overlap int
}

// ErrNotWanted is returned by a gated reader for a file its Gate held of
// no piece of: it was read through a fixed buffer, never held whole.
var ErrNotWanted = errors.New("no piece of the file is wanted; not held")

// TooLargeError is returned by a reader for a file over its size limit.
type TooLargeError struct {
	Size, Limit int64
	Mentions    bool // the file holds what the scan looks for (its Sniff said so)
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("file is %d bytes, over the %d-byte limit; not scanned (raise --max-file-size to scan it)", e.Size, e.Limit)
}

// SkippedError is returned by a reader for a file the listing named that
// turned out not to be one to read: gone since it was listed, no longer a
// regular file, or a symbolic link (never followed). Notice, when not
// empty, is what to tell the user at the file; otherwise it is skipped
// silently, as the walk skips such entries.
type SkippedError struct{ Notice string }

func (e *SkippedError) Error() string {
	if e.Notice == "" {
		return "not a regular file; skipped"
	}
	return e.Notice
}
