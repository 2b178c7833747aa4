package fix

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
)

// WriteFile replaces the file at path, which must still hold old, with
// data. It writes a temporary file in the same directory, gives it the
// original's permission bits, syncs it and renames it over the original, so
// a reader sees the old file or the new one, never half of one. It refuses
// symbolic links (wvlint follows no link) and anything but a regular file.
// A hard-linked file becomes a file of its own.
func WriteFile(path string, old, data []byte) (err error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return err
	}
	switch {
	case fi.Mode()&os.ModeSymlink != 0:
		return fmt.Errorf("%s: a symbolic link: not rewritten (fix the file it points to)", path)
	case !fi.Mode().IsRegular():
		return fmt.Errorf("%s: not a regular file: not rewritten", path)
	}
	now, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if !bytes.Equal(now, old) {
		return fmt.Errorf("%s: changed while wvlint was fixing it: not rewritten", path)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".wvlint-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Chmod(fi.Mode() & (os.ModePerm | os.ModeSetuid | os.ModeSetgid | os.ModeSticky)); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
