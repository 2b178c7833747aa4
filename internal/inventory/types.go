// Package inventory finds every Weaviate version a repository pins: in
// Docker Compose files, Helm values (and the helmfile, Argo CD and Flux
// objects that point values at the weaviate chart), Kubernetes manifests,
// kustomizations, Dockerfiles and GitHub Actions workflows. Each deployment
// carries the exact position of the version text a user edits.
package inventory

import (
	"sort"
	"strconv"
	"strings"

	"github.com/wvlint/wvlint/internal/commalist"
	"github.com/wvlint/wvlint/internal/diag"
	"github.com/wvlint/wvlint/internal/helmval"
	"github.com/wvlint/wvlint/internal/pos"
	"github.com/wvlint/wvlint/internal/version"
	"github.com/wvlint/wvlint/internal/yamledit"
)

// Kind is the kind of file a deployment is defined in: the name of the
// Source that read it.
type Kind string

// The kinds of sources wvlint reads.
const (
	Compose       Kind = "compose"
	HelmValues    Kind = "helm-values"
	Helmfile      Kind = "helmfile"
	ArgoCD        Kind = "argocd"
	Flux          Kind = "flux"
	K8s           Kind = "k8s"
	Kustomize     Kind = "kustomize"
	Dockerfile    Kind = "dockerfile"
	GitHubActions Kind = "github-actions"
	Go            Kind = "go"
	Terraform     Kind = "terraform"
	Script        Kind = "script"
	Tilt          Kind = "tilt"
)

// Platform is where a deployment runs, which decides some upgrade rules.
type Platform string

// The platforms.
const (
	Docker     Platform = "docker"
	Kubernetes Platform = "kubernetes"
	Test       Platform = "test" // ephemeral: CI service containers, testcontainers
)

// Related is another place that contributes to a finding.
type Related = diag.Related

// EnvVar is an environment variable set on a deployment.
type EnvVar struct {
	Value  string
	Span   pos.Span
	Opaque bool // set from a secret or config map: the value is not visible
}

// Deployment is one place a repository pins a Weaviate server version.
type Deployment struct {
	File      string    `json:"file"`
	Line      int       `json:"line"`
	Column    int       `json:"column"`
	EndColumn int       `json:"endColumn"` // exclusive
	Raw       string    `json:"raw"`       // the text at the position, as written
	Version   string    `json:"version"`   // resolved semver without "v", "" when unresolved
	Image     string    `json:"image"`     // the full image reference after interpolation
	Kind      Kind      `json:"source"`
	Platform  Platform  `json:"platform"`
	Nodes     int       `json:"nodes"` // 0 when unknown
	Backups   []string  `json:"backups"`
	ID        string    `json:"id"` // stable identity across revisions
	Related   []Related `json:"related"`
	Reason    string    `json:"reason,omitempty"` // why Version is "" (or how it was derived)
	// Evidence is why wvlint takes this for a Weaviate server pin: one
	// clause naming the file:line that decided it.
	Evidence string `json:"evidence"`
	Chart    string `json:"chart,omitempty"` // Helm chart version, when known
	// PodManagementPolicy of the StatefulSet, when known (Kubernetes).
	PodManagementPolicy string `json:"podManagementPolicy,omitempty"`
	// RetargetedBy, for a pin in a kustomize base, names the overlays that
	// replace its image version ("overlays/prod/kustomization.yaml:8 sets
	// newTag 1.36.23") when every kustomization applied retargets it:
	// the version never runs. Empty when some use runs it unchanged.
	RetargetedBy []string `json:"retargetedBy,omitempty"`

	Tag     version.Tag       `json:"-"`
	Env     map[string]EnvVar `json:"-"`
	Cluster string            `json:"-"` // deployments with the same Cluster are nodes of one cluster
	// Inputs are the files the deployment was read from, the file that
	// defines it first: a change to any of them changes the deployment.
	Inputs []string `json:"-"`
	// BackupsKnown is false when wvlint cannot see the deployment's
	// backup configuration (a kustomize overlay without its base, a
	// Dockerfile): Backups is then empty for want of knowing.
	BackupsKnown bool `json:"-"`
	// EnvOpaque is true when some environment comes from where wvlint
	// cannot look (env_file, envFrom): a missing variable may be set there.
	EnvOpaque bool `json:"-"`
	// NodesDeclared is the node count the files declare themselves
	// (services, replicas), without the cluster settings' hints; 0 when
	// unknown.
	NodesDeclared int `json:"-"`
	// Hostname is the container hostname the files fix (a compose
	// service's `hostname:`), "" when they do not: Weaviate names the node
	// after it when CLUSTER_HOSTNAME is unset.
	Hostname string `json:"-"`
	// TagInsert, for a deployment of the weaviate chart that sets no
	// image.tag (the chart's default version applies), is where a fix
	// writes image.tag: in the values file that wins. Nil when there is
	// none, with TagInsertWhy saying why.
	TagInsert    *yamledit.Insertion `json:"-"`
	TagInsertWhy string              `json:"-"`
}

// Span is the deployment's primary position.
func (d *Deployment) Span() pos.Span {
	return pos.Span{File: d.File, Line: d.Line, Col: d.Column, EndCol: d.EndColumn}
}

