package preflight

import (
	"fmt"
	"strings"

	"github.com/wvlint/wvlint/internal/format"
	"github.com/wvlint/wvlint/internal/inventory"
	"github.com/wvlint/wvlint/internal/plan"
)

// Declared is what the deployment files say about the cluster a preflight
// checks (`wvlint preflight URL PATH...`): how many nodes it has, and
// where it runs.
type Declared struct {
	Nodes     int
	NodesFrom string        // the file that declares them ("deploy/compose.yaml")
	Platform  plan.Platform // "" when the files disagree
}

// FromFiles picks the cluster the files declare out of the deployments a
// scan found. Test deployments (CI service containers, testcontainers) and
// pins that never run (a kustomize base every overlay retargets) are left
// out; the clusters left must agree on the node count, or the files do not
// say which one the server is and the error says so.
func FromFiles(ds []inventory.Deployment) (Declared, error) {
	type cluster struct {
		nodes    int
		file     string
		platform inventory.Platform
	}
	var clusters []cluster
	seen := map[string]bool{}
	skipped := 0
	for _, d := range ds {
		if d.Platform == inventory.Test || len(d.RetargetedBy) > 0 {
			skipped++
			continue
		}
		if d.Nodes <= 0 {
			continue
		}
		key := d.Cluster
		if key == "" {
			key = d.ID
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		file := d.File
		if len(d.Inputs) > 0 {
			file = d.Inputs[0]
		}
		clusters = append(clusters, cluster{d.Nodes, format.SafeName(file), d.Platform})
	}
	if len(clusters) == 0 {
		why := "no Weaviate deployment in the files declares a node count"
		if skipped > 0 {
			why += fmt.Sprintf(" (%d test or never-running pins left out)", skipped)
		}
		return Declared{}, fmt.Errorf("%s; pass --nodes N", why)
	}
	first := clusters[0]
	decl := Declared{Nodes: first.nodes, NodesFrom: first.file, Platform: plan.Platform(first.platform)}
	var all []string
	differ := false
	for _, c := range clusters {
		all = append(all, fmt.Sprintf("%s (%s)", pluralNodes(c.nodes), c.file))
		differ = differ || c.nodes != first.nodes
		if c.platform != first.platform {
			decl.Platform = ""
		}
	}
	if differ {
		return Declared{}, fmt.Errorf("the files declare clusters of different sizes: %s; name the files of the cluster this server runs, or pass --nodes N", strings.Join(all, ", "))
	}
	if decl.Platform != plan.Docker && decl.Platform != plan.Kubernetes {
		decl.Platform = ""
	}
	return decl, nil
}

func pluralNodes(n int) string {
	if n == 1 {
		return "1 node"
	}
	return fmt.Sprintf("%d nodes", n)
}
