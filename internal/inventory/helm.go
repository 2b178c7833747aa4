package inventory

import (
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/wvlint/wvlint/internal/facts"

	"github.com/Masterminds/semver/v3"
	"go.yaml.in/yaml/v3"

	"github.com/wvlint/wvlint/internal/catalog"
	"github.com/wvlint/wvlint/internal/helmval"
	"github.com/wvlint/wvlint/internal/imageref"
	"github.com/wvlint/wvlint/internal/pos"
	"github.com/wvlint/wvlint/internal/version"
	"github.com/wvlint/wvlint/internal/yamledit"
	"github.com/wvlint/wvlint/internal/yamlx"
)

// assembleReleases loads the values of every weaviate chart release and
// turns each into a Deployment.
func assembleReleases(a *Assembly, refs []Release) Found {
	var out Found
	covered := map[string]bool{}
	for _, r := range refs {
		if !r.Self {
			for _, l := range r.Layers {
				covered[l.Path] = true
			}
		}
	}
	type key struct {
		span pos.Span
		top  string
	}
	seen := map[key]bool{}
	seenID := map[string]bool{}
	sort.SliceStable(refs, func(i, j int) bool {
		if refs[i].ID != refs[j].ID {
			return refs[i].ID < refs[j].ID
		}
		return !refs[i].Self && refs[j].Self
	})
	for _, r := range refs {
		if r.Self && covered[r.Layers[0].Path] || seenID[r.ID] {
			continue
		}
		var layers []helmval.Value
		// The last values layer read, file or inline: where a fix sets
		// image.tag (nil Map for a file with only comments).
		var lastEdit *yamledit.Target
		var lastPrefix []string
		for _, l := range r.Layers {
			if l.Inline != nil {
				layers = append(layers, *l.Inline)
				lastEdit, lastPrefix = l.Edit, nil
				continue
			}
			f, err := a.Load.YAML(l.Path)
			if f != nil {
				lastEdit, lastPrefix = &yamledit.Target{File: f}, l.Prefix
				if len(f.Docs) > 0 {
					lastEdit.Map = f.Docs[0]
				}
				if err != nil {
					lastEdit = nil // not edited: it does not parse
				}
			}
			if f == nil {
				// A file named by a helmfile or Argo CD must be there; a
				// values file beside a Chart.yaml may well be absent.
				if l.RefAt.Valid() {
					out.errorf(l.RefAt.File, l.RefAt.Line, "cannot read values file %s: %v", l.Path, unwrapPath(err))
				}
				continue
			}
			// A values file the walk did not reach (it lies outside the
			// paths given) has its syntax errors reported here.
			var ye *yamlx.Error
			if errors.As(err, &ye) && !r.Self && l.RefAt.Valid() {
				out.errorf(l.Path, ye.Line, "invalid YAML: %s", ye.Msg)
			}
			if err != nil && len(f.Docs) == 0 {
				// What this layer sets is not known: never judge the
				// release as if it set nothing (the chart's default tag).
				at := pos.Span{File: l.Path}
				if ye != nil {
					at.Line = ye.Line
				}
				layers = append(layers, helmval.Value{Kind: helmval.Unknown, Why: "values file " + filepath.ToSlash(l.Path) + " could not be parsed", Span: at, At: at})
				continue
			}
			if len(f.Docs) == 0 {
				continue
			}
			if n := yamlx.Path(f.Docs[0], l.Prefix...); n != nil {
				layers = append(layers, helmval.FromYAML(f, n))
			}
		}
		vals := helmval.Layers{Maps: layers, Sets: r.Sets}
		d := helmDeployment(a, r, vals)
		if d == nil {
			continue
		}
		if _, hasTag := vals.Lookup("image", "tag"); !hasTag && !r.Generic {
			tagInsertion(d, r, lastEdit, lastPrefix)
		}
		// The same tag reached twice with the same top layer is one
		// deployment (a helmfile and a Chart.yaml naming one file); an
		// override file is a deployment of its own even when its tag
		// comes from the layer below.
		top := ""
		if n := len(r.Layers); n > 0 {
			top = r.Layers[n-1].Path
		}
		if k := (key{d.Span(), top}); seen[k] {
			continue
		} else {
			seen[k] = true
		}
		seenID[r.ID] = true
		out.Deployments = append(out.Deployments, *d)
	}
	return out
}

var helmBackends = []string{"filesystem", "s3", "gcs", "azure"}

// parallelSince is the first chart that sets podManagementPolicy: Parallel
// (the Raft chart, for Weaviate 1.25).
var parallelSince = facts.RaftChart.Version

