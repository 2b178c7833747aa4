//go:build !linux

package discover

// Elsewhere than Linux there is no openat2: a git listing costs an lstat
// per file and reads use a plain open (see beneath_linux.go).

var beneath struct{ ok, was bool }

func beneathOK() bool { return false }

func openBeneath(int, string) (int, int64, error) { return -1, 0, errNotRegular }

func openDirBeneath(int, string) (int, error) { return -1, errNotRegular }

func closeFD(int) {}

type fdReader int

func (fdReader) Read([]byte) (int, error) { return 0, errNotRegular }

func (fdReader) Seek(int64, int) (int64, error) { return 0, errNotRegular }
