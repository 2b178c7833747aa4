// Package catalogupdate refreshes the release catalog: the v1 tags of
// weaviate/weaviate from the GitHub REST API, dated by their GitHub
// releases (or, for a tag without one, by its commit), and the chart table
// from the weaviate-helm chart repository's index.yaml. It is the only code
// in wvlint that uses the network, and only when the user runs
// `wvlint releases update`.
package catalogupdate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/Masterminds/semver/v3"
	"go.yaml.in/yaml/v3"

	"github.com/wvlint/wvlint/internal/catalog"
)

// DefaultAPI is GitHub's REST API root.
const DefaultAPI = "https://api.github.com"

// DefaultChartIndex is the weaviate-helm chart repository's index, which
// lists every chart version with its appVersion (for the weaviate chart,
// the default image.tag at every tag).
const DefaultChartIndex = "https://weaviate.github.io/weaviate-helm/index.yaml"

// maxPages bounds pagination: weaviate/weaviate has a few hundred v1 tags.
const maxPages = 50

// Options control an update.
type Options struct {
	API        string        // API root; DefaultAPI when empty
	ChartIndex string        // chart repository index URL; DefaultChartIndex when empty
	Token      string        // GITHUB_TOKEN; sent only to the API, never printed
	Timeout    time.Duration // for the whole update
	Client     *http.Client
	Now        func() time.Time
}

