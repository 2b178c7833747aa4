package format

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/wvlint/wvlint/internal/catalog"
	"github.com/wvlint/wvlint/internal/compare"
	"github.com/wvlint/wvlint/internal/diag"
	"github.com/wvlint/wvlint/internal/gittest"
	"github.com/wvlint/wvlint/internal/lint"
	"github.com/wvlint/wvlint/internal/pos"
	"github.com/wvlint/wvlint/internal/remedy"
	"github.com/wvlint/wvlint/internal/sarifschema"
	"github.com/wvlint/wvlint/rules"
)

var update = os.Getenv("WVLINT_UPDATE") == "1"

func schema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	s, err := sarifschema.Load(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// lintTree writes files into a temp dir, lints it from there and returns
// the SARIF log.
func lintTree(t *testing.T, files map[string]string, from string) ([]byte, *lint.Report) {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		gittest.Write(t, dir, name, body)
	}
	t.Chdir(dir)
	var fromArgs []string
	if from != "" {
		fromArgs = []string{from}
	}
	rep, err := lint.Run(lint.Options{Paths: []string{"."}, Target: fromTarget(t, fromArgs), Catalog: catalog.Embedded(), Rules: rules.All(), Root: dir})
	if err != nil {
		t.Fatal(err)
	}
	// As the CLI does: the fixes wvlint --fix would write.
	remedy.Attach(rep.Diagnostics, remedy.Suggest(rep.Diagnostics, rep.Deployments, catalog.Embedded()))
	var b bytes.Buffer
	if err := SARIF(&b, rules.All(), rep.Diagnostics, &Run{Root: dir, Category: "wvlint/deploy", Version: "v1.2.3"}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), rep
}

