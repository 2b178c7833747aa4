// Command wvlint-vet runs wvlint's Go analyzer as a vet tool:
//
//	go install github.com/wvlint/wvlint/cmd/wvlint-vet@latest
//	go vet -vettool=$(which wvlint-vet) ./...
package main

import (
	"golang.org/x/tools/go/analysis/unitchecker"

	"github.com/wvlint/wvlint/analyzer"
)

func main() { unitchecker.Main(analyzer.Analyzer) }
