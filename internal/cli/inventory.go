package cli

import (
	"flag"
	"fmt"
	"github.com/wvlint/wvlint/internal/relpath"
	"io"
	"strings"

	"github.com/wvlint/wvlint/internal/format"
	"github.com/wvlint/wvlint/internal/inventory"
	"github.com/wvlint/wvlint/internal/lint"
)

// defaultMaxSize is the largest file read; larger files that mention
// weaviate are reported, others are skipped.
const defaultMaxSize = 8 << 20

func runInventory(e *env, args []string) (int, error) {
	fs := flag.NewFlagSet("inventory", flag.ContinueOnError)
	outFormat := fs.String("f", "text", "output format: text or json")
	maxSize := fs.Int64("max-file-size", defaultMaxSize, "skip files larger than this many bytes")
	verbose := fs.Bool("v", false, "also list near misses: values files that set an image tag but that nothing ties to Weaviate, and what would")
	configPath := fs.String("config", "", "configuration file: its ignore:, images: and values: apply (default: .wvlint.yaml found upward from the first path)")
	paths, err := parse(fs, args)
	if err != nil {
		return ExitInput, err
	}
	if err := checkFormat(*outFormat, "text", "json"); err != nil {
		return ExitInput, err
	}
	paths = pathArgs(e.dir, paths)
	cfg, err := loadConfig(*configPath, paths[0])
	if err != nil {
		return ExitInput, err
	}
	res, _ := lint.ScanTree(paths, relpath.Root(e.dir), *maxSize, cfg, nil)
	if !*verbose {
		res.NearMisses = nil
	}
	if *outFormat == "json" {
		out := struct {
			Version int `json:"version"`
			*inventory.Result
		}{1, res}
		if err := writeJSON(e.stdout, out); err != nil {
			return ExitInternal, err
		}
	} else {
		writeInventoryText(e.stdout, res)
	}
	for _, n := range res.Notices {
		fmt.Fprintf(e.stderr, "%s: notice: %s\n", format.Where(n.File, n.Line, 0), format.SafeText(n.Message))
	}
	for _, fe := range res.Errors {
		fmt.Fprintf(e.stderr, "%s: error: %s\n", format.Where(fe.File, fe.Line, 0), format.SafeText(fe.Message))
	}
	if len(res.Errors) > 0 {
		return ExitInput, nil
	}
	return ExitOK, nil
}

func writeInventoryText(w io.Writer, res *inventory.Result) {
	for _, d := range res.Deployments {
		v := d.Version
		if v == "" {
			v = "unresolved"
		}
		var attrs []string
		attrs = append(attrs, string(d.Kind), string(d.Platform))
		switch {
		case d.Nodes == 1:
			attrs = append(attrs, "1 node")
		case d.Nodes > 1:
			attrs = append(attrs, fmt.Sprintf("%d nodes", d.Nodes))
		}
		if len(d.Backups) > 0 {
			attrs = append(attrs, "backups: "+strings.Join(d.Backups, " "))
		}
		if d.Chart != "" {
			attrs = append(attrs, "chart "+d.Chart)
		}
		fmt.Fprintf(w, "%s: weaviate %s (%s)\n", format.Where(d.File, d.Line, d.Column), format.SafeText(v), format.SafeText(strings.Join(attrs, ", ")))
		fmt.Fprintf(w, "\timage %s\n\tid %s\n", format.SafeText(d.Image), format.SafeText(d.ID))
		if d.Reason != "" {
			fmt.Fprintf(w, "\t%s\n", format.SafeText(d.Reason))
		}
		fmt.Fprintf(w, "\tevidence %s\n", format.SafeText(d.Evidence))
		if len(d.RetargetedBy) > 0 {
			fmt.Fprintf(w, "\tnever runs: retargeted by %s\n", format.SafeText(strings.Join(d.RetargetedBy, ", ")))
		}
		for _, r := range d.Related {
			fmt.Fprintf(w, "\t%s: %s\n", format.Where(r.File, r.Line, r.Column), format.SafeText(r.Message))
		}
	}
	if len(res.Deployments) == 0 {
		fmt.Fprintln(w, "no Weaviate deployments found")
	}
	if len(res.NearMisses) > 0 {
		fmt.Fprintf(w, "near misses (not counted: nothing ties them to Weaviate):\n")
		for _, nm := range res.NearMisses {
			fmt.Fprintf(w, "%s:%d:%d: %s\n", format.SafeName(nm.File), nm.Line, nm.Column, format.SafeText(nm.Message))
		}
	}
}
