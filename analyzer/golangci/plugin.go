// Package golangci registers wvlint's Go analyzer as a golangci-lint module
// plugin (github.com/golangci/plugin-module-register). Build a custom
// golangci-lint with it as docs/golangci-lint.md shows. Registration is in
// init because that is the plugin system's contract.
package golangci

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/golangci/plugin-module-register/register"

	"github.com/wvlint/wvlint/analyzer"
)

func init() { register.Plugin("wvlint", New) }

// Settings are the plugin's settings in .golangci.yml.
type Settings struct {
	// Releases is a release catalog file (air-gapped users).
	Releases string `json:"releases"`
	// Disable lists rules to leave out, by ID or name.
	Disable []string `json:"disable"`
}

type plugin struct{ settings Settings }

// New builds the plugin from its settings.
func New(conf any) (register.LinterPlugin, error) {
	s, err := register.DecodeSettings[Settings](conf)
	if err != nil {
		return nil, err
	}
	return &plugin{settings: s}, nil
}

// BuildAnalyzers returns wvlint's analyzer.
func (p *plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	if p.settings.Releases != "" {
		if err := analyzer.Analyzer.Flags.Set("releases", p.settings.Releases); err != nil {
			return nil, err
		}
	}
	if len(p.settings.Disable) > 0 {
		if err := analyzer.Analyzer.Flags.Set("disable", strings.Join(p.settings.Disable, ",")); err != nil {
			return nil, fmt.Errorf("wvlint settings: disable: %w", err)
		}
	}
	return []*analysis.Analyzer{analyzer.Analyzer}, nil
}

// GetLoadMode asks for type information: constants resolve through it.
func (p *plugin) GetLoadMode() string { return register.LoadModeTypesInfo }
