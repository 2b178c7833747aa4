package action_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// A runner for composite actions, as GitHub's runner executes them: each
// run: step as a bash script (bash --noprofile --norc -eo pipefail) in the
// workspace, with the runner's environment (GITHUB_*, RUNNER_*), a fresh
// GITHUB_OUTPUT file per step, if: conditions, continue-on-error, step
// outcomes, and the action's outputs. A uses: step is simulated only for
// the upload-sarif action; any other action fails the test, so that the
// action cannot quietly start installing things (actions/setup-go changes
// the caller's PATH and go for the rest of the job).

type actionFile struct {
	Inputs map[string]struct {
		Default string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Value string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string       `yaml:"using"`
		Steps []actionStep `yaml:"steps"`
	} `yaml:"runs"`
}

type actionStep struct {
	ID              string            `yaml:"id"`
	Name            string            `yaml:"name"`
	If              string            `yaml:"if"`
	Shell           string            `yaml:"shell"`
	Run             string            `yaml:"run"`
	Uses            string            `yaml:"uses"`
	Env             map[string]string `yaml:"env"`
	With            map[string]string `yaml:"with"`
	ContinueOnError bool              `yaml:"continue-on-error"`
}

// job is one run of the action.
type job struct {
	actionPath string            // where the action is checked out
	workspace  string            // the repository under test
	eventName  string            // github.event_name
	event      map[string]any    // the event payload
	inputs     map[string]string // with: of the caller
	env        map[string]string // extra environment (PATH, WVLINT_RELEASE_BASE)
	baseRef    string            // github.base_ref on pull requests
	uploadFail bool              // the upload-sarif action fails (no permission)
}

type upload struct{ sarif, category string }

// result is what the job left.
type result struct {
	ok       bool              // the job succeeded
	outputs  map[string]string // the action's outputs
	log      string            // every step's stdout and stderr, in order
	uploads  []upload
	outcomes map[string]string // step id -> outcome
	temp     string            // RUNNER_TEMP
}

const repository = "acme/app"

