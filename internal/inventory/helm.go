package inventory

import (
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/Masterminds/semver/v3"
	"go.yaml.in/yaml/v3"

	"github.com/wvlint/wvlint/internal/catalog"
	"github.com/wvlint/wvlint/internal/imageref"
	"github.com/wvlint/wvlint/internal/pos"
	"github.com/wvlint/wvlint/internal/version"
	"github.com/wvlint/wvlint/internal/yamlx"
)

// valuesSource is one layer of Helm values: a file (with the key prefix an
// umbrella chart nests them under) or an inline mapping.
type valuesSource struct {
	path   string   // file to load; "" for inline
	prefix []string // umbrella charts nest values under the dependency name
	inline *yaml.Node
	file   *yamlx.File // the file inline values are written in
	refAt  pos.Span    // where the file is referenced, for errors
}

// setParam is a --set style override (helmfile set, Argo CD parameters).
type setParam struct {
	key   string
	file  *yamlx.File
	value *yaml.Node
}

// valuesRef is one deployment of the weaviate chart: its values layers in
// the order Helm applies them, then its set overrides.
type valuesRef struct {
	id        string
	source    Source
	chartFile *yamlx.File
	chartNode *yaml.Node // the chart version as written, nil when unknown
	layers    []valuesSource
	sets      []setParam
	self      bool // known only from image.repo in the values file
}

func (s *scanner) addRef(r valuesRef) {
	s.mu.Lock()
	s.refs = append(s.refs, r)
	s.mu.Unlock()
}

func isWeaviateChart(name string) bool {
	name = strings.TrimSuffix(strings.TrimSpace(name), "/")
	return name == "weaviate" || path.Base(name) == "weaviate"
}

// chartYAML handles a Chart.yaml: the weaviate chart itself, or an umbrella
// chart that depends on it. Values files beside it are the deployment's.
func (s *scanner) chartYAML(f *yamlx.File, doc *yaml.Node) {
	dir := filepath.Dir(f.Path)
	if name, _ := yamlx.Str(yamlx.Get(doc, "name")); name == "weaviate" {
		s.addRef(valuesRef{id: "helm:" + filepath.ToSlash(dir), source: HelmValues, chartFile: f,
			chartNode: yamlx.Get(doc, "version"), layers: []valuesSource{{path: filepath.Join(dir, "values.yaml")}}})
		return
	}
	for _, dep := range yamlx.Items(yamlx.Get(doc, "dependencies")) {
		name, _ := yamlx.Str(yamlx.Get(dep, "name"))
		if name != "weaviate" {
			continue
		}
		key := name
		if alias, ok := yamlx.Str(yamlx.Get(dep, "alias")); ok && alias != "" {
			key = alias
		}
		files := valuesFiles(s.fs, dir)
		var baseLayer []valuesSource
		for _, vf := range files {
			if vf == "values.yaml" || vf == "values.yml" {
				baseLayer = []valuesSource{{path: filepath.Join(dir, vf), prefix: []string{key}}}
			}
		}
		if len(files) == 0 {
			s.addRef(valuesRef{id: "helm:" + filepath.ToSlash(dir) + "#" + key, source: HelmValues, chartFile: f, chartNode: yamlx.Get(dep, "version")})
		}
		for _, vf := range files {
			layers := append([]valuesSource(nil), baseLayer...)
			if vf != "values.yaml" && vf != "values.yml" {
				layers = append(layers, valuesSource{path: filepath.Join(dir, vf), prefix: []string{key}})
			}
			s.addRef(valuesRef{id: "helm:" + filepath.ToSlash(filepath.Join(dir, vf)) + "#" + key, source: HelmValues,
				chartFile: f, chartNode: yamlx.Get(dep, "version"), layers: layers})
		}
	}
}

// valuesFiles lists values*.yaml in dir, values.yaml first.
func valuesFiles(fsys FS, dir string) []string {
	names, err := fsys.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, n := range names {
		ext := path.Ext(n)
		if strings.HasPrefix(n, "values") && (ext == ".yaml" || ext == ".yml") {
			out = append(out, n)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		bi, bj := strings.TrimSuffix(out[i], path.Ext(out[i])) == "values", strings.TrimSuffix(out[j], path.Ext(out[j])) == "values"
		if bi != bj {
			return bi
		}
		return out[i] < out[j]
	})
	return out
}