// FileError is a file wvlint could not read or parse.
type FileError struct {
	File    string `json:"file"`
	Line    int    `json:"line"` // 0 when the whole file is concerned
	Message string `json:"message"`
}

func (e FileError) String() string { return e.Where() + ": " + e.Message }

// Where is "file:line", or the file alone when the whole file is concerned.
func (e FileError) Where() string {
	if e.Line > 0 {
		return e.File + ":" + strconv.Itoa(e.Line)
	}
	return e.File
}

// Result is what a scan found.
type Result struct {
	Deployments []Deployment `json:"deployments"`
	Errors      []FileError  `json:"errors"`
	Notices     []FileError  `json:"notices,omitempty"` // skipped on purpose (symlinks out of the tree)
	// NearMisses are files that set an image tag but that nothing ties to
	// Weaviate (wvlint inventory -v).
	NearMisses []NearMiss `json:"nearMisses,omitempty"`
	// Lines are the line indexes (with their text) of files deployments
	// are read from that the scan parsed, for the report to use instead of
	// reading them again; a file not here is read when needed.
	Lines map[string]*pos.Lines `json:"-"`
}

// NearMiss is a values file that sets an image tag but that nothing ties
// to Weaviate: wvlint does not count it, and says what would.
type NearMiss struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
	// place marks a near miss about one place in a file that is read
	// anyway (a helm_release of another chart in main.tf): a deployment
	// reading the file does not answer it.
	place bool
}

// SortProblems orders errors and notices by file and line.
func (r *Result) SortProblems() {
	less := func(es []FileError) func(i, j int) bool {
		return func(i, j int) bool {
			if es[i].File != es[j].File {
				return es[i].File < es[j].File
			}
			return es[i].Line < es[j].Line
		}
	}
	sort.SliceStable(r.Errors, less(r.Errors))
	sort.SliceStable(r.Notices, less(r.Notices))
}

func (r *Result) sort() {
	sort.SliceStable(r.Deployments, func(i, j int) bool {
		a, b := r.Deployments[i], r.Deployments[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		return a.ID < b.ID
	})
	r.SortProblems()
}

// backupsFromModules lists the backup modules in an ENABLE_MODULES value.
func backupsFromModules(mods string) []string {
	var out []string
	for _, m := range commalist.Split(mods) {
		if strings.HasPrefix(m, "backup-") {
			out = append(out, m)
		}
	}
	return out
}

func addBackups(have []string, more ...string) []string {
	for _, m := range more {
		dup := false
		for _, h := range have {
			dup = dup || h == m
		}
		if !dup {
			have = append(have, m)
		}
	}
	sort.Strings(have)
	return have
}

// backupsFromEnv adds the backup modules ENABLE_MODULES enables.
func (d *Deployment) backupsFromEnv() {
	if mods, ok := d.Env["ENABLE_MODULES"]; ok {
		d.Backups = addBackups(d.Backups, backupsFromModules(mods.Value)...)
	}
}

// Release is one deployment of the weaviate Helm chart, as a source found
// it: the chart version, its values layers in the order Helm applies them,
// then its --set overrides. Releases are layered after every file has been
// read (assembleReleases), whichever source named them: a Chart.yaml, a
// helmfile, an Argo CD Application, a Flux HelmRelease.
type Release struct {
	ID   string
	Kind Kind
	// ChartFile is where the chart version is written ("" when unknown).
	ChartFile string
	// Chart is the chart version as written; nil when unknown.
	Chart  *helmval.Value
	Layers []Layer
	Sets   []helmval.Set
	// Self marks a release known only from the image its values name: it
	// gives way to any other release that reads the same file, and counts
	// only if the image its layers end up with is a Weaviate server image.
	Self bool
	// Generic marks the values of a chart that is not the weaviate chart
	// but follows the common conventions under ImageAt: image.repository
	// (or repo) with image.tag and image.registry, or image: "repo:tag".
	// The weaviate chart's defaults (default tag, backups) do not apply.
	Generic bool
	ImageAt []string
	// Evidence is why this is the weaviate chart ("Chart.yaml:9 depends on
	// the weaviate chart 17.4.0"); for Self releases it is worked out from
	// the layer that names the image.
	Evidence string
	// Inputs are other files the release is read from (variables.tf, a
	// sourced env file): a change to them changes the deployment.
	Inputs []string
	// At is where the release is declared, the position of a deployment
	// nothing else places (no chart version, no values).
	At pos.Span
}

// Layer is one layer of values: a file to load (with the key prefix an
// umbrella chart nests the dependency's values under), or values already
// read (inline in a helmfile, an Argo CD Application, a --set string).
type Layer struct {
	Path   string   // file to load; "" for inline values
	Prefix []string // umbrella charts nest values under the dependency name
	Inline *helmval.Value
	RefAt  pos.Span // where the file is named, for errors; zero when it may be absent
	// Edit, for inline values written as a YAML block mapping under a
	// key (Flux's spec.values, Argo CD's helm.valuesObject), is where a
	// fix may add image.tag.
	Edit *yamledit.Target
}
