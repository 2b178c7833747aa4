package terraform

import (
	"bytes"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/wvlint/wvlint/internal/pos"
)

// Heredoc is a heredoc string written in one of the module's resources
// (a kubectl_manifest yaml_body, yamldecode(<<EOT) in a kubernetes_manifest,
// a helm_release values entry): the text of its body as written.
type Heredoc struct {
	Address string   // the resource it is in
	At      pos.Span // the <<EOT marker
	File    string
	// BodyLine is the 1-based line of the body's first line; Body is the
	// body's source text, indentation included, up to the closing marker.
	BodyLine int
	Body     []byte
	// Literal is false when the body has ${...} or %{...}: what it says
	// is decided when Terraform runs.
	Literal bool
}

// Heredocs lists the heredocs written in the module's resources.
func (m *Module) Heredocs() []Heredoc {
	var out []Heredoc
	for _, r := range m.order {
		addr := r.typ + "." + r.name
		_ = hclsyntax.VisitAll(r.block.Body, func(n hclsyntax.Node) hcl.Diagnostics {
			t, ok := n.(*hclsyntax.TemplateExpr)
			if !ok {
				return nil
			}
			rg := t.Range()
			raw := r.f.lines.Bytes(rg.Start.Byte, rg.End.Byte)
			if !bytes.HasPrefix(raw, []byte("<<")) {
				return nil
			}
			nl := bytes.IndexByte(raw, '\n')
			last := bytes.LastIndexByte(bytes.TrimRight(raw, " \t\r\n"), '\n')
			if nl < 0 || last < nl {
				return nil
			}
			literal := true
			for _, p := range t.Parts {
				if _, ok := p.(*hclsyntax.LiteralValueExpr); !ok {
					literal = false
				}
			}
			line, _ := r.f.lines.Pos(rg.Start.Byte + nl + 1)
			out = append(out, Heredoc{Address: addr, At: r.f.span(rg), File: r.f.name, BodyLine: line,
				Body: append([]byte(nil), raw[nl+1:last+1]...), Literal: literal && !bytes.Contains(raw, []byte("%{"))})
			return nil
		})
	}
	return out
}
