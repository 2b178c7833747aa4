package inventory

import (
	"github.com/wvlint/wvlint/internal/commalist"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wvlint/wvlint/internal/dotenv"
	"github.com/wvlint/wvlint/internal/interp"
	"github.com/wvlint/wvlint/internal/yamlx"
)

// composeService is one service of one compose file, before override files
// are merged into the files they override.
type composeService struct {
	project  string // directory and file stem: compose.yaml and compose.override.yaml share it
	file     *yamlx.File
	override bool
	name     string
	image    *yaml.Node // nil when the file does not set it
	expanded interp.Result
	env      map[string]EnvVar
	envFile  bool   // env_file: variables wvlint does not read
	replicas int    // deploy.replicas, 0 when unset
	hostname string // `hostname:`, expanded; "" when unset
}

func envLookup(env dotenv.Env) interp.Lookup {
	return func(name string) (interp.Value, bool) {
		v, ok := env[name]
		return interp.Value{Text: v.Value, Span: v.Span}, ok
	}
}

var composeSource = &Source{
	Name:  "compose",
	Doc:   "Docker Compose files (`compose*.yaml`, `docker-compose*.yml`, override files merged), with `${VAR:-default}` from the `.env` beside them",
	Reads: yamlFile,
	Relevant: func(in *Input) bool {
		return isComposeName(filepath.Base(in.Path)) || in.Raw.Test(mentionsWeaviate)
	},
	Document:   func(_ string, doc *yaml.Node) bool { return yamlx.IsMap(yamlx.Get(doc, "services")) },
	WholeFile:  func(in *Input) bool { return isComposeName(filepath.Base(in.Path)) },
	Neighbours: siblingsWhere(isComposeName),
	Extract: func(in *Input) Found {
		var svcs []composeService
		for _, doc := range in.Docs {
			svcs = append(svcs, composeFile(in.Load, in.YAML, doc)...)
		}
		if len(svcs) == 0 {
			return Found{}
		}
		return Found{Keep: svcs}
	},
	Assemble: assembleCompose,
}

func isComposeName(base string) bool {
	l := strings.ToLower(base)
	return strings.HasPrefix(l, "compose") || strings.HasPrefix(l, "docker-compose")
}

// composeFile reads the services of a compose file. The .env beside it
// supplies interpolation, as `docker compose` does by default.
func composeFile(load *Loader, f *yamlx.File, doc *yaml.Node) []composeService {
	look := envLookup(load.DotEnv(filepath.Dir(f.Path)))
	base := filepath.Base(f.Path)
	stem := strings.TrimSuffix(base, filepath.Ext(base))
	override := strings.HasSuffix(stem, ".override")
	stem = strings.TrimSuffix(stem, ".override")
	project := filepath.ToSlash(filepath.Join(filepath.Dir(f.Path), stem))
	var found []composeService
	for _, p := range yamlx.Pairs(yamlx.Get(doc, "services")) {
		svc := composeService{project: project, file: f, override: override, name: p.Key.Value}
		if img := yamlx.Get(p.Value, "image"); img != nil && img.Kind == yaml.ScalarNode {
			svc.image = img
			svc.expanded = interp.Expand(img.Value, look)
		}
		svc.env = composeEnv(f, yamlx.Get(p.Value, "environment"), look)
		svc.envFile = yamlx.Get(p.Value, "env_file") != nil
		if h, ok := yamlx.Str(yamlx.Get(p.Value, "hostname")); ok {
			svc.hostname = strings.TrimSpace(interp.Expand(h, look).Text)
		}
		if r, ok := yamlx.Int(yamlx.Path(p.Value, "deploy", "replicas")); ok {
			svc.replicas = r
		}
		if svc.image == nil && !override {
			continue
		}
		found = append(found, svc)
	}
	return found
}

// composeEnv reads `environment` in its mapping or list form, expanded.
func composeEnv(f *yamlx.File, n *yaml.Node, look interp.Lookup) map[string]EnvVar {
	env := map[string]EnvVar{}
	set := func(name string, val *yaml.Node, text string, off int) {
		r := interp.Expand(text, look)
		env[name] = EnvVar{Value: r.Text, Span: f.ValueSpan(val, off, len([]rune(text)))}
	}
	if yamlx.IsMap(n) {
		for _, p := range yamlx.Pairs(n) {
			if v, ok := yamlx.Str(p.Value); ok {
				set(p.Key.Value, p.Value, v, 0)
			}
		}
		return env
	}
	for _, it := range yamlx.Items(n) {
		if v, ok := yamlx.Str(it); ok {
			if k, val, ok := strings.Cut(v, "="); ok {
				set(k, it, val, len([]rune(k))+1)
			}
		}
	}
	return env
}

