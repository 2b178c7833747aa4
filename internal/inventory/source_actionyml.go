package inventory

import (
	"go.yaml.in/yaml/v3"

	"github.com/wvlint/wvlint/internal/ghactions"
	"github.com/wvlint/wvlint/internal/yamlx"
)

var actionYMLSource = &Source{
	Name:  "github-action-inputs",
	Doc:   "GitHub Actions `action.yml` (composite actions): an input named for Weaviate whose `default` is a Weaviate version, `latest`, or a Weaviate image",
	Reads: ghactions.IsAction,
	Document: func(p string, doc *yaml.Node) bool {
		return ghactions.IsAction(p) && yamlx.Get(doc, "runs") != nil
	},
	Extract: func(in *Input) Found {
		var out Found
		for _, doc := range in.Docs {
			out.merge(stepPins(in.id, in.YAML, ghactions.Action(in.YAML, doc), nil, nil))
		}
		return out
	},
	Examples: []string{".github/actions/wv/action.yml", "action.yaml"},
}