// tagRE is a Weaviate 1.x server tag, releases and every pre-release form
// semver allows (v1.39.0-rc.0, v1.25.0-raft-beta.1); v0.22.x and other
// tags are not server releases wvlint judges.
var tagRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^v1\.\d+\.\d+(-[0-9A-Za-z.-]+)?$`) })
var linkNextRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`<([^>]+)>;\s*rel="next"`) })

// Tag is a tag of weaviate/weaviate with its date, when known.
type Tag struct {
	Name string
	SHA  string    // the tagged commit
	Date time.Time // zero until dated
}

type client struct {
	opt  Options
	http *http.Client
	api  string
}

func newClient(opt Options) *client {
	c := &client{opt: opt, http: opt.Client, api: strings.TrimSuffix(opt.API, "/")}
	if c.api == "" {
		c.api = DefaultAPI
	}
	if c.http == nil {
		c.http = http.DefaultClient
	}
	return c
}

// get fetches one URL of the API and decodes its JSON into v; it returns
// the next page's URL from the Link header, "" on the last page.
func (c *client) get(ctx context.Context, url string, v any) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Accept", "application/vnd.github+json")
	req.Header.Set("X-GitHub-Api-Version", "2022-11-28")
	if c.opt.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.opt.Token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if err := apiError(resp); err != nil {
		return "", err
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 16<<20)).Decode(v); err != nil {
		return "", fmt.Errorf("reading the answer: %w", err)
	}
	next := ""
	if m := linkNextRE().FindStringSubmatch(resp.Header.Get("Link")); m != nil {
		next = m[1]
	}
	return next, nil
}

// apiError turns a rate limit or any other non-200 answer into an error
// that says what to do.
func apiError(resp *http.Response) error {
	limited := resp.StatusCode == http.StatusTooManyRequests ||
		resp.StatusCode == http.StatusForbidden && (resp.Header.Get("X-RateLimit-Remaining") == "0" || resp.Header.Get("Retry-After") != "")
	if limited {
		msg := "GitHub API rate limit exceeded"
		if reset := resp.Header.Get("X-RateLimit-Reset"); reset != "" && resp.Header.Get("X-RateLimit-Remaining") == "0" {
			var sec int64
			if _, err := fmt.Sscan(reset, &sec); err == nil {
				msg += "; it resets at " + time.Unix(sec, 0).UTC().Format(time.RFC3339)
			}
		} else if after := resp.Header.Get("Retry-After"); after != "" {
			msg += "; retry after " + after + " seconds"
		}
		return fmt.Errorf("%s (set GITHUB_TOKEN for a higher limit)", msg)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GitHub API answered %s", resp.Status)
	}
	return nil
}

// pages walks a paginated list, calling each with every page's items.
func pages[T any](ctx context.Context, c *client, url string, each func([]T)) error {
	for page := 1; url != ""; page++ {
		if page > maxPages {
			return fmt.Errorf("more than %d pages; giving up", maxPages)
		}
		var items []T
		next, err := c.get(ctx, url, &items)
		if err != nil {
			return fmt.Errorf("page %d: %w", page, err)
		}
		each(items)
		url = next
	}
	return nil
}

// Fetch lists the v1 server tags of weaviate/weaviate, undated.
func Fetch(ctx context.Context, opt Options) ([]Tag, error) {
	c := newClient(opt)
	var tags []Tag
	err := pages(ctx, c, c.api+"/repos/weaviate/weaviate/tags?per_page=100", func(items []struct {
		Name   string `json:"name"`
		Commit struct {
			SHA string `json:"sha"`
		} `json:"commit"`
	}) {
		for _, t := range items {
			if tagRE().MatchString(t.Name) {
				tags = append(tags, Tag{Name: t.Name, SHA: t.Commit.SHA})
			}
		}
	})
	if err != nil {
		return nil, fmt.Errorf("tags: %w", err)
	}
	return tags, nil
}

// Date dates tags: by the GitHub release of the tag (published_at), else
// by the tagged commit's committer date. The tags API carries no dates.
func Date(ctx context.Context, opt Options, tags []Tag) error {
	if len(tags) == 0 {
		return nil
	}
	c := newClient(opt)
	published := map[string]time.Time{}
	err := pages(ctx, c, c.api+"/repos/weaviate/weaviate/releases?per_page=100", func(items []struct {
		TagName     string    `json:"tag_name"`
		Draft       bool      `json:"draft"`
		PublishedAt time.Time `json:"published_at"`
	}) {
		for _, r := range items {
			if !r.Draft && !r.PublishedAt.IsZero() {
				published[r.TagName] = r.PublishedAt
			}
		}
	})
	if err != nil {
		return fmt.Errorf("releases: %w", err)
	}
	for i := range tags {
		if d, ok := published[tags[i].Name]; ok {
			tags[i].Date = d
			continue
		}
		if tags[i].SHA == "" {
			return fmt.Errorf("tag %s has neither a release nor a commit to date it by", tags[i].Name)
		}
		var commit struct {
			Commit struct {
				Committer struct {
					Date time.Time `json:"date"`
				} `json:"committer"`
			} `json:"commit"`
		}
		if _, err := c.get(ctx, c.api+"/repos/weaviate/weaviate/commits/"+tags[i].SHA, &commit); err != nil {
			return fmt.Errorf("date of tag %s: %w", tags[i].Name, err)
		}
		if commit.Commit.Committer.Date.IsZero() {
			return fmt.Errorf("date of tag %s: the commit has no date", tags[i].Name)
		}
		tags[i].Date = commit.Commit.Committer.Date
	}
	return nil
}

// FetchCharts reads the weaviate chart's versions from the chart
// repository's index.yaml.
func FetchCharts(ctx context.Context, opt Options) ([]catalog.Chart, error) {
	url := opt.ChartIndex
	if url == "" {
		url = DefaultChartIndex
	}
	client := opt.Client
	if client == nil {
		client = http.DefaultClient
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("chart index: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("chart index: %s answered %s", url, resp.Status)
	}
	var index struct {
		Entries map[string][]struct {
			Version    string    `yaml:"version"`
			AppVersion string    `yaml:"appVersion"`
			Created    time.Time `yaml:"created"`
		} `yaml:"entries"`
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("chart index: %w", err)
	}
	if err := yaml.Unmarshal(data, &index); err != nil {
		return nil, fmt.Errorf("chart index: %w", err)
	}
	var out []catalog.Chart
	for _, e := range index.Entries["weaviate"] {
		if _, err := semver.StrictNewVersion(strings.TrimPrefix(e.Version, "v")); err != nil || e.AppVersion == "" || e.Created.IsZero() {
			continue
		}
		out = append(out, catalog.Chart{Version: e.Version, Date: e.Created.UTC(), AppVersion: e.AppVersion, DefaultTag: e.AppVersion})
	}
	if len(out) == 0 {
		return nil, errors.New("chart index: no versions of the weaviate chart")
	}
	return out, nil
}

// Merge adds dated tags and charts to a base catalog. Versions and charts
// the base knows keep their rows.
func Merge(base *catalog.Catalog, tags []Tag, charts []catalog.Chart) (*catalog.Catalog, int, int, error) {
	var rows strings.Builder
	known := map[string]bool{}
	for _, r := range base.Releases {
		known[r.Version.String()] = true
		kind := "release"
		if r.Prerelease {
			kind = "prerelease"
		}
		fmt.Fprintf(&rows, "%s\t%s\t%s\n", r.Version, r.Date.Format(time.DateOnly), kind)
	}
	added := 0
	for _, t := range tags {
		v, err := semver.StrictNewVersion(strings.TrimPrefix(t.Name, "v"))
		if err != nil || known[v.String()] || !tagRE().MatchString(t.Name) {
			continue
		}
		if t.Date.IsZero() {
			return nil, 0, 0, fmt.Errorf("tag %s has no date", t.Name)
		}
		known[v.String()] = true
		kind := "release"
		if v.Prerelease() != "" {
			kind = "prerelease"
		}
		fmt.Fprintf(&rows, "%s\t%s\t%s\n", v, t.Date.UTC().Format(time.DateOnly), kind)
		added++
	}
	rows.WriteString("[charts]\n")
	haveChart := map[string]bool{}
	for _, ch := range base.Charts() {
		haveChart[strings.TrimPrefix(ch.Version, "v")] = true
		fmt.Fprintf(&rows, "%s\t%s\t%s\t%s\n", ch.Version, ch.Date.Format(time.DateOnly), ch.AppVersion, ch.DefaultTag)
	}
	addedCharts := 0
	for _, ch := range charts {
		k := strings.TrimPrefix(ch.Version, "v")
		if haveChart[k] {
			continue
		}
		haveChart[k] = true
		fmt.Fprintf(&rows, "%s\t%s\t%s\t%s\n", ch.Version, ch.Date.Format(time.DateOnly), ch.AppVersion, ch.DefaultTag)
		addedCharts++
	}
	c, err := catalog.ParseFile("update", []byte(rows.String()))
	return c, added, addedCharts, err
}

// Result says what an update added.
type Result struct {
	Tags, Charts int // new rows in each table
}

// Update fetches the tags, dates the new ones, fetches the chart index,
// merges them into base and writes the result to path atomically (a temp
// file in the same directory, then a rename). On any error the previous
// file is left as it was.
func Update(ctx context.Context, base *catalog.Catalog, path string, opt Options) (Result, error) {
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
		return Result{}, err
	}
	if len(tags) == 0 {
		return Result{}, fmt.Errorf("the API listed no v1 tags")
	}
	var fresh []Tag
	for _, t := range tags {
		if v, err := semver.StrictNewVersion(strings.TrimPrefix(t.Name, "v")); err == nil && !base.Has(v) {
			fresh = append(fresh, t)
		}
	}
	if err := Date(ctx, opt, fresh); err != nil {
		return Result{}, err
	}
	charts, err := FetchCharts(ctx, opt)
	if err != nil {
		return Result{}, err
	}
	c, added, addedCharts, err := Merge(base, fresh, charts)
	if err != nil {
		return Result{}, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return Result{}, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".weaviate-releases-*.tsv")
	if err != nil {
		return Result{}, err
	}
	defer os.Remove(tmp.Name()) // a no-op after the rename
	header := fmt.Sprintf("Weaviate server releases (v1 tags of weaviate/weaviate, dated by their GitHub release or tagged commit) and the weaviate Helm chart table (weaviate-helm index.yaml), fetched %s.", now().UTC().Format(time.DateOnly))
	if _, err := tmp.Write(c.Format(header)); err != nil {
		tmp.Close()
		return Result{}, err
	}
	if err := tmp.Close(); err != nil {
		return Result{}, err
	}
	return Result{Tags: added, Charts: addedCharts}, os.Rename(tmp.Name(), path)
}
