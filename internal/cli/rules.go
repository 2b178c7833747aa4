package cli

import (
	"flag"
	"fmt"
	"strings"

	"github.com/wvlint/wvlint/internal/ruledoc"
	"github.com/wvlint/wvlint/rules"
)

func runRules(e *env, args []string) (int, error) {
	fs := flag.NewFlagSet("rules", flag.ContinueOnError)
	format := fs.String("f", "text", "output format: text or json")
	pos, err := parse(fs, args)
	if err != nil {
		return ExitInput, err
	}
	if len(pos) > 0 {
		return ExitInput, usagef("rules takes no arguments (see 'wvlint explain %s')", pos[0])
	}
	if err := checkFormat(*format, "text", "json"); err != nil {
		return ExitInput, err
	}
	if *format == "json" {
		type ruleOut struct {
			ID       string   `json:"id"`
			Name     string   `json:"name"`
			Severity string   `json:"severity"`
			Title    string   `json:"title"`
			Tags     []string `json:"tags"`
			HelpURI  string   `json:"helpUri"`
		}
		var out []ruleOut
		for _, r := range rules.All() {
			out = append(out, ruleOut{r.ID, r.Name, r.Severity.String(), r.Title, r.Tags, ruledoc.HelpURI(r)})
		}
		if err := writeJSON(e.stdout, out); err != nil {
			return ExitInternal, err
		}
		return ExitOK, nil
	}
	for _, r := range rules.All() {
		fmt.Fprintf(e.stdout, "%s  %-28s %-8s %s\n", r.ID, r.Name, r.Severity, r.Title)
	}
	return ExitOK, nil
}

func runExplain(e *env, args []string) (int, error) {
	if len(args) != 1 {
		return ExitInput, usagef("explain needs one rule ID or name, e.g. wvlint explain WV1001")
	}
	r := rules.Lookup(strings.TrimSpace(args[0]))
	if r == nil {
		return ExitInput, usagef("unknown rule %q (see 'wvlint rules')", args[0])
	}
	fmt.Fprint(e.stdout, ruledoc.Text(r))
	return ExitOK, nil
}
