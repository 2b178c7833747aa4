package format

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wvlint/wvlint/internal/compare"
	"github.com/wvlint/wvlint/internal/diag"
	"github.com/wvlint/wvlint/internal/pos"
	"github.com/wvlint/wvlint/rules"
)

// sample is one of each kind: a parse error at a line, one about a whole
// file, a finding with a related place, and one in a file whose name needs
// escaping.
func sample(root string) []diag.Diagnostic {
	return []diag.Diagnostic{
		{Rule: "WV9001", Severity: diag.Error, Span: pos.Span{File: filepath.Join(root, "bad.yaml"), Line: 4}, Message: "invalid YAML: did not find expected key"},
		{Rule: "WV9001", Severity: diag.Error, Span: pos.Span{File: filepath.Join(root, "bin.yml")}, Message: "binary file; not scanned"},
		{Rule: "WV1002", Severity: diag.Warning, Span: pos.Span{File: filepath.Join(root, "deploy", "compose.yaml"), Line: 3, Col: 38, EndCol: 44},
			Message: "1.27.5 is not the latest patch of 1.27; use 1.27.27", From: "1.27.1", To: "1.27.5", Deployment: "compose:deploy/compose#w",
			Related: []diag.Related{{File: "deploy/.env", Line: 1, Column: 3, Message: "the tag is set here"}}, Fingerprint: "ab:1"},
		{Rule: "WV2001", Severity: diag.Note, Span: pos.Span{File: filepath.Join(root, "odd,name:%.yaml"), Line: 1, Col: 1, EndCol: 7},
			Message: "line one\nline two 100%"},
	}
}

func TestText(t *testing.T) {
	root := t.TempDir()
	src := map[string]*pos.Lines{filepath.Join(root, "deploy", "compose.yaml"): pos.NewLines([]byte("services:\n  w:\n    image: semitechnologies/weaviate:1.27.5\n      OPENAI_APIKEY: sk-1\n"))}
	run := &Run{Lines: func(f string) *pos.Lines { return src[f] }}
	var b bytes.Buffer
	if err := Text(&b, rules.All(), sample(""), run); err != nil {
		t.Fatal(err)
	}
	want := `bad.yaml:4: error: invalid YAML: did not find expected key [WV9001 parse-error]
bin.yml: error: binary file; not scanned [WV9001 parse-error]
deploy/compose.yaml:3:38: warning: 1.27.5 is not the latest patch of 1.27; use 1.27.27 [WV1002 not-latest-patch]
    deploy/.env:1:3: the tag is set here
odd,name:%.yaml:1:1: note: line one\nline two 100% [WV2001 floating-tag]
`
	if b.String() != want {
		t.Errorf("text without sources:\n%s\nwant:\n%s", b.String(), want)
	}

	b.Reset()
	ds := sample(root)[2:3]
	if err := Text(&b, rules.All(), ds, run); err != nil {
		t.Fatal(err)
	}
	excerpt := " 3 |     image: semitechnologies/weaviate:1.27.5\n   |                                      ^~~~~~\n"
	if !strings.Contains(b.String(), excerpt) {
		t.Errorf("no excerpt with a caret under the span:\n%s", b.String())
	}

	b.Reset()
	run.Color = true
	if err := Text(&b, rules.All(), ds, run); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), yellow+"warning:"+reset) || !strings.Contains(b.String(), green+"^~~~~~"+reset) {
		t.Errorf("colors missing:\n%q", b.String())
	}
}

func TestSummary(t *testing.T) {
	run := &Run{Compared: compare.Compared{Text: "compared the working tree with HEAD (0123456789ab)"}, Deployments: 1, Suppressed: 2, Baselined: 1}
	got := Summary(sample(""), run)
	want := "compared the working tree with HEAD (0123456789ab); 1 warning, 1 note, 2 unreadable files in 1 deployment (2 suppressed) (1 in the baseline)"
	if got != want {
		t.Errorf("Summary = %q\nwant %q", got, want)
	}
	if got := Summary(nil, &Run{Compared: compare.Compared{Text: "x"}}); got != "x; no findings in 0 deployments" {
		t.Errorf("empty Summary = %q", got)
	}
}

