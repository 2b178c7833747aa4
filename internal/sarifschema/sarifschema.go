// Package sarifschema compiles the official SARIF 2.1.0 JSON schema that
// the repository keeps in testdata/schemas, for the tests that validate
// wvlint's SARIF output (internal/format, cmd/wvlint).
package sarifschema

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// File is the schema's path from the repository root.
const File = "testdata/schemas/sarif-schema-2.1.0.json"

// Load compiles the schema below the repository root root.
func Load(root string) (*jsonschema.Schema, error) {
	path := filepath.Join(root, filepath.FromSlash(File))
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("sarif-schema-2.1.0.json", doc); err != nil {
		return nil, err
	}
	return c.Compile("sarif-schema-2.1.0.json")
}
