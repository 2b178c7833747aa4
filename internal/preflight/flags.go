package preflight

import (
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"sync"
	"time"

	"github.com/wvlint/wvlint/internal/catalog"
	"github.com/wvlint/wvlint/internal/plan"
	"github.com/wvlint/wvlint/internal/weaviateapi"
)

// Flags are the command-line flags of a preflight, shared by `wvlint
// preflight` and the documentation examples so both read them alike.
type Flags struct {
	To         string
	Nodes      int
	Backend    string
	Backup     string
	MaxAge     time.Duration
	Platform   string
	APIKeyFile string
	CAFile     string
	Timeout    time.Duration
}

// AddFlags defines the preflight's flags on fs.
func AddFlags(fs *flag.FlagSet) *Flags {
	f := &Flags{}
	fs.StringVar(&f.To, "to", "", "the version of the next step: check the path from the running version")
	fs.IntVar(&f.Nodes, "nodes", 0, "the number of nodes the cluster must have (default: the Raft configuration)")
	fs.StringVar(&f.Backend, "backend", "", "backup backend to look for a recent backup on (default: the one backup module enabled)")
	fs.StringVar(&f.Backup, "backup", "", "BACKEND/ID: check this backup instead of the list (servers without the list)")
	fs.DurationVar(&f.MaxAge, "backup-max-age", 24*time.Hour, "the newest SUCCESS backup may be this old")
	fs.StringVar(&f.Platform, "platform", "", "docker or kubernetes (the Raft migration differs)")
	fs.StringVar(&f.APIKeyFile, "api-key-file", "", "file holding the API key or bearer token (default: $WEAVIATE_API_KEY)")
	fs.StringVar(&f.CAFile, "ca-file", "", "PEM certificate authorities to trust for https")
	fs.DurationVar(&f.Timeout, "timeout", 10*time.Second, "timeout of each request")
	return f
}

// NewClient makes the client for the server at u, with the API key from
// apiKeyFile, else $WEAVIATE_API_KEY (getenv).
func NewClient(u *url.URL, getenv func(string) string, apiKeyFile, caFile string, timeout time.Duration, transport http.RoundTripper) (*weaviateapi.Client, error) {
	token := weaviateapi.NewSecret(getenv("WEAVIATE_API_KEY"))
	if apiKeyFile != "" {
		data, err := os.ReadFile(apiKeyFile)
		if err != nil {
			return nil, fmt.Errorf("--api-key-file: %w", err)
		}
		token = weaviateapi.NewSecret(string(data))
		if token.Empty() {
			return nil, fmt.Errorf("--api-key-file %s is empty", apiKeyFile)
		}
	}
	return weaviateapi.New(u, weaviateapi.Options{Token: token, CAFile: caFile, Timeout: timeout, Transport: transport})
}

var backupRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9]+/[a-z0-9_-]+$`) })

// Options turns the flags into Options for the server at rawURL. getenv
// reads WEAVIATE_API_KEY; transport replaces the HTTP transport (nil for
// the real one). Errors are usage errors.
func (f *Flags) Options(rawURL string, getenv func(string) string, cat *catalog.Catalog, transport http.RoundTripper) (Options, error) {
	var opt Options
	u, err := weaviateapi.ParseURL(rawURL)
	if err != nil {
		return opt, err
	}
	if f.Nodes < 0 {
		return opt, fmt.Errorf("--nodes must not be negative")
	}
	if f.MaxAge <= 0 {
		return opt, fmt.Errorf("--backup-max-age must be positive")
	}
	if f.Platform != "" && f.Platform != "docker" && f.Platform != "kubernetes" {
		return opt, fmt.Errorf("unknown platform %q (want docker or kubernetes)", f.Platform)
	}
	if f.Backup != "" && !backupRE().MatchString(f.Backup) {
		return opt, fmt.Errorf("--backup %q: want BACKEND/ID, e.g. s3/before-1-36 (lower-case letters, digits, _ and -)", f.Backup)
	}
	if f.Backup != "" && f.Backend != "" {
		return opt, fmt.Errorf("give --backup BACKEND/ID or --backend, not both")
	}
	cl, err := NewClient(u, getenv, f.APIKeyFile, f.CAFile, f.Timeout, transport)
	if err != nil {
		return opt, err
	}
	opt = Options{Client: cl, Nodes: f.Nodes, Backend: f.Backend, Backup: f.Backup, MaxAge: f.MaxAge,
		Platform: plan.Platform(f.Platform), Catalog: cat}
	if f.To != "" {
		to, err := plan.ParseTarget(f.To, cat)
		if err != nil {
			return opt, fmt.Errorf("--to: %w", err)
		}
		opt.To = to
	}
	return opt, nil
}