func TestJSON(t *testing.T) {
	var b bytes.Buffer
	run := &Run{Compared: compare.Compared{Mode: "git", Base: "HEAD", Commit: "0123", Head: "working tree", Text: "t"}}
	if err := JSON(&b, rules.All(), sample(""), run); err != nil {
		t.Fatal(err)
	}
	var got JSONReport
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Version != 1 || got.Compared != run.Compared {
		t.Errorf("header: %+v", got)
	}
	wantErrs := []JSONError{{"bad.yaml", 4, "invalid YAML: did not find expected key"}, {"bin.yml", 0, "binary file; not scanned"}}
	if len(got.Errors) != 2 || got.Errors[0] != wantErrs[0] || got.Errors[1] != wantErrs[1] {
		t.Errorf("errors: %+v", got.Errors)
	}
	if len(got.Findings) != 2 {
		t.Fatalf("findings: %+v", got.Findings)
	}
	f := got.Findings[0]
	if f.Rule != "WV1002" || f.Name != "not-latest-patch" || f.Severity != "warning" || f.File != "deploy/compose.yaml" ||
		f.Line != 3 || f.Column != 38 || f.EndLine != 3 || f.EndColumn != 44 || f.From != "1.27.1" || f.To != "1.27.5" ||
		len(f.Related) != 1 || f.Related[0].Message != "the tag is set here" {
		t.Errorf("finding: %+v", f)
	}
	if got.Findings[1].Related == nil || !strings.Contains(b.String(), `"related": []`) {
		t.Error("no related places must be [], not null")
	}

	b.Reset()
	if err := JSON(&b, rules.All(), nil, &Run{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `"findings": []`) || !strings.Contains(b.String(), `"errors": []`) {
		t.Errorf("empty arrays must be [], got %s", b.String())
	}
}

func TestGitHub(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "deploy"), 0o755); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := GitHub(&b, rules.All(), sample(root), &Run{Root: root}); err != nil {
		t.Fatal(err)
	}
	want := `::error file=bad.yaml,line=4,title=WV9001 parse-error::invalid YAML: did not find expected key
::error file=bin.yml,title=WV9001 parse-error::binary file; not scanned
::warning file=deploy/compose.yaml,line=3,col=38,endColumn=44,title=WV1002 not-latest-patch::1.27.5 is not the latest patch of 1.27; use 1.27.27
::notice file=odd%2Cname%3A%25.yaml,line=1,col=1,endColumn=7,title=WV2001 floating-tag::line one%0Aline two 100%25
`
	if b.String() != want {
		t.Errorf("github:\n%s\nwant:\n%s", b.String(), want)
	}
}

// failWriter fails after n bytes, as a full disk does.
type failWriter struct{ n int }

var errFull = errors.New("no space left on device")

func (f *failWriter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		n := f.n
		f.n = 0
		return n, errFull
	}
	f.n -= len(p)
	return len(p), nil
}

// TestWriteErrors: every format reports a failed write.
func TestWriteErrors(t *testing.T) {
	for name, fn := range Formats {
		for _, limit := range []int{0, 10} {
			err := fn(&failWriter{n: limit}, rules.All(), sample(""), &Run{})
			if !errors.Is(err, errFull) {
				t.Errorf("%s after %d bytes: err = %v, want the write error", name, limit, err)
			}
		}
	}
	for _, name := range Names {
		if Formats[name] == nil {
			t.Errorf("format %q listed but not registered", name)
		}
	}
	if len(Names) != len(Formats) {
		t.Errorf("Names %v and Formats disagree", Names)
	}
}
