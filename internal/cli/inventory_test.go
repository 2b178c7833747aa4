package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/wvlint/wvlint/internal/inventory"
)

// A name that holds a control character is quoted as Go's %q quotes it, as
// in lint output; texts keep their escapes unquoted.
func TestInventoryTextEscapes(t *testing.T) {
	res := &inventory.Result{Deployments: []inventory.Deployment{{
		File: "a\x1b[2Jb.yaml", Line: 3, Column: 8, Version: "1.27.0", Kind: inventory.HelmValues, Platform: inventory.Kubernetes,
		Image: "semitechnologies/weaviate:1.27.0", ID: "helm:x", Evidence: "a\x1b[2Jb.yaml:2 image.repo is semitechnologies/weaviate\r",
	}}}
	var b bytes.Buffer
	writeInventoryText(&b, res)
	out := b.String()
	if strings.ContainsAny(out, "\x1b\r") {
		t.Fatalf("control characters printed: %q", out)
	}
	if !strings.Contains(out, `"a\x1b[2Jb.yaml":3:8: weaviate 1.27.0 (helm-values, kubernetes)`) || !strings.Contains(out, `evidence a\x1b[2Jb.yaml:2 image.repo is semitechnologies/weaviate\r`) {
		t.Errorf("output: %s", out)
	}
}
