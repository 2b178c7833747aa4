// Command wvlint checks that Weaviate upgrades in a repository are safe.
package main

import (
	"os"

	"github.com/wvlint/wvlint/internal/cli"
)

func main() { os.Exit(cli.Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
