package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/wvlint/wvlint/internal/catalog"
	"github.com/wvlint/wvlint/internal/catalogupdate"
	"github.com/wvlint/wvlint/internal/format"
	"github.com/wvlint/wvlint/internal/plan"
	"github.com/wvlint/wvlint/internal/version"
)

// catalogFlag adds --releases to a command; WVLINT_RELEASES is its default.
func catalogFlag(fs *flag.FlagSet) *string {
	return fs.String("releases", "", "release catalog file (default: $WVLINT_RELEASES, else the newer of the cached refresh and the built-in list)")
}

func loadCatalog(e *env, explicit string) (*catalog.Catalog, error) {
	if explicit == "" {
		explicit = e.getenv("WVLINT_RELEASES")
	}
	return catalog.Load(explicit)
}

// writeJSON writes indented JSON as people read it: "->" and "<" stay as
// they are (encoding/json escapes them for HTML by default).
// Control characters in names are escaped as \uXXXX (format.EscapeJSON).
func writeJSON(w io.Writer, v any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(format.EscapeJSON(b.Bytes()))
	return err
}

func runPlan(e *env, args []string) (int, error) {
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	format := fs.String("f", "text", "output format: text or json")
	platform := fs.String("platform", "", "docker or kubernetes (the Raft migration differs)")
	nodes := fs.Int("nodes", 0, "number of nodes (0: unknown)")
	rel := catalogFlag(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return ExitInput, err
	}
	if err := checkFormat(*format, "text", "json"); err != nil {
		return ExitInput, err
	}
	if len(pos) != 2 {
		return ExitInput, usagef("plan needs FROM and TO, e.g. wvlint plan 1.25.10 1.27")
	}
	if *platform != "" && *platform != "docker" && *platform != "kubernetes" {
		return ExitInput, usagef("unknown platform %q (want docker or kubernetes)", *platform)
	}
	if *nodes < 0 {
		return ExitInput, usagef("--nodes must not be negative")
	}
	cat, err := loadCatalog(e, *rel)
	if err != nil {
		return ExitInput, err
	}
	from, err := version.ParseVersion(pos[0])
	if err != nil {
		return ExitInput, usagef("FROM: %v", err)
	}
	to, err := plan.ParseTarget(pos[1], cat)
	if err != nil {
		return ExitInput, usagef("TO: %v", err)
	}
	p := plan.Make(from, to, plan.Options{Platform: plan.Platform(*platform), Nodes: *nodes}, cat)
	if *format == "json" {
		out := struct {
			Version int `json:"version"`
			*plan.Plan
		}{1, p}
		if err := writeJSON(e.stdout, out); err != nil {
			return ExitInternal, err
		}
	} else {
		writePlanText(e.stdout, p)
	}
	if p.Refused != "" {
		return ExitFindings, nil
	}
	return ExitOK, nil
}

func writePlanText(w io.Writer, p *plan.Plan) {
	platform := string(p.Platform)
	if platform == "" {
		platform = "unknown platform"
	}
	nodes := "unknown nodes"
	if p.Nodes == 1 {
		nodes = "1 node"
	} else if p.Nodes > 1 {
		nodes = fmt.Sprintf("%d nodes", p.Nodes)
	}
	switch p.Direction {
	case "none":
		fmt.Fprintf(w, "%s is already the target: nothing to do\n", p.From)
	default:
		title := strings.ToUpper(p.Direction[:1]) + p.Direction[1:]
		fmt.Fprintf(w, "%s %s -> %s (%s, %s)\n", title, p.From, p.To, platform, nodes)
	}
	for i, s := range p.Steps {
		fmt.Fprintf(w, "\n%d. %s\n", i+1, s.Version)
		for _, a := range s.Actions {
			fmt.Fprintf(w, "   - %s: %s\n", a.Kind, a.Text)
		}
	}
	if p.Refused != "" {
		fmt.Fprintf(w, "\n%s\n", p.Refused)
		if p.Alternative != "" {
			fmt.Fprintf(w, "safe alternative: %s\n", p.Alternative)
		}
	}
	if len(p.Warnings) > 0 {
		fmt.Fprintln(w)
	}
	for _, warn := range p.Warnings {
		fmt.Fprintf(w, "warning: %s\n", warn)
	}
}

