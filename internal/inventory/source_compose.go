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
	project  string      // directory and file stem: compose.yaml and compose.override.yaml share it
	file     *yamlx.File // without its documents (WithoutDocs)
	override bool
	name     string
	image    *yaml.Node // nil when the file does not set it
	expanded interp.Result
	env      map[string]EnvVar
	envFile  bool   // env_file: variables wvlint does not read
	replicas int    // deploy.replicas, 0 when unset
	hostname string // `hostname:`, expanded; "" when unset
	// volumes and networks are the named volumes (or host paths) and the
	// networks the service uses: services that share none of them and do
	// not join each other are separate deployments.
	volumes, networks []string
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
		if isComposeName(filepath.Base(in.Path)) {
			return composeMatters(in)
		}
		return in.Mentions()
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
	Examples: []string{"docker-compose.yml", "deploy/compose.yaml", "compose.override.yml"},
}

// composeMatters reports whether a compose file may run Weaviate: its
// image is its own text interpolated from the .env beside it, merged with
// the other files of its project (compose.yaml and compose.override.yaml),
// so one of those must name weaviate, in any case (${WEAVIATE_IMAGE}), or
// a configured mirror may be what it runs. The other compose files of a
// monorepo (databases, queues) are not parsed.
func composeMatters(in *Input) bool {
	if in.Raw.Test(mentionsFold) || in.id.hasMirrors() {
		return true
	}
	// Asked once a file: a large one is asked of each of its pieces.
	return in.Load.besideCompose.get(in.Path, func() bool { return composeNamedBeside(in) })
}

// composeNamedBeside reports whether the .env beside a compose file or
// another compose file of its project names weaviate.
func composeNamedBeside(in *Input) bool {
	dir := filepath.Dir(in.Path)
	for k, v := range in.Load.DotEnv(dir) {
		if mentionsFold([]byte(k)) || mentionsFold([]byte(v.Value)) {
			return true
		}
	}
	project, _ := composeProject(in.Path)
	names, _ := in.Load.ReadDir(dir)
	for _, n := range names {
		p := filepath.Join(dir, n)
		if p == in.Path || !isComposeName(n) || !yamlFile(n) {
			continue
		}
		if sib, _ := composeProject(p); sib != project {
			continue
		}
		if data, err := in.Load.ReadFile(p); err == nil && mentionsFold(data) {
			return true
		}
	}
	return false
}

// composeProject is the project a compose file belongs to (its directory
// and file stem: compose.yaml and compose.override.yaml share it), and
// whether it is an override file.
func composeProject(path string) (project string, override bool) {
	base := filepath.Base(path)
	stem := strings.TrimSuffix(base, filepath.Ext(base))
	override = strings.HasSuffix(stem, ".override")
	stem = strings.TrimSuffix(stem, ".override")
	return filepath.ToSlash(filepath.Join(filepath.Dir(path), stem)), override
}

// mentionsFold reports whether b holds "weaviate" in any case.
func mentionsFold(b []byte) bool { return containsFold(b, "weaviate") }

func isComposeName(base string) bool {
	l := strings.ToLower(base)
	return strings.HasPrefix(l, "compose") || strings.HasPrefix(l, "docker-compose")
}

