// Package catalogupdate refreshes the release catalog from the GitHub REST
// API tags of weaviate/weaviate. It is the only code in wvlint that uses the
// network, and only when the user runs `wvlint releases update`.
package catalogupdate

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/Masterminds/semver/v3"

	"github.com/wvlint/wvlint/internal/catalog"
)

// DefaultAPI is GitHub's REST API root.
const DefaultAPI = "https://api.github.com"

// maxPages bounds pagination: weaviate/weaviate has a few hundred v1 tags.
const maxPages = 50

// Options control an update.
type Options struct {
	API     string        // API root; DefaultAPI when empty
	Token   string        // GITHUB_TOKEN; sent only to the API, never printed
	Timeout time.Duration // for the whole update
	Client  *http.Client
	Now     func() time.Time
}

var tagRE = regexp.MustCompile(`^v\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?$`)
var linkNextRE = regexp.MustCompile(`<([^>]+)>;\s*rel="next"`)

// Fetch lists the version tags of weaviate/weaviate.
func Fetch(ctx context.Context, opt Options) ([]string, error) {
	api := strings.TrimSuffix(opt.API, "/")
	if api == "" {
		api = DefaultAPI
	}
	client := opt.Client
	if client == nil {
		client = http.DefaultClient
	}
	url := api + "/repos/weaviate/weaviate/tags?per_page=100"
	var tags []string
	for page := 1; url != ""; page++ {
		if page > maxPages {
			return nil, fmt.Errorf("more than %d pages of tags; giving up", maxPages)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Accept", "application/vnd.github+json")
		req.Header.Set("X-GitHub-Api-Version", "2022-11-28")
		if opt.Token != "" {
			req.Header.Set("Authorization", "Bearer "+opt.Token)
		}
		resp, err := client.Do(req)
		if err != nil {
			return nil, fmt.Errorf("page %d: %w", page, err)
		}
		next, names, err := readPage(resp)
		resp.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("page %d: %w", page, err)
		}
		tags = append(tags, names...)
		url = next
	}
	return tags, nil
}

func readPage(resp *http.Response) (next string, names []string, err error) {
	if resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusTooManyRequests {
		if resp.Header.Get("X-RateLimit-Remaining") == "0" || resp.StatusCode == http.StatusTooManyRequests {
			msg := "GitHub API rate limit exceeded"
			if reset := resp.Header.Get("X-RateLimit-Reset"); reset != "" {
				var sec int64
				if _, err := fmt.Sscan(reset, &sec); err == nil {
					msg += "; it resets at " + time.Unix(sec, 0).UTC().Format(time.RFC3339)
				}
			}
			return "", nil, fmt.Errorf("%s (set GITHUB_TOKEN for a higher limit)", msg)
		}
	}
	if resp.StatusCode != http.StatusOK {
		return "", nil, fmt.Errorf("GitHub API answered %s", resp.Status)
	}
	var body []struct {
		Name string `json:"name"`
	}
	dec := json.NewDecoder(io.LimitReader(resp.Body, 16<<20))
	if err := dec.Decode(&body); err != nil {
		return "", nil, fmt.Errorf("reading the answer: %w", err)
	}
	for _, t := range body {
		names = append(names, t.Name)
	}
	if m := linkNextRE.FindStringSubmatch(resp.Header.Get("Link")); m != nil {
		next = m[1]
	}
	return next, names, nil
}

// Merge adds tags to a base catalog. Tags the base knows keep their dates;
// new ones are dated now (the tags API carries no dates).
func Merge(base *catalog.Catalog, tags []string, now time.Time) (*catalog.Catalog, int, error) {
	var rows strings.Builder
	known := map[string]bool{}
	for _, r := range base.Releases {
		known[r.Version.String()] = true
		kind := "release"
		if r.Prerelease {
			kind = "prerelease"
		}
		fmt.Fprintf(&rows, "%s\t%s\t%s\n", r.Version, r.Date.Format("2006-01-02"), kind)
	}
	added := 0
	for _, t := range tags {
		if !tagRE.MatchString(t) {
			continue
		}
		v, err := semver.StrictNewVersion(strings.TrimPrefix(t, "v"))
		if err != nil || known[v.String()] {
			continue
		}
		known[v.String()] = true
		kind := "release"
		if v.Prerelease() != "" {
			kind = "prerelease"
		}
		fmt.Fprintf(&rows, "%s\t%s\t%s\n", v, now.UTC().Format("2006-01-02"), kind)
		added++
	}
	c, err := catalog.Parse("update", []byte(rows.String()), catalog.EmbeddedCharts())
	return c, added, err
}

// Update fetches the tags, merges them into base and writes the result to
// path atomically (a temp file in the same directory, then a rename). On any
// error the previous file is left as it was.
func Update(ctx context.Context, base *catalog.Catalog, path string, opt Options) (added int, err error) {
	if opt.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, opt.Timeout)
		defer cancel()
	}
	now := time.Now
	if opt.Now != nil {
		now = opt.Now
	}
	tags, err := Fetch(ctx, opt)
	if err != nil {
		return 0, err
	}
	if len(tags) == 0 {
		return 0, fmt.Errorf("the API listed no tags")
	}
	c, added, err := Merge(base, tags, now())
	if err != nil {
		return 0, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return 0, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".weaviate-releases-*.tsv")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp.Name()) // a no-op after the rename
	header := fmt.Sprintf("Weaviate server releases from the GitHub tags of weaviate/weaviate, fetched %s; tags new since the embedded list are dated the day they were fetched.", now().UTC().Format("2006-01-02"))
	if _, err := tmp.Write(c.Format(header)); err != nil {
		tmp.Close()
		return 0, err
	}
	if err := tmp.Close(); err != nil {
		return 0, err
	}
	return added, os.Rename(tmp.Name(), path)
}