func runReleases(e *env, args []string) (int, error) {
	if len(args) > 0 && args[0] == "update" {
		return runReleasesUpdate(e, args[1:])
	}
	fs := flag.NewFlagSet("releases", flag.ContinueOnError)
	format := fs.String("f", "text", "output format: text or json")
	minor := fs.String("minor", "", "list the releases of one minor, e.g. 1.27")
	rel := catalogFlag(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return ExitInput, err
	}
	if len(pos) > 0 {
		return ExitInput, usagef("releases takes no arguments (did you mean 'releases update'?)")
	}
	if err := checkFormat(*format, "text", "json"); err != nil {
		return ExitInput, err
	}
	cat, err := loadCatalog(e, *rel)
	if err != nil {
		return ExitInput, err
	}
	if *minor != "" {
		if _, ok := cat.Latest(strings.TrimPrefix(*minor, "v")); !ok {
			return ExitInput, usagef("the catalog (as of %s) has no releases of %q", cat.AsOf.Format(time.DateOnly), *minor)
		}
		*minor = strings.TrimPrefix(*minor, "v")
	}
	type rel1 struct {
		Version    string `json:"version"`
		Date       string `json:"date"`
		Prerelease bool   `json:"prerelease"`
	}
	type minorOut struct {
		Minor    string `json:"minor"`
		Latest   string `json:"latest"`
		Releases []rel1 `json:"releases"`
	}
	out := struct {
		Version int        `json:"version"`
		Source  string     `json:"source"`
		AsOf    string     `json:"asOf"`
		Minors  []minorOut `json:"minors"`
	}{Version: 1, Source: cat.Source, AsOf: cat.AsOf.Format(time.DateOnly)}
	index := map[string]int{}
	for _, m := range cat.Minors() {
		if *minor != "" && m != *minor {
			continue
		}
		l, _ := cat.Latest(m)
		index[m] = len(out.Minors)
		out.Minors = append(out.Minors, minorOut{Minor: m, Latest: l.String()})
	}
	for _, r := range cat.Releases {
		if i, ok := index[version.MinorOf(r.Version)]; ok {
			out.Minors[i].Releases = append(out.Minors[i].Releases, rel1{r.Version.String(), r.Date.Format(time.DateOnly), r.Prerelease})
		}
	}
	if *format == "json" {
		if err := writeJSON(e.stdout, out); err != nil {
			return ExitInternal, err
		}
		return ExitOK, nil
	}
	fmt.Fprintf(e.stdout, "Weaviate release catalog: %s, as of %s\n\n", out.Source, out.AsOf)
	if *minor != "" {
		mo := out.Minors[0]
		for i := len(mo.Releases) - 1; i >= 0; i-- {
			r := mo.Releases[i]
			note := ""
			switch {
			case r.Version == mo.Latest:
				note = "  latest patch"
			case r.Prerelease:
				note = "  pre-release"
			}
			fmt.Fprintf(e.stdout, "%-14s %s%s\n", r.Version, r.Date, note)
		}
		return ExitOK, nil
	}
	fmt.Fprintf(e.stdout, "%-6s %-9s %-9s %s\n", "MINOR", "LATEST", "RELEASES", "LATEST DATE")
	for i := len(out.Minors) - 1; i >= 0; i-- {
		mo := out.Minors[i]
		n, date := 0, ""
		for _, r := range mo.Releases {
			if !r.Prerelease {
				n++
			}
			if r.Version == mo.Latest {
				date = r.Date
			}
		}
		fmt.Fprintf(e.stdout, "%-6s %-9s %-9d %s\n", mo.Minor, mo.Latest, n, date)
	}
	return ExitOK, nil
}

func runReleasesUpdate(e *env, args []string) (int, error) {
	fs := flag.NewFlagSet("releases update", flag.ContinueOnError)
	timeout := fs.Duration("timeout", 30*time.Second, "give up after this long")
	pos, err := parse(fs, args)
	if err != nil {
		return ExitInput, err
	}
	if len(pos) > 0 {
		return ExitInput, usagef("releases update takes no arguments")
	}
	path, err := catalog.CacheFile()
	if err != nil {
		return ExitInput, fmt.Errorf("no cache directory: %w", err)
	}
	base, _ := catalog.Load("")
	res, err := catalogupdate.Update(context.Background(), base, path, catalogupdate.Options{
		API: e.getenv("WVLINT_GITHUB_API"), ChartIndex: e.getenv("WVLINT_CHART_INDEX"), Token: e.getenv("GITHUB_TOKEN"), Timeout: *timeout,
	})
	if err != nil {
		return ExitInput, fmt.Errorf("releases update failed, the previous catalog is unchanged: %w", err)
	}
	fmt.Fprintf(e.stdout, "release catalog refreshed: %d new tags, %d new chart versions, written to %s\n", res.Tags, res.Charts, path)
	return ExitOK, nil
}