// selfValues handles a values file that names the Weaviate image itself.
func (s *scanner) selfValues(f *yamlx.File, doc *yaml.Node) {
	repo, _ := yamlx.Str(yamlx.Path(doc, "image", "repo"))
	if !imageref.IsWeaviatePath(repo) {
		return
	}
	s.addRef(valuesRef{id: "helm:" + filepath.ToSlash(f.Path), source: HelmValues, self: true,
		layers: []valuesSource{{path: f.Path}}})
}

// helmfile handles helmfile.yaml releases of the weaviate chart.
func (s *scanner) helmfile(f *yamlx.File, doc *yaml.Node) {
	dir := filepath.Dir(f.Path)
	for _, rel := range yamlx.Items(yamlx.Get(doc, "releases")) {
		chart, _ := yamlx.Str(yamlx.Get(rel, "chart"))
		if !isWeaviateChart(chart) {
			continue
		}
		name, _ := yamlx.Str(yamlx.Get(rel, "name"))
		r := valuesRef{id: "helmfile:" + filepath.ToSlash(f.Path) + "#" + name, source: Helmfile, chartFile: f, chartNode: yamlx.Get(rel, "version")}
		for _, v := range yamlx.Items(yamlx.Get(rel, "values")) {
			if p, ok := yamlx.Str(v); ok {
				if strings.Contains(p, "{{") || strings.HasSuffix(p, ".gotmpl") {
					continue
				}
				r.layers = append(r.layers, valuesSource{path: filepath.Join(dir, p), refAt: f.Span(v)})
			} else if yamlx.IsMap(v) {
				r.layers = append(r.layers, valuesSource{inline: v, file: f})
			}
		}
		for _, kind := range []string{"set", "setString"} {
			for _, sp := range yamlx.Items(yamlx.Get(rel, kind)) {
				if k, ok := yamlx.Str(yamlx.Get(sp, "name")); ok {
					if v := yamlx.Get(sp, "value"); v != nil {
						r.sets = append(r.sets, setParam{key: k, file: f, value: v})
					}
				}
			}
		}
		s.addRef(r)
	}
}

// argoApplication handles an Argo CD Application whose source (or one of
// its sources) is the weaviate chart.
func (s *scanner) argoApplication(f *yamlx.File, doc *yaml.Node) {
	spec := yamlx.Get(doc, "spec")
	sources := yamlx.Items(yamlx.Get(spec, "sources"))
	if src := yamlx.Get(spec, "source"); src != nil {
		sources = append([]*yaml.Node{src}, sources...)
	}
	refs := map[string]bool{}
	for _, src := range sources {
		if ref, ok := yamlx.Str(yamlx.Get(src, "ref")); ok {
			refs[ref] = true
		}
	}
	for _, src := range sources {
		chart, _ := yamlx.Str(yamlx.Get(src, "chart"))
		if !isWeaviateChart(chart) {
			continue
		}
		r := valuesRef{id: "argocd:" + objectName(doc), source: ArgoCD, chartFile: f, chartNode: yamlx.Get(src, "targetRevision")}
		helm := yamlx.Get(src, "helm")
		for _, vf := range yamlx.Items(yamlx.Get(helm, "valueFiles")) {
			p, ok := yamlx.Str(vf)
			if !ok || !strings.HasPrefix(p, "$") {
				continue // inside the chart package: not in this repository
			}
			ref, rest, _ := strings.Cut(strings.TrimPrefix(p, "$"), "/")
			if !refs[ref] {
				continue
			}
			if found := s.findUp(filepath.Dir(f.Path), rest); found != "" {
				r.layers = append(r.layers, valuesSource{path: found, refAt: f.Span(vf)})
			} else {
				s.errorf(f.Path, vf.Line, "values file %q not found in the scanned tree", p)
			}
		}
		if v := yamlx.Get(helm, "values"); v != nil && v.Kind == yaml.ScalarNode {
			if inner, ok := s.embeddedYAML(f, v); ok {
				r.layers = append(r.layers, valuesSource{inline: inner.Node, file: inner.file})
			}
		}
		if v := yamlx.Get(helm, "valuesObject"); yamlx.IsMap(v) {
			r.layers = append(r.layers, valuesSource{inline: v, file: f})
		}
		for _, p := range yamlx.Items(yamlx.Get(helm, "parameters")) {
			if k, ok := yamlx.Str(yamlx.Get(p, "name")); ok {
				if v := yamlx.Get(p, "value"); v != nil {
					r.sets = append(r.sets, setParam{key: k, file: f, value: v})
				}
			}
		}
		s.addRef(r)
	}
}

