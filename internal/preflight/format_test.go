package preflight_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/wvlint/wvlint/internal/diag"
	"github.com/wvlint/wvlint/internal/pos"
	"github.com/wvlint/wvlint/internal/preflight"
	"github.com/wvlint/wvlint/rules"
)

// TestJSONAsWritten: preflight's JSON is written as wvlint's other JSON
// outputs are: "->" in a message stays "->" (not "-\u003e"), and a
// character a terminal would act on in the server's text (a C1 CSI, a bidi
// override) is escaped, while the document still decodes to the text sent.
func TestJSONAsWritten(t *testing.T) {
	const msg = "upgrade from 1.35.2 to 1.37.14 skips 1.36; upgrade to 1.36.23 first (path: 1.36.23 -> 1.37.14)"
	const version = "1.35.2\u009b31m\u202e"
	r := &preflight.Result{
		URL:      "http://localhost:8080",
		Attempts: 1,
		Cluster:  &rules.Cluster{VersionText: version, NodesRead: true, Nodes: []rules.LiveNode{{Name: "weaviate-0", Status: "HEALTHY", Version: version}}},
		Findings: []diag.Diagnostic{{Rule: "WV1001", Severity: diag.Error, Span: pos.Span{File: "http://localhost:8080"}, Message: msg}},
	}
	var b bytes.Buffer
	if err := preflight.JSON(&b, r, rules.Warning); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.Contains(out, "path: 1.36.23 -> 1.37.14") || strings.Contains(out, `\u003e`) {
		t.Errorf("the message is HTML-escaped:\n%s", out)
	}
	if strings.ContainsAny(out, "\u009b\u202e") {
		t.Errorf("the server's text reached the output raw:\n%q", out)
	}
	var got struct {
		Server struct {
			Version string
			Nodes   []struct{ Version string }
		}
		Findings []struct{ Message string }
	}
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, out)
	}
	if got.Server.Version != version || len(got.Server.Nodes) != 1 || got.Server.Nodes[0].Version != version ||
		len(got.Findings) != 1 || got.Findings[0].Message != msg {
		t.Errorf("decoded %+v", got)
	}
}
