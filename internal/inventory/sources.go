package inventory

// Sources is the registry of every kind of file wvlint reads, in the order
// that decides which source reads a YAML document two of them could read.
// Adding a source is one file (source_<name>.go) and one line here, with
// the Kind its deployments carry added to the list in types.go and a
// bullet under the README's "What it reads" (tests hold the README and
// the pre-commit hooks to this list). The scan reads with it, and the walk
// asks it which files to read (Registry.Reads, Neighbours, Upward, Across):
// nothing below this file names it.
func Sources() Registry {
	return Registry{
		helmChartSource,
		kustomizeSource,
		actionsSource,
		actionYMLSource,
		argoSource,
		fluxSource,
		k8sSource,
		composeSource,
		helmfileSource,
		helmValuesSource,
		dockerfileSource,
		goSource,
		terraformSource,
		scriptsSource,
		tiltSource,
	}
}
