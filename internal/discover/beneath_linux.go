package discover

import (
	"errors"
	"fmt"
	"io"
	"sync"

	"golang.org/x/sys/unix"
)

// On Linux a candidate is opened with openat2 beneath its root with no
// symbolic link allowed on the way (RESOLVE_NO_SYMLINKS): the kernel
// refuses, atomically, what a walk that follows no link would not reach.
// A git listing then needs no lstat per file, and a tracked file replaced
// by a link (or under a directory replaced by one) is still never
// followed. Kernels before 5.6, and sandboxes that filter the call, fall
// back to an lstat per listed file and a plain open.

var beneath struct {
	once sync.Once
	ok   bool
	was  bool // a test's saved ok
}

// beneathOK reports whether openat2 with RESOLVE_NO_SYMLINKS works here.
func beneathOK() bool {
	beneath.once.Do(func() {
		fd, err := unix.Openat2(unix.AT_FDCWD, "/", &unix.OpenHow{Flags: unix.O_PATH | unix.O_CLOEXEC | unix.O_DIRECTORY, Resolve: unix.RESOLVE_NO_SYMLINKS})
		if err == nil {
			unix.Close(fd)
			beneath.ok = true
		}
	})
	return beneath.ok
}

// openBeneath opens rel under the directory dirfd for reading, refusing
// any symbolic link on the way and anything but a regular file; it
// returns the descriptor and the file's size. A FIFO is opened without
// blocking and refused.
func openBeneath(dirfd int, rel string) (fd int, size int64, err error) {
	how := &unix.OpenHow{Flags: unix.O_RDONLY | unix.O_CLOEXEC | unix.O_NONBLOCK | unix.O_NOCTTY, Resolve: unix.RESOLVE_NO_SYMLINKS | unix.RESOLVE_BENEATH}
	for {
		fd, err = unix.Openat2(dirfd, rel, how)
		if err != unix.EINTR && err != unix.EAGAIN {
			break
		}
	}
	switch {
	case errors.Is(err, unix.ELOOP), errors.Is(err, unix.EXDEV):
		return -1, 0, errLink
	case errors.Is(err, unix.ENOENT), errors.Is(err, unix.ENOTDIR):
		return -1, 0, fmt.Errorf("%w (%w)", errGone, err)
	case err != nil:
		return -1, 0, err
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		unix.Close(fd)
		return -1, 0, err
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG {
		unix.Close(fd)
		return -1, 0, errNotRegular
	}
	return fd, st.Size, nil
}

func closeFD(fd int) { unix.Close(fd) }

// fdReader reads an open descriptor.
type fdReader int

func (f fdReader) Read(b []byte) (int, error) {
	for {
		n, err := unix.Read(int(f), b)
		switch {
		case err == unix.EINTR || err == unix.EAGAIN:
			continue
		case err != nil:
			return 0, err
		case n == 0 && len(b) > 0:
			return 0, io.EOF
		}
		return n, nil
	}
}

// Seek sets the offset of the next Read.
func (f fdReader) Seek(offset int64, whence int) (int64, error) {
	return unix.Seek(int(f), offset, whence)
}

// openDirBeneath opens the directory rel under dirfd for listing, refusing
// any symbolic link on the way.
func openDirBeneath(dirfd int, rel string) (int, error) {
	how := &unix.OpenHow{Flags: unix.O_RDONLY | unix.O_CLOEXEC | unix.O_DIRECTORY, Resolve: unix.RESOLVE_NO_SYMLINKS | unix.RESOLVE_BENEATH}
	for {
		fd, err := unix.Openat2(dirfd, rel, how)
		if err != unix.EINTR && err != unix.EAGAIN {
			return fd, err
		}
	}
}
