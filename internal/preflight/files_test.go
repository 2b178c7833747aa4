package preflight_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/wvlint/wvlint/internal/inventory"
	"github.com/wvlint/wvlint/internal/preflight"
)

func TestFromFiles(t *testing.T) {
	node := func(id, cluster string, n int, p inventory.Platform, input string) inventory.Deployment {
		return inventory.Deployment{ID: id, Cluster: cluster, Nodes: n, Platform: p, File: "pin-of-" + id, Inputs: []string{input}}
	}
	compose3 := []inventory.Deployment{
		node("compose:c#w1", "compose:c", 3, inventory.Docker, "deploy/compose.yaml"),
		node("compose:c#w2", "compose:c", 3, inventory.Docker, "deploy/compose.yaml"),
		node("compose:c#w3", "compose:c", 3, inventory.Docker, "deploy/compose.yaml"),
	}
	ci := node("actions:ci#weaviate", "actions:ci#weaviate", 1, inventory.Test, ".github/workflows/ci.yml")
	base := node("k8s:sts", "", 3, inventory.Kubernetes, "k8s/base/statefulset.yaml")
	base.RetargetedBy = []string{"k8s/overlays/prod/kustomization.yaml:5 sets newTag 1.38.11"}
	tests := []struct {
		name string
		ds   []inventory.Deployment
		want preflight.Declared
		err  string
	}{
		{"one compose cluster of three services", compose3,
			preflight.Declared{Nodes: 3, NodesFrom: "deploy/compose.yaml", Platform: "docker"}, ""},
		{"test deployments and never-running pins are left out", append([]inventory.Deployment{ci, base}, node("helm:v#w", "", 3, inventory.Kubernetes, "values.yaml")),
			preflight.Declared{Nodes: 3, NodesFrom: "values.yaml", Platform: "kubernetes"}, ""},
		{"clusters that agree; platforms that do not", append(compose3[:1:1], node("helm:v#w", "", 3, inventory.Kubernetes, "values.yaml")),
			preflight.Declared{Nodes: 3, NodesFrom: "deploy/compose.yaml"}, ""},
		{"clusters of different sizes", append(compose3[:1:1], node("compose:s#w", "compose:s", 1, inventory.Docker, "single/compose.yaml")),
			preflight.Declared{}, `the files declare clusters of different sizes: 3 nodes \(deploy/compose.yaml\), 1 node \(single/compose.yaml\); name the files`},
		{"only a CI service container", []inventory.Deployment{ci},
			preflight.Declared{}, `no Weaviate deployment in the files declares a node count \(1 test or never-running pins left out\); pass --nodes N`},
		{"nothing declares a count", []inventory.Deployment{node("x", "", 0, inventory.Docker, "Dockerfile")},
			preflight.Declared{}, `^no Weaviate deployment in the files declares a node count; pass --nodes N$`},
		{"a file name is escaped", []inventory.Deployment{node("y", "", 2, inventory.Docker, "evil\x1b[2J.yaml")},
			preflight.Declared{Nodes: 2, NodesFrom: `"evil\x1b[2J.yaml"`, Platform: "docker"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := preflight.FromFiles(tt.ds)
			if tt.err != "" {
				if err == nil || !matches(tt.err, err.Error()) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

func matches(re, s string) bool {
	return regexp.MustCompile(re).MatchString(s) && !strings.Contains(s, "\x1b")
}