// assembleCompose merges override files into their base files and turns
// Weaviate services into deployments, counting the nodes of each project.
func assembleCompose(a *Assembly, kept []Kept) Found {
	var out Found
	byProject := map[string][]composeService{}
	var projects []string
	for _, k := range kept {
		for _, svc := range k.Value.([]composeService) {
			if byProject[svc.project] == nil {
				projects = append(projects, svc.project)
			}
			byProject[svc.project] = append(byProject[svc.project], svc)
		}
	}
	for _, project := range projects {
		svcs := byProject[project]
		sort.SliceStable(svcs, func(i, j int) bool { return !svcs[i].override && svcs[j].override })
		merged := map[string]*composeService{}
		var order []string
		for i := range svcs {
			svc := svcs[i]
			m := merged[svc.name]
			if m == nil {
				cp := svc
				cp.env = map[string]EnvVar{}
				for k, v := range svc.env {
					cp.env[k] = v
				}
				merged[svc.name] = &cp
				order = append(order, svc.name)
				continue
			}
			if svc.image != nil {
				m.image, m.expanded, m.file = svc.image, svc.expanded, svc.file
			}
			for k, v := range svc.env {
				m.env[k] = v
			}
			if svc.replicas > 0 {
				m.replicas = svc.replicas
			}
			m.envFile = m.envFile || svc.envFile
			if svc.hostname != "" {
				m.hostname = svc.hostname
			}
		}
		var inputs []string
		seenFile := map[string]bool{}
		for _, svc := range svcs {
			if !seenFile[svc.file.Path] {
				seenFile[svc.file.Path] = true
				inputs = append(inputs, svc.file.Path)
			}
		}
		if len(inputs) > 0 {
			inputs = append(inputs, filepath.Join(filepath.Dir(inputs[0]), ".env"))
		}
		var deps []Deployment
		var reps []int
		for _, name := range order {
			svc := merged[name]
			if svc.image == nil {
				continue
			}
			d := Deployment{Source: Compose, Platform: Docker, Env: svc.env, Cluster: "compose:" + project,
				ID: "compose:" + project + "#" + name, Inputs: inputs, BackupsKnown: true, EnvOpaque: svc.envFile, Hostname: svc.hostname}
			if !resolveImage(a.id, yamlWritten(svc.file, svc.image), svc.expanded, &d, "runs") {
				continue
			}
			if m, ok := svc.env["ENABLE_MODULES"]; ok {
				d.Backups = addBackups(d.Backups, backupsFromModules(m.Value)...)
			}
			reps = append(reps, max(svc.replicas, 1))
			deps = append(deps, d)
		}
		groups := composeClusters(deps)
		for _, g := range groups {
			nodes := 0
			for _, i := range g {
				nodes += reps[i]
			}
			declared := nodes
			if len(g) == 1 {
				nodes = max(nodes, clusterSize(deps[g[0]].Env))
			}
			for _, i := range g {
				d := deps[i]
				if len(groups) > 1 {
					d.Cluster = "compose:" + project + "#" + deps[g[0]].ID[strings.LastIndexByte(deps[g[0]].ID, '#')+1:]
				}
				d.Nodes, d.NodesDeclared = nodes, declared
				out.Deployments = append(out.Deployments, d)
			}
		}
	}
	return out
}

// composeClusters groups the Weaviate services of one project into the
// clusters they form: a service joins another when its CLUSTER_JOIN or
// RAFT_JOIN names that service (by service name, hostname or
// CLUSTER_HOSTNAME), and services listed together in one RAFT_JOIN are one
// cluster. Services that name no other are single-node deployments of
// their own (two services with separate volumes and no join settings are
// two single-node deployments). When a join list names a node that is no
// service, the project stays one cluster. Groups are indexes into deps.
func composeClusters(deps []Deployment) [][]int {
	if len(deps) < 2 {
		if len(deps) == 1 {
			return [][]int{{0}}
		}
		return nil
	}
	parent := make([]int, len(deps))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	names := map[string]int{}
	for i, d := range deps {
		names[d.ID[strings.LastIndexByte(d.ID, '#')+1:]] = i
		if d.Hostname != "" {
			names[d.Hostname] = i
		}
		if h, ok := d.Env["CLUSTER_HOSTNAME"]; ok && h.Value != "" {
			names[h.Value] = i
		}
	}
	unresolved := false
	for i, d := range deps {
		for _, key := range []string{"CLUSTER_JOIN", "RAFT_JOIN"} {
			v, ok := d.Env[key]
			if !ok || strings.TrimSpace(v.Value) == "" {
				continue
			}
			prev := -1
			for _, host := range commalist.Split(v.Value) {
				if c := strings.IndexByte(host, ':'); c >= 0 {
					host = host[:c]
				}
				j, ok := names[host]
				if !ok {
					unresolved = true
					continue
				}
				parent[find(j)] = find(i)
				if key == "RAFT_JOIN" && prev >= 0 {
					parent[find(j)] = find(prev)
				}
				prev = j
			}
		}
	}
	if unresolved {
		// A join list names nodes wvlint cannot match to services: it
		// cannot tell the clusters apart, so the project is one.
		all := make([]int, len(deps))
		for i := range all {
			all[i] = i
		}
		return [][]int{all}
	}
	var out [][]int
	at := map[int]int{}
	for i := range deps {
		r := find(i)
		if k, ok := at[r]; ok {
			out[k] = append(out[k], i)
		} else {
			at[r] = len(out)
			out = append(out, []int{i})
		}
	}
	return out
}

// clusterSize reads the node count a single service's cluster settings
// imply: RAFT_BOOTSTRAP_EXPECT, the RAFT_JOIN list, or any CLUSTER_JOIN
// (a node that joins another is one of at least two). 1 when none is set.
func clusterSize(env map[string]EnvVar) int {
	n := 1
	if v, ok := env["RAFT_BOOTSTRAP_EXPECT"]; ok {
		if k, err := strconv.Atoi(strings.TrimSpace(v.Value)); err == nil {
			n = max(n, k)
		}
	}
	if v, ok := env["RAFT_JOIN"]; ok {
		n = max(n, len(commalist.Split(v.Value)))
	}
	if v, ok := env["CLUSTER_JOIN"]; ok && strings.TrimSpace(v.Value) != "" {
		n = max(n, 2)
	}
	return n
}
