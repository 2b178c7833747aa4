package inventory

// Sources is the registry of every kind of file wvlint reads, in the order
// that decides which source reads a YAML document two of them could read.
// Adding a source is one file (source_<name>.go) and one line here.
func Sources() []*Source {
	return []*Source{
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
