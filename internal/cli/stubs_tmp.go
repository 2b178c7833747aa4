package cli

func runPlan(e *env, args []string) (int, error)     { return ExitInput, usagef("plan: not yet") }
func runReleases(e *env, args []string) (int, error) { return ExitInput, usagef("releases: not yet") }
