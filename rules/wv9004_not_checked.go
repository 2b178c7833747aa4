package rules

// NotChecked is WV9004. The loader reports it for a reference to Weaviate
// that it found but could not check; it has no Run.
var NotChecked = &Rule{
	ID: "WV9004", Name: "not-checked", Severity: Note,
	Title: "a Weaviate reference wvlint found but could not check",
	Tags:  []string{"wvlint"},
	Doc: Doc{
		Why: "Some references name Weaviate but not a version wvlint can read: a Go test that passes an image from another package's constant, a Flux HelmRelease whose OCIRepository is not among the files checked, a Go file with a syntax error (what parses is still scanned), a symbolic link that leads out of the tree (never followed), a values file named on the command line that sets `image.tag` but that nothing wvlint may read ties to the weaviate chart (its deploy script is above the current directory, say). " +
			"Nothing is judged there, so wvlint says so at the place, in every output format, instead of passing it in silence. It is a note, so it does not fail the build; raise it to a warning in .wvlint.yaml (`WV9004: warning`) to make every unchecked reference fail.",
		Fix:    "Make the version readable where it is written (a literal or a constant of the same package; the OCIRepository beside the HelmRelease, or the directory that holds it among the paths given), run wvlint-vet for Go constants of other packages, or suppress the note with a `# wvlint:ignore WV9004 <reason>` comment.",
		Source: "wvlint.",
	},
	Example: &Example{File: "helmrelease.yaml", Content: `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: weaviate
  namespace: weaviate
spec:
  interval: 10m
  chartRef:
    kind: OCIRepository
    name: weaviate-chart
`, Output: []string{"helmrelease.yaml:10: note: HelmRelease weaviate/weaviate takes its chart from OCIRepository weaviate-chart, which is not in the scanned files: its Weaviate version is not checked [WV9004 not-checked]"}},
}
