// Package terraform reads the Weaviate deployments a Terraform module
// declares: helm_release resources of the weaviate chart (chart version,
// set blocks, values files, yamlencode and heredoc values), and
// docker_container and kubernetes_* resources that run an image. It parses
// HCL with github.com/hashicorp/hcl/v2 and never runs Terraform: variables
// are followed to their default (or a terraform.tfvars value), locals to
// their expression, and every expression it cannot read is reported as
// such, at its position, with the reason.
package terraform

import "github.com/wvlint/wvlint/internal/srcval"

// Value is srcval's: a string read from the module, where each run of it
// is written, or why it cannot be read.
type Value = srcval.Value

// Segment is srcval's: one run of a Value and where it is written.
type Segment = srcval.Segment

var (
	unknown = srcval.Unknown
	known   = srcval.Known
	concat  = srcval.Concat
	through = srcval.Through
)