// composeFile reads the services of a compose file. The .env beside it
// supplies interpolation, as `docker compose` does by default.
func composeFile(load *Loader, f *yamlx.File, doc *yaml.Node) []composeService {
	look := envLookup(load.DotEnv(filepath.Dir(f.Path)))
	project, override := composeProject(f.Path)
	var found []composeService
	// The services outlive the scan of the file; the image nodes they
	// keep are placed with the file's lines, not its whole tree.
	placed := f.WithoutDocs()
	for _, p := range yamlx.Pairs(yamlx.Get(doc, "services")) {
		svc := composeService{project: project, file: placed, override: override, name: p.Key.Value}
		if img := yamlx.Get(p.Value, "image"); img != nil && img.Kind == yaml.ScalarNode {
			svc.image = img
			svc.expanded = interp.Expand(img.Value, look)
		}
		svc.env = composeEnv(f, yamlx.Get(p.Value, "environment"), look)
		svc.envFile = yamlx.Get(p.Value, "env_file") != nil
		svc.volumes = composeVolumes(yamlx.Get(p.Value, "volumes"))
		for _, n := range yamlx.Items(yamlx.Get(p.Value, "networks")) {
			if s, ok := yamlx.Str(n); ok {
				svc.networks = append(svc.networks, s)
			}
		}
		for _, n := range yamlx.Pairs(yamlx.Get(p.Value, "networks")) {
			svc.networks = append(svc.networks, n.Key.Value)
		}
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
			if svc.volumes != nil {
				m.volumes = svc.volumes
			}
			if svc.networks != nil {
				m.networks = svc.networks
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
		var used [][]string
		for _, name := range order {
			svc := merged[name]
			if svc.image == nil {
				continue
			}
			d := Deployment{Kind: Compose, Platform: Docker, Env: svc.env, Cluster: "compose:" + project,
				ID: "compose:" + project + "#" + name, Inputs: inputs, BackupsKnown: true, EnvOpaque: svc.envFile, Hostname: svc.hostname}
			if !resolveImage(a.id, yamlWritten(svc.file, svc.image), svc.expanded, &d, "runs") {
				continue
			}
			if m, ok := svc.env["ENABLE_MODULES"]; ok {
				d.Backups = addBackups(d.Backups, backupsFromModules(m.Value)...)
			}
			reps = append(reps, max(svc.replicas, 1))
			deps = append(deps, d)
			used = append(used, apartKeys(svc))
		}
		groups := composeClusters(deps, used)
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

// composeVolumes lists the sources of a service's volumes (short and long
// syntax).
func composeVolumes(n *yaml.Node) []string {
	var out []string
	for _, v := range yamlx.Items(n) {
		if s, ok := yamlx.Str(v); ok {
			src, _, _ := strings.Cut(s, ":")
			out = append(out, src)
		} else if s, ok := yamlx.Str(yamlx.Get(v, "source")); ok {
			out = append(out, s)
		}
	}
	return out
}

// apartKeys are what a service shares with another when they are one
// cluster: "v:" volumes and "n:" networks; nil when it declares neither.
func apartKeys(svc *composeService) []string {
	if len(svc.volumes) == 0 {
		return nil // without a volume of its own nothing shows it apart
	}
	var out []string
	for _, v := range svc.volumes {
		out = append(out, "v:"+v)
	}
	for _, n := range svc.networks {
		out = append(out, "n:"+n)
	}
	return out
}

// allApart reports whether every service has volumes of its own and
// shares no volume or network with another, and none reads an env_file
// that may hold join settings.
func allApart(deps []Deployment, used [][]string) bool {
	seen := map[string]bool{}
	for i, keys := range used {
		if keys == nil || deps[i].EnvOpaque {
			return false
		}
		for _, k := range keys {
			if seen[k] {
				return false
			}
		}
		for _, k := range keys {
			seen[k] = true
		}
	}
	return true
}

// composeClusters groups the Weaviate services of one project into the
// clusters they form: a service joins another when its CLUSTER_JOIN or
// RAFT_JOIN names that service (by service name, hostname or
// CLUSTER_HOSTNAME), and services listed together in one RAFT_JOIN are one
// cluster. Services that name no other are single-node deployments of
// their own (two services with separate volumes and networks and no join
// settings are two single-node deployments). When a join list names a node
// that is no service, or nothing shows services without join settings
// apart, the project stays one cluster. Groups are indexes into deps.
func composeClusters(deps []Deployment, used [][]string) [][]int {
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
	find := func(i int) int {
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
	unresolved, joins := false, false
	for i, d := range deps {
		for _, key := range []string{"CLUSTER_JOIN", "RAFT_JOIN"} {
			v, ok := d.Env[key]
			if !ok || strings.TrimSpace(v.Value) == "" {
				continue
			}
			joins = true
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
	if !joins && !allApart(deps, used) {
		// No join settings, but nothing shows the services apart either
		// (an env_file may hold the settings; they share a volume or a
		// network, or declare none): one cluster, as wvlint cannot tell.
		unresolved = true
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
