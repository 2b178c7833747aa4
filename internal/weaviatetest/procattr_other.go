//go:build unix && !linux

package weaviatetest

import "syscall"

// procAttr puts the server in its own process group (stopped as a group).
func procAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setpgid: true} }