func validate(t *testing.T, s *jsonschema.Schema, data []byte) map[string]any {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(inst); err != nil {
		t.Fatalf("SARIF does not validate: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

const compose = "services:\n  weaviate:\n    image: semitechnologies/weaviate:${V}\n"

func TestSchemaAndGoldens(t *testing.T) {
	s := schema(t)
	tests := []struct {
		name  string
		files map[string]string
		from  string
	}{
		{"clean", map[string]string{"compose.yaml": "services:\n  w:\n    image: semitechnologies/weaviate:1.28.16\n"}, ""},
		{"one", map[string]string{"compose.yaml": "services:\n  w:\n    image: semitechnologies/weaviate:latest\n"}, ""},
		{"many", map[string]string{"deploy/compose.yaml": compose, "deploy/.env": "V=1.28.3\n",
			"k8s/sts.yaml": "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: w}\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n        - name: w\n          image: semitechnologies/weaviate:1.27.1\n"}, "1.25.10"},
		{"chart", map[string]string{"Chart.yaml": "apiVersion: v2\nname: search\nversion: 0.1.0\ndependencies:\n  - name: weaviate\n    version: 17.3.0\n    repository: https://weaviate.github.io/weaviate-helm\n",
			"values.yaml": "weaviate:\r\n  replicas: 1\r\n"}, ""},
		{"unreadable", map[string]string{"bad.yaml": "services:\n  w:\n    image: semitechnologies/weaviate:1.28.16\n  - x\n",
			"bin.yml": "weaviate\x00\x01", "ok.yaml": "services:\n  w:\n    image: semitechnologies/weaviate:1.28.1\n"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, _ := lintTree(t, tt.files, tt.from)
			m := validate(t, s, data)
			run := m["runs"].([]any)[0].(map[string]any)
			if run["results"] == nil {
				t.Fatal("results missing: GitHub needs results: [] on a clean run")
			}
			// Every fix says what it writes: the --fix message.
			fixes := 0
			for _, r := range run["results"].([]any) {
				for _, fx := range fixesOf(r) {
					fixes++
					d, _ := fx["description"].(map[string]any)
					if text, _ := d["text"].(string); !regexp.MustCompile(`^(use|pin|upgrade to|downgrade to) \d+\.\d+\.\d+`).MatchString(text) {
						t.Errorf("fix description %v does not say what the fix writes", fx["description"])
					}
				}
			}
			if want := map[string]int{"one": 1, "many": 2, "chart": 1, "unreadable": 1}[tt.name]; fixes != want {
				t.Errorf("%d fixes, want %d", fixes, want)
			}
			golden := filepath.Join(testdataDir(), tt.name+".sarif")
			if update {
				if err := os.WriteFile(golden, data, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(want, data) {
				t.Errorf("output differs from %s (WVLINT_UPDATE=1 rewrites it; git diff shows how)", golden)
			}
		})
	}
}

var testdataAbs string

func testdataDir() string { return testdataAbs }

func TestMain(m *testing.M) {
	wd, _ := os.Getwd()
	testdataAbs = filepath.Join(wd, "testdata")
	os.Exit(m.Run())
}

// TestFingerprintStable: lines inserted above a finding move it but keep
// its fingerprint.
func TestFingerprintStable(t *testing.T) {
	body := "services:\n  w:\n    image: semitechnologies/weaviate:latest\n    environment:\n      CLUSTER_HOSTNAME: node1\n"
	_, rep1 := lintTree(t, map[string]string{"compose.yaml": body}, "")
	_, rep2 := lintTree(t, map[string]string{"compose.yaml": "# a comment\n# another\nx-extra: {}\n" + body}, "")
	_, rep3 := lintTree(t, map[string]string{"compose.yaml": strings.Replace(body, "latest", "nightly", 1)}, "")
	if len(rep1.Diagnostics) != 1 || len(rep2.Diagnostics) != 1 || len(rep3.Diagnostics) != 1 {
		t.Fatalf("findings: %d %d %d", len(rep1.Diagnostics), len(rep2.Diagnostics), len(rep3.Diagnostics))
	}
	a, b, c := rep1.Diagnostics[0], rep2.Diagnostics[0], rep3.Diagnostics[0]
	if a.Span.Line == b.Span.Line {
		t.Fatal("the finding did not move")
	}
	if a.Fingerprint != b.Fingerprint {
		t.Errorf("fingerprint changed when lines were inserted above: %s vs %s", a.Fingerprint, b.Fingerprint)
	}
	if a.Fingerprint == c.Fingerprint {
		t.Errorf("fingerprint unchanged when the finding's own line changed")
	}
}

// TestCap keeps a run within GitHub's 25,000 results and says so.
func TestCap(t *testing.T) {
	var ds []diag.Diagnostic
	for i := range MaxResults + 10 {
		ds = append(ds, diag.Diagnostic{Rule: rules.FloatingTag.ID, Severity: rules.Warning,
			Span: pos.Span{File: fmt.Sprintf("f%d.yaml", i), Line: 1, Col: 1, EndCol: 2}, Message: "m", Fingerprint: "x:1"})
	}
	var b bytes.Buffer
	if err := SARIF(&b, rules.All(), ds, &Run{}); err != nil {
		t.Fatal(err)
	}
	var m struct {
		Runs []struct {
			Results     []any `json:"results"`
			Invocations []struct {
				Notes []struct {
					Message struct{ Text string } `json:"message"`
				} `json:"toolExecutionNotifications"`
			} `json:"invocations"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(b.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	if n := len(m.Runs[0].Results); n != MaxResults {
		t.Errorf("%d results, want %d", n, MaxResults)
	}
	notes := m.Runs[0].Invocations[0].Notes
	if len(notes) != 1 || !strings.Contains(notes[0].Message.Text, "only the first 25000") {
		t.Errorf("no notification of the cap: %+v", notes)
	}
}

// TestSchemaRejects makes sure the schema check can fail.
func TestSchemaRejects(t *testing.T) {
	s := schema(t)
	data, _ := lintTree(t, map[string]string{"compose.yaml": "services:\n  w:\n    image: semitechnologies/weaviate:latest\n"}, "")
	bad := bytes.Replace(data, []byte(`"level": "warning"`), []byte(`"level": "fatal"`), 1)
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(bad))
	if err != nil {
		t.Fatal(err)
	}
	if s.Validate(inst) == nil {
		t.Fatal("an invalid level passed the schema")
	}
}

// fromTarget is the comparison with the versions named by --from, or with
// nothing.
func fromTarget(t *testing.T, from []string) compare.Target {
	t.Helper()
	tg, err := compare.Resolve(compare.Request{NoGit: true, From: from})
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

func fixesOf(result any) []map[string]any {
	var out []map[string]any
	fs, _ := result.(map[string]any)["fixes"].([]any)
	for _, f := range fs {
		out = append(out, f.(map[string]any))
	}
	return out
}