func (j job) run(t *testing.T) result {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(j.actionPath, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a actionFile
	if err := yaml.Unmarshal(data, &a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	if a.Runs.Using != "composite" {
		t.Fatalf("action.yml runs.using = %q, want composite", a.Runs.Using)
	}
	temp := t.TempDir()
	files := map[string]string{}
	for _, name := range []string{"event.json", "env", "path", "summary"} {
		files[name] = filepath.Join(temp, "_runner_"+name)
	}
	event, err := json.Marshal(j.event)
	if err != nil {
		t.Fatal(err)
	}
	for name, p := range files {
		content := ""
		if name == "event.json" {
			content = string(event)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	inputs := map[string]any{}
	for k, v := range a.Inputs {
		inputs[k] = v.Default
	}
	for k, v := range j.inputs {
		if _, ok := a.Inputs[k]; !ok {
			t.Fatalf("action.yml has no input %q", k)
		}
		inputs[k] = v
	}
	var eventAny map[string]any
	_ = json.Unmarshal(event, &eventAny)
	arch := map[string]string{"amd64": "X64", "arm64": "ARM64"}[runtime.GOARCH]
	github := map[string]any{
		"event_name": j.eventName, "event": eventAny, "repository": repository,
		"base_ref": j.baseRef, "workspace": j.workspace, "action_path": j.actionPath,
	}
	steps := map[string]any{}
	ctx := &exprContext{jobOK: true, values: map[string]any{
		"inputs": inputs, "github": github, "steps": steps,
		"runner": map[string]any{"os": "Linux", "arch": arch, "temp": temp},
	}}
	base := map[string]string{
		"CI": "true", "GITHUB_ACTIONS": "true",
		"GITHUB_WORKSPACE": j.workspace, "GITHUB_EVENT_NAME": j.eventName,
		"GITHUB_EVENT_PATH": files["event.json"], "GITHUB_REPOSITORY": repository,
		"GITHUB_BASE_REF": j.baseRef, "GITHUB_ACTION_PATH": j.actionPath,
		"GITHUB_ENV": files["env"], "GITHUB_PATH": files["path"], "GITHUB_STEP_SUMMARY": files["summary"],
		"RUNNER_TEMP": temp, "RUNNER_OS": "Linux", "RUNNER_ARCH": arch,
		"HOME": os.Getenv("HOME"), "PATH": os.Getenv("PATH"),
		"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
		"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
	}
	for _, k := range []string{"GOCACHE", "GOMODCACHE", "GOPATH", "GOROOT", "GOTOOLCHAIN", "GOPROXY"} {
		if v := os.Getenv(k); v != "" {
			base[k] = v
		}
	}
	for k, v := range j.env {
		base[k] = v
	}

	res := result{outputs: map[string]string{}, outcomes: map[string]string{}, temp: temp}
	var log strings.Builder
	for i, s := range a.Runs.Steps {
		run, err := condition(ctx, s.If)
		if err != nil {
			t.Fatalf("step %q: if: %v", s.Name, err)
		}
		fmt.Fprintf(&log, "## step %q (run: %v)\n", s.Name, run)
		outcome, outputs := "skipped", map[string]any{}
		if run {
			env := map[string]string{}
			for k, v := range base {
				env[k] = v
			}
			for k, v := range s.Env {
				if env[k], err = interpolate(ctx, v); err != nil {
					t.Fatalf("step %q: env %s: %v", s.Name, k, err)
				}
			}
			switch {
			case s.Uses != "":
				outcome = j.uses(t, ctx, s, &res, &log)
			case s.Shell != "bash":
				t.Fatalf("step %q: shell %q; the action's steps run in bash on every runner", s.Name, s.Shell)
			default:
				outcome, outputs = runScript(t, ctx, s, i, env, j.workspace, temp, &log)
			}
		}
		conclusion := outcome
		if outcome == "failure" && s.ContinueOnError {
			conclusion = "success"
		}
		if conclusion == "failure" {
			ctx.jobOK = false
		}
		if s.ID != "" {
			steps[s.ID] = map[string]any{"outcome": outcome, "conclusion": conclusion, "outputs": outputs}
			res.outcomes[s.ID] = outcome
		}
	}
	for k, o := range a.Outputs {
		if res.outputs[k], err = interpolate(ctx, o.Value); err != nil {
			t.Fatalf("output %s: %v", k, err)
		}
	}
	res.ok = ctx.jobOK
	res.log = log.String()
	for _, name := range []string{"env", "path"} {
		if data, _ := os.ReadFile(files[name]); len(data) > 0 {
			t.Errorf("the action wrote GITHUB_%s, which changes the caller's later steps:\n%s", strings.ToUpper(name), data)
		}
	}
	return res
}

func runScript(t *testing.T, ctx *exprContext, s actionStep, i int, env map[string]string, dir, temp string, log *strings.Builder) (string, map[string]any) {
	t.Helper()
	script, err := interpolate(ctx, s.Run)
	if err != nil {
		t.Fatalf("step %q: run: %v", s.Name, err)
	}
	path := filepath.Join(temp, fmt.Sprintf("_step%d.sh", i))
	out := filepath.Join(temp, fmt.Sprintf("_output%d", i))
	if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	env["GITHUB_OUTPUT"] = out
	cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", path)
	cmd.Dir = dir
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	text, err := cmd.CombinedOutput()
	log.Write(text)
	outcome := "success"
	if err != nil {
		outcome = "failure"
		fmt.Fprintf(log, "## step %q failed (exit %d)\n", s.Name, cmd.ProcessState.ExitCode())
	}
	return outcome, readOutputs(t, out)
}

// readOutputs parses a GITHUB_OUTPUT file: name=value lines and
// name<<DELIMITER blocks.
func readOutputs(t *testing.T, path string) map[string]any {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	outs := map[string]any{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if k, delim, ok := strings.Cut(line, "<<"); ok && !strings.Contains(k, "=") {
			var val []string
			for sc.Scan() && sc.Text() != delim {
				val = append(val, sc.Text())
			}
			outs[k] = strings.Join(val, "\n")
			continue
		}
		if k, v, ok := strings.Cut(line, "="); ok {
			outs[k] = v
		} else if line != "" {
			t.Errorf("GITHUB_OUTPUT: malformed line %q", line)
		}
	}
	return outs
}

// uses simulates the one action the composite action may call.
func (j job) uses(t *testing.T, ctx *exprContext, s actionStep, res *result, log *strings.Builder) string {
	t.Helper()
	if !strings.HasPrefix(s.Uses, "github/codeql-action/upload-sarif@") {
		t.Fatalf("step %q uses %s: the action may only call upload-sarif", s.Name, s.Uses)
	}
	sarif, err := interpolate(ctx, s.With["sarif_file"])
	if err != nil {
		t.Fatal(err)
	}
	category, err := interpolate(ctx, s.With["category"])
	if err != nil {
		t.Fatal(err)
	}
	res.uploads = append(res.uploads, upload{sarif, category})
	data, err := os.ReadFile(sarif)
	if err != nil || !json.Valid(data) {
		fmt.Fprintf(log, "upload-sarif: %s is not a SARIF file: %v\n", sarif, err)
		return "failure"
	}
	if j.uploadFail {
		fmt.Fprintln(log, "upload-sarif: Resource not accessible by integration")
		return "failure"
	}
	return "success"
}