func helmDeployment(a *Assembly, r Release, vals helmval.Layers) *Deployment {
	if r.Generic {
		return genericDeployment(a, r, vals)
	}
	d := &Deployment{Kind: r.Kind, Platform: Kubernetes, ID: r.ID, Cluster: r.ID, Env: map[string]EnvVar{}, BackupsKnown: true,
		Evidence: r.Evidence}
	if r.ChartFile != "" {
		d.Inputs = append(d.Inputs, r.ChartFile)
	}
	for _, l := range r.Layers {
		if l.Path != "" {
			d.Inputs = append(d.Inputs, l.Path)
		}
	}
	d.Inputs = append(d.Inputs, r.Inputs...)
	layers := vals.Maps
	chartText := ""
	var chartVer *semver.Version
	if r.Chart != nil {
		chartText, _ = r.Chart.Str()
		chartVer, _ = semver.StrictNewVersion(strings.TrimPrefix(chartText, "v"))
		d.Chart = chartText
	}
	reg, hasReg := vals.Lookup("image", "registry")
	repo, hasRepo := vals.Lookup("image", "repo")
	tag, hasTag := vals.Lookup("image", "tag")
	image := "cr.weaviate.io/semitechnologies/weaviate"
	if hasRepo {
		image = repo.Text
		if hasReg && reg.Text != "" {
			image = reg.Text + "/" + repo.Text
		}
	}
	if r.Self {
		// Known only from the image its values name: the layers must
		// still name a Weaviate server image.
		ev, ok := a.id.valuesImage(image, tag, repo, "image.repo")
		if !ok {
			return nil
		}
		d.Evidence = ev
	}
	for _, via := range tag.Via {
		d.Related = append(d.Related, Related{File: via.At.File, Line: via.At.Line, Column: via.At.Col, Message: via.Message})
	}
	switch {
	case hasTag && tag.Kind == helmval.Unknown:
		d.setSpan(tag.Span, "")
		d.Tag = version.Tag{Kind: version.Invalid, Reason: tag.Why}
		d.Reason = "image.tag cannot be read: " + tag.Why
		d.Image = image
	case hasTag && tag.Kind == helmval.Scalar:
		d.Tag = version.Parse(tag.Text)
		d.Version, d.Reason = d.Tag.String(), d.Tag.Reason
		d.setSpan(tag.Span, tag.Text)
		d.Image = image + ":" + tag.Text
	case chartVer != nil:
		d.setSpan(r.Chart.Span, chartText)
		if ch, ok := a.Catalog.Chart(chartVer.String()); ok {
			d.Tag = version.Parse(ch.DefaultTag)
			d.Version = d.Tag.String()
			d.Reason = fmt.Sprintf("image.tag is not set: chart %s deploys Weaviate %s by default", chartText, ch.DefaultTag)
			d.Image = image + ":" + ch.DefaultTag
		} else if a.Catalog.ChartStanding(chartText) == catalog.Newer {
			d.Tag = version.Tag{Kind: version.Invalid, Reason: "chart version newer than the chart table"}
			d.Reason = fmt.Sprintf("image.tag is not set and chart %s is newer than the chart table (as of %s): the version it deploys is not known", chartText, a.Catalog.ChartsAsOf.Format("2006-01-02"))
			d.Image = image
		} else {
			d.Tag = version.Tag{Kind: version.Invalid, Reason: "chart version not in the catalog"}
			d.Reason = fmt.Sprintf("image.tag is not set and chart %s is not in the catalog (as of %s)", chartText, a.Catalog.AsOf.Format("2006-01-02"))
			d.Image = image
		}
	case r.Chart != nil && r.Chart.Kind == helmval.Unknown:
		d.setSpan(r.Chart.Span, "")
		d.Tag = version.Tag{Kind: version.Invalid, Reason: r.Chart.Why}
		d.Reason = "image.tag is not set and the chart version cannot be read: " + r.Chart.Why
		d.Image = image
		for _, via := range r.Chart.Via {
			d.Related = append(d.Related, Related{File: via.At.File, Line: via.At.Line, Column: via.At.Col, Message: via.Message})
		}
	default:
		why := "image.tag is not set and the chart version is unknown: the chart's default tag applies"
		if r.Chart != nil {
			why = fmt.Sprintf("image.tag is not set and chart version %q is a range: the deployed version cannot be read", chartText)
			d.setSpan(r.Chart.Span, chartText)
		} else if len(layers) > 0 {
			last := layers[len(layers)-1]
			at := last.At
			if img, ok := last.Get("image"); ok {
				at = img.At
			}
			d.setSpan(pos.Span{File: at.File, Line: at.Line, Col: at.Col, EndCol: at.Col}, "")
		} else if r.At.Valid() {
			why = "neither image.tag nor the chart version is pinned: the newest chart's default tag applies, and it changes over time"
			d.setSpan(r.At, "")
		} else {
			return nil
		}
		d.Tag = version.Tag{Kind: version.Missing, Reason: why}
		d.Reason = why
		d.Image = image
	}
	d.Nodes = 1
	if n, ok := vals.Lookup("replicas"); ok {
		if v, ok := n.Int(); ok {
			d.Nodes = v
		}
	}
	d.NodesDeclared = d.Nodes
	for _, b := range helmBackends {
		if n, ok := vals.Lookup("backups", b, "enabled"); ok {
			if on, _ := n.Bool(); on {
				d.Backups = addBackups(d.Backups, "backup-"+b)
				helmBackupEnv(d, layers, b)
			}
		}
	}
	for _, l := range layers {
		if es, ok := l.Get("envSecrets"); ok {
			for _, p := range es.Fields {
				d.Env[p.Key] = EnvVar{Span: p.KeyAt, Opaque: true}
			}
		}
		if env, ok := l.Get("env"); ok {
			for _, p := range env.Fields {
				if v, ok := p.Value.Str(); ok {
					d.Env[p.Key] = EnvVar{Value: v, Span: p.Value.Span}
				}
			}
		}
	}
	for _, sp := range vals.Sets {
		if k, ok := strings.CutPrefix(sp.Key, "env."); ok {
			if v, ok := sp.Value.Str(); ok {
				d.Env[k] = EnvVar{Value: v, Span: sp.Value.Span}
			}
		}
	}
	d.backupsFromEnv()
	if n, ok := vals.Lookup("podManagementPolicy"); ok {
		d.PodManagementPolicy = n.Text
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
func helmBackupEnv(d *Deployment, layers []helmval.Value, backend string) {
	for k, v := range helmChartBackupEnv[backend] {
		if _, ok := d.Env[k]; !ok {
			d.Env[k] = EnvVar{Value: v, Span: d.Span()}
		}
	}
	for _, l := range layers {
		if ec, ok := l.Get("backups", backend, "envconfig"); ok {
			for _, p := range ec.Fields {
				if v, ok := p.Value.Str(); ok {
					d.Env[p.Key] = EnvVar{Value: v, Span: p.Value.Span}
				}
			}
		}
		for _, kind := range []string{"secrets", "envSecrets"} {
			if sec, ok := l.Get("backups", backend, kind); ok {
				for _, p := range sec.Fields {
					d.Env[p.Key] = EnvVar{Span: p.KeyAt, Opaque: true}
				}
			}
		}
	}
}

// valuesFiles lists values*.yaml in dir, values.yaml first.
func valuesFiles(load *Loader, dir string) []string {
	names, err := load.ReadDir(dir)
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

// valuesImage checks that an image named in values (registry/repo, with
// the tag if any) is a Weaviate server image, and words the evidence from
// the value that names the repository.
func (c *idContext) valuesImage(image string, tag, repo helmval.Value, key string) (string, bool) {
	text := image
	if t, ok := tag.Str(); ok && t != "" {
		text += ":" + t
	}
	ref, err := imageref.Parse(text)
	if err != nil {
		ref, err = imageref.Parse(image)
		if err != nil {
			return "", false
		}
	}
	ok, mirror := c.image(ref)
	if !ok {
		return "", false
	}
	ev := fmt.Sprintf("%s:%d %s is %s", repo.Span.File, repo.Span.Line, key, strings.TrimPrefix(ref.Name, "docker.io/"))
	if mirror != "" {
		ev += ", " + mirror
	}
	return ev, true
}

// genericDeployment reads the image of a chart that is not the weaviate
// chart from the conventions most charts follow.
func genericDeployment(a *Assembly, r Release, vals helmval.Layers) *Deployment {
	at := func(keys ...string) []string { return append(append([]string(nil), r.ImageAt...), keys...) }
	img, ok := vals.Lookup(at("image")...)
	if !ok {
		return nil
	}
	d := &Deployment{Kind: r.Kind, Platform: Kubernetes, ID: r.ID, Cluster: r.ID, Env: map[string]EnvVar{}}
	if r.ChartFile != "" {
		d.Inputs = append(d.Inputs, r.ChartFile)
	}
	for _, l := range r.Layers {
		if l.Path != "" {
			d.Inputs = append(d.Inputs, l.Path)
		}
	}
	d.Inputs = append(d.Inputs, r.Inputs...)
	key := strings.Join(at("image"), ".")
	if img.Kind == helmval.Scalar {
		// image: "repo:tag" as one string.
		w := written{text: img.Text, at: func(off, n int) pos.Span {
			sp := img.Span
			if sp.EndCol-sp.Col != pos.RuneLen(img.Text) {
				return sp // not written verbatim (escapes, folded): the whole value
			}
			sp.Col += off
			sp.EndCol = sp.Col + n
			return sp
		}}
		if !resolveImage(a.id, w, literal(img.Text), d, "") {
			return nil
		}
		ref, _ := imageref.Parse(img.Text)
		d.Evidence = fmt.Sprintf("%s:%d %s is %s", img.Span.File, img.Span.Line, key, strings.TrimPrefix(ref.Name, "docker.io/"))
		if _, mirror := a.id.image(ref); mirror != "" {
			d.Evidence += ", " + mirror
		}
	} else {
		repoKey := "repository"
		repo, hasRepo := vals.Lookup(at("image", "repository")...)
		if !hasRepo {
			repoKey = "repo"
			repo, hasRepo = vals.Lookup(at("image", "repo")...)
		}
		if !hasRepo || repo.Kind != helmval.Scalar {
			return nil
		}
		image := repo.Text
		if reg, ok := vals.Lookup(at("image", "registry")...); ok && reg.Text != "" {
			image = reg.Text + "/" + repo.Text
		}
		tag, hasTag := vals.Lookup(at("image", "tag")...)
		ev, ok := a.id.valuesImage(image, tag, repo, key+"."+repoKey)
		if !ok {
			return nil
		}
		d.Evidence = ev
		switch {
		case hasTag && tag.Kind == helmval.Scalar:
			d.Tag = version.Parse(tag.Text)
			d.Version, d.Reason = d.Tag.String(), d.Tag.Reason
			d.setSpan(tag.Span, tag.Text)
			d.Image = image + ":" + tag.Text
		default:
			why := key + ".tag is not set: the chart's own default (often its appVersion) applies, which wvlint cannot read"
			d.Tag = version.Tag{Kind: version.Missing, Reason: why}
			d.Reason = why
			d.Image = image
			d.setSpan(pos.Span{File: repo.Span.File, Line: repo.Span.Line, Col: repo.At.Col, EndCol: repo.At.Col}, "")
		}
	}
	d.Nodes = 1
	for _, k := range []string{"replicas", "replicaCount"} {
		if n, ok := vals.Lookup(at(k)...); ok {
			if v, ok := n.Int(); ok {
				d.Nodes = v
			}
		}
	}
	d.NodesDeclared = d.Nodes
	return d
}

// tagInsertion works out where a fix writes image.tag for a deployment of
// the weaviate chart that sets none (the chart's default applies): in the
// last values layer Helm reads for it, a values file (under the
// dependency's key for an umbrella chart) or inline values written as a
// YAML block mapping. Without one (no values, values in a string), or when
// the shape makes the edit ambiguous, TagInsertWhy says why.
func tagInsertion(d *Deployment, r Release, t *yamledit.Target, prefix []string) {
	if t == nil {
		switch {
		case len(r.Layers) > 0 && r.Layers[len(r.Layers)-1].Inline != nil:
			d.TagInsertWhy = "the values that win are not a YAML block mapping wvlint can add to (a string, a --set, HCL, a list item): set image.tag there"
		case len(r.Layers) > 0 && r.Layers[len(r.Layers)-1].Path != "":
			d.TagInsertWhy = fmt.Sprintf("%s cannot be read as YAML: set image.tag by hand", r.Layers[len(r.Layers)-1].Path)
		case r.ChartFile != "" && isChartYAML(filepath.Base(r.ChartFile)):
			key := "image.tag"
			if i := strings.LastIndex(r.ID, "#"); i >= 0 {
				key = r.ID[i+1:] + ".image.tag" // an umbrella chart's dependency
			}
			d.TagInsertWhy = fmt.Sprintf("no values file beside %s: create values.yaml that sets %s", r.ChartFile, key)
		default:
			d.TagInsertWhy = "no values are given for this release: add values that set image.tag"
		}
		return
	}
	keys := append(append([]string(nil), prefix...), "image", "tag")
	in, err := yamledit.ScalarAt(*t, keys, "1.0.0")
	if err != nil {
		d.TagInsertWhy = fmt.Sprintf("%s: %v", t.File.Path, err)
		return
	}
	d.TagInsert = &in
	d.Inputs = appendOnce(d.Inputs, t.File.Path)
}

func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// inlineYAML is the layer of the mapping under key k of m, with where a
// fix may add to it.
func inlineYAML(f *yamlx.File, m *yaml.Node, k string) Layer {
	v := yamlx.Get(m, k)
	l := Layer{Inline: helmval.FromNode(f, v)}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if key := m.Content[i]; key.Kind == yaml.ScalarNode && key.Value == k && m.Content[i+1] == v {
			l.Edit = &yamledit.Target{File: f, Map: v, Key: key}
		}
	}
	return l
}

// isChartYAML reports whether a file's base name is a chart's Chart.yaml.
func isChartYAML(base string) bool { return base == "Chart.yaml" || base == "Chart.yml" }

func isWeaviateChart(name string) bool {
	name = strings.TrimSuffix(strings.TrimSpace(name), "/")
	return name == "weaviate" || path.Base(name) == "weaviate"
}