// embeddedYAML parses a YAML text held in a scalar (Argo CD helm.values)
// with positions in the outer file.
func (s *scanner) embeddedYAML(f *yamlx.File, v *yaml.Node) (*inlineDoc, bool) {
	lineOff, colOff := v.Line-1, v.Column-1
	if v.Style == yaml.LiteralStyle || v.Style == yaml.FoldedStyle {
		lineOff = v.Line
		for l := v.Line + 1; l <= f.Lines().Count(); l++ {
			text := f.Lines().Line(l)
			if strings.TrimSpace(text) != "" {
				colOff = len([]rune(text)) - len([]rune(strings.TrimLeft(text, " ")))
				break
			}
		}
	}
	inner, err := yamlx.ParseAt(f, []byte(v.Value), lineOff, colOff)
	if err != nil {
		var ye *yamlx.Error
		if errors.As(err, &ye) {
			s.errorf(f.Path, ye.Line, "invalid YAML in helm.values: %s", ye.Msg)
		}
	}
	if len(inner.Docs) == 0 || !yamlx.IsMap(inner.Docs[0]) {
		return nil, false
	}
	return &inlineDoc{Node: inner.Docs[0], file: inner}, true
}

type inlineDoc struct {
	*yaml.Node
	file *yamlx.File
}

