//go:build linux

package weaviatetest

import "syscall"

// procAttr puts the server in its own process group (stopped as a group)
// and kills it if the test process dies first.
func procAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
