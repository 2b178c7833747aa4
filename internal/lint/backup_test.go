package lint

import (
	"io/fs"
	"reflect"
	"testing"

	"github.com/Masterminds/semver/v3"

	"github.com/wvlint/wvlint/internal/inventory"
	"github.com/wvlint/wvlint/internal/pos"
	"github.com/wvlint/wvlint/internal/version"
	"github.com/wvlint/wvlint/rules"
)

type mapFS map[string]string

func (m mapFS) ReadFile(name string) ([]byte, error) {
	if s, ok := m[name]; ok {
		return []byte(s), nil
	}
	return nil, fs.ErrNotExist
}

func (m mapFS) ReadDir(string) ([]string, error) { return nil, nil }

// TestRecordBackups: every --backup value, every trailer and every
// wvlint:backup comment for the version line count, for upgrades.
func TestRecordBackups(t *testing.T) {
	src := &sources{fs: mapFS{"values.yaml": "image:\n  # wvlint:backup s3/before-1.26\n  tag: 1.26.18 # wvlint:backup gcs/second-copy\n# wvlint:backup s3/not-this-line\n"},
		lines: map[string]*pos.Lines{}}
	to := version.Tag{Version: semver.MustParse("1.26.18")}
	up := &rules.Change{D: &inventory.Deployment{File: "values.yaml", Line: 3, Tag: to}, From: semver.MustParse("1.25.10")}
	same := &rules.Change{D: &inventory.Deployment{File: "values.yaml", Line: 3, Tag: to}, From: semver.MustParse("1.26.18")}
	recordBackups([]string{"s3/flag-one", "s3/flag-two", "s3/trailer"}, src, []*rules.Change{up, same})
	want := []string{"s3/flag-one", "s3/flag-two", "s3/trailer", "s3/before-1.26", "gcs/second-copy"}
	if !reflect.DeepEqual(up.Backups, want) {
		t.Errorf("upgrade backups = %q, want %q", up.Backups, want)
	}
	if !reflect.DeepEqual(same.Backups, want[:3]) {
		t.Errorf("no upgrade: backups = %q, want only the given ones", same.Backups)
	}
}