// findUp looks for rel under dir and each parent of dir, for Argo CD's
// $ref/path value files that name a path from the repository root.
func (s *scanner) findUp(dir, rel string) string {
	for i := 0; i < 20; i++ {
		p := filepath.Join(dir, rel)
		if _, err := s.fs.ReadFile(p); err == nil {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir || dir == "." {
			return ""
		}
		dir = parent
	}
	return ""
}

// fluxHelmRelease handles a Flux HelmRelease of the weaviate chart.
func (s *scanner) fluxHelmRelease(f *yamlx.File, doc *yaml.Node) {
	cs := yamlx.Path(doc, "spec", "chart", "spec")
	chart, _ := yamlx.Str(yamlx.Get(cs, "chart"))
	if !isWeaviateChart(chart) {
		return
	}
	r := valuesRef{id: "flux:" + objectName(doc), source: Flux, chartFile: f, chartNode: yamlx.Get(cs, "version")}
	if v := yamlx.Path(doc, "spec", "values"); yamlx.IsMap(v) {
		r.layers = append(r.layers, valuesSource{inline: v, file: f})
	}
	s.addRef(r)
}

func objectName(doc *yaml.Node) string {
	ns, _ := yamlx.Str(yamlx.Path(doc, "metadata", "namespace"))
	name, _ := yamlx.Str(yamlx.Path(doc, "metadata", "name"))
	if ns == "" {
		return name
	}
	return ns + "/" + name
}

// loaded is one values layer ready to read.
type loaded struct {
	file *yamlx.File
	node *yaml.Node
}

// assembleHelm loads the values of every weaviate chart deployment and
// turns each into a Deployment.
func (s *scanner) assembleHelm() {
	covered := map[string]bool{}
	for _, r := range s.refs {
		if !r.self {
			for _, l := range r.layers {
				covered[l.path] = true
			}
		}
	}
	seen := map[pos.Span]bool{}
	sort.SliceStable(s.refs, func(i, j int) bool { return s.refs[i].id < s.refs[j].id })
	for _, r := range s.refs {
		if r.self && covered[r.layers[0].path] {
			continue
		}
		var layers []loaded
		for _, l := range r.layers {
			if l.inline != nil {
				layers = append(layers, loaded{file: l.file, node: l.inline})
				continue
			}
			f, err := s.yaml(l.path)
			if f == nil {
				// A file named by a helmfile or Argo CD must be there; a
				// values file beside a Chart.yaml may well be absent.
				if l.refAt.Valid() {
					s.errorf(l.refAt.File, l.refAt.Line, "cannot read values file %s: %v", l.path, unwrapPath(err))
				}
				continue
			}
			// A values file the walk did not reach (it lies outside the
			// paths given) has its syntax errors reported here.
			var ye *yamlx.Error
			if errors.As(err, &ye) && !r.self && l.refAt.Valid() {
				s.errorf(l.path, ye.Line, "invalid YAML: %s", ye.Msg)
			}
			if len(f.Docs) == 0 {
				continue
			}
			n := yamlx.Path(f.Docs[0], l.prefix...)
			if n != nil {
				layers = append(layers, loaded{file: f, node: n})
			}
		}
		d := s.helmDeployment(r, layers)
		if d == nil {
			continue
		}
		if sp := d.Span(); seen[sp] {
			continue
		} else {
			seen[sp] = true
		}
		s.add(*d)
	}
}

// lookup returns the last value of a key path across layers and sets.
func lookup(layers []loaded, sets []setParam, keys ...string) (*yamlx.File, *yaml.Node) {
	var f *yamlx.File
	var n *yaml.Node
	for _, l := range layers {
		if v := yamlx.Path(l.node, keys...); v != nil && v.Tag != "!!null" {
			f, n = l.file, v
		}
	}
	dotted := strings.Join(keys, ".")
	for _, sp := range sets {
		if sp.key == dotted {
			f, n = sp.file, yamlx.Resolve(sp.value)
		}
	}
	return f, n
}

var helmBackends = []string{"filesystem", "s3", "gcs", "azure"}

// parallelSince is the first chart that sets podManagementPolicy: Parallel
// (the Raft chart, for Weaviate 1.25).
var parallelSince = semver.MustParse("17.0.0")

func (s *scanner) helmDeployment(r valuesRef, layers []loaded) *Deployment {
	d := &Deployment{Source: r.source, Platform: Kubernetes, ID: r.id, Cluster: r.id, Env: map[string]EnvVar{}, BackupsKnown: true}
	if r.chartFile != nil {
		d.Inputs = append(d.Inputs, r.chartFile.Path)
	}
	for _, l := range r.layers {
		if l.path != "" {
			d.Inputs = append(d.Inputs, l.path)
		}
	}
	chartText := ""
	var chartVer *semver.Version
	if r.chartNode != nil {
		chartText, _ = yamlx.Str(r.chartNode)
		chartVer, _ = semver.StrictNewVersion(strings.TrimPrefix(chartText, "v"))
		d.Chart = chartText
	}
	_, reg := lookup(layers, r.sets, "image", "registry")
	_, repo := lookup(layers, r.sets, "image", "repo")
	tagF, tag := lookup(layers, r.sets, "image", "tag")
	image := "cr.weaviate.io/semitechnologies/weaviate"
	if repo != nil {
		image = repo.Value
		if reg != nil && reg.Value != "" {
			image = reg.Value + "/" + repo.Value
		}
	}
	switch {
	case tag != nil && tag.Kind == yaml.ScalarNode:
		d.Tag = version.Parse(tag.Value)
		d.Version, d.Reason = d.Tag.String(), d.Tag.Reason
		d.setSpan(tagF.Span(tag), tag.Value)
		d.Image = image + ":" + tag.Value
	case chartVer != nil:
		sp := r.chartFile.Span(r.chartNode)
		d.setSpan(sp, chartText)
		if ch, ok := s.cat.Chart(chartVer.String()); ok {
			d.Tag = version.Parse(ch.DefaultTag)
			d.Version = d.Tag.String()
			d.Reason = fmt.Sprintf("image.tag is not set: chart %s deploys Weaviate %s by default", chartText, ch.DefaultTag)
			d.Image = image + ":" + ch.DefaultTag
		} else if s.cat.ChartStanding(chartText) == catalog.Newer {
			d.Tag = version.Tag{Kind: version.Invalid, Reason: "chart version newer than the chart table"}
			d.Reason = fmt.Sprintf("image.tag is not set and chart %s is newer than the chart table (as of %s): the version it deploys is not known", chartText, s.cat.ChartsAsOf.Format("2006-01-02"))
			d.Image = image
		} else {
			d.Tag = version.Tag{Kind: version.Invalid, Reason: "chart version not in the catalog"}
			d.Reason = fmt.Sprintf("image.tag is not set and chart %s is not in the catalog (as of %s)", chartText, s.cat.AsOf.Format("2006-01-02"))
			d.Image = image
		}
	default:
		why := "image.tag is not set and the chart version is unknown: the chart's default tag applies"
		if r.chartNode != nil {
			why = fmt.Sprintf("image.tag is not set and chart version %q is a range: the deployed version cannot be read", chartText)
			d.setSpan(r.chartFile.Span(r.chartNode), chartText)
		} else if len(layers) > 0 {
			img := yamlx.Get(layers[len(layers)-1].node, "image")
			if img == nil {
				img = layers[len(layers)-1].node
			}
			d.setSpan(pos.Span{File: layers[len(layers)-1].file.Path, Line: img.Line, Col: img.Column, EndCol: img.Column}, "")
		} else {
			return nil
		}
		d.Tag = version.Tag{Kind: version.Missing, Reason: why}
		d.Reason = why
		d.Image = image
	}
	d.Nodes = 1
	if _, n := lookup(layers, r.sets, "replicas"); n != nil {
		if v, ok := yamlx.Int(n); ok {
			d.Nodes = v
		}
	}
	d.NodesDeclared = d.Nodes
	for _, b := range helmBackends {
		if _, n := lookup(layers, r.sets, "backups", b, "enabled"); n != nil {
			if on, _ := yamlx.Bool(n); on {
				d.Backups = addBackups(d.Backups, "backup-"+b)
				helmBackupEnv(d, layers, b)
			}
		}
	}
	for _, l := range layers {
		for _, p := range yamlx.Pairs(yamlx.Get(l.node, "envSecrets")) {
			d.Env[p.Key.Value] = EnvVar{Span: pos.Span{File: l.file.Path, Line: p.Key.Line, Col: p.Key.Column}, Opaque: true}
		}
		for _, p := range yamlx.Pairs(yamlx.Get(l.node, "env")) {
			if v, ok := yamlx.Str(p.Value); ok {
				d.Env[p.Key.Value] = EnvVar{Value: v, Span: l.file.Span(p.Value)}
			}
		}
	}
	for _, sp := range r.sets {
		if k, ok := strings.CutPrefix(sp.key, "env."); ok {
			if v, ok := yamlx.Str(sp.value); ok {
				d.Env[k] = EnvVar{Value: v, Span: sp.file.Span(yamlx.Resolve(sp.value))}
			}
		}
	}
	if m, ok := d.Env["ENABLE_MODULES"]; ok {
		d.Backups = addBackups(d.Backups, backupsFromModules(m.Value)...)
	}
	if _, n := lookup(layers, r.sets, "podManagementPolicy"); n != nil {
		d.PodManagementPolicy = n.Value
	} else if chartVer != nil {
		d.PodManagementPolicy = "OrderedReady"
		if !chartVer.LessThan(parallelSince) {
			d.PodManagementPolicy = "Parallel"
		}
	}
	return d
}

// helmChartBackupEnv is what the chart's own values set for an enabled
// backup backend (weaviate-helm values.yaml, backups.<backend>.envconfig;
// the same from chart 16.0.0 to 17.8.3).
var helmChartBackupEnv = map[string]map[string]string{
	"filesystem": {"BACKUP_FILESYSTEM_PATH": "/tmp/backups"},
	"s3":         {"BACKUP_S3_BUCKET": "weaviate-backups"},
	"gcs":        {"BACKUP_GCS_BUCKET": "weaviate-backups"},
	"azure":      {"BACKUP_AZURE_CONTAINER": "weaviate-backups"},
}

// helmBackupEnv adds what the chart renders into the environment for an
// enabled backup backend: its envconfig (chart defaults first), and the
// names of its secrets.
func helmBackupEnv(d *Deployment, layers []loaded, backend string) {
	for k, v := range helmChartBackupEnv[backend] {
		if _, ok := d.Env[k]; !ok {
			d.Env[k] = EnvVar{Value: v, Span: d.Span()}
		}
	}
	for _, l := range layers {
		for _, p := range yamlx.Pairs(yamlx.Path(l.node, "backups", backend, "envconfig")) {
			if v, ok := yamlx.Str(p.Value); ok {
				d.Env[p.Key.Value] = EnvVar{Value: v, Span: l.file.Span(p.Value)}
			}
		}
		for _, kind := range []string{"secrets", "envSecrets"} {
			for _, p := range yamlx.Pairs(yamlx.Path(l.node, "backups", backend, kind)) {
				d.Env[p.Key.Value] = EnvVar{Span: pos.Span{File: l.file.Path, Line: p.Key.Line, Col: p.Key.Column}, Opaque: true}
			}
		}
	}
}
