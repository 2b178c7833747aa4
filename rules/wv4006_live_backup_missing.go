package rules

import (
	"fmt"
	"time"

	"github.com/wvlint/wvlint/internal/facts"
)

// LiveBackupMissing is WV4006.
var LiveBackupMissing = &Rule{
	ID: "WV4006", Name: "no-recent-backup", Severity: Error,
	Title: "no recent successful backup on the backup backend",
	Tags:  []string{"live", "upgrade", "backup"},
	Doc: Doc{
		Why: "Weaviate's upgrade page starts every upgrade with a full backup. The preflight asks the backend for it: GET /v1/backups/{backend} (from 1.24.25, 1.25.17, 1.26.5 and 1.27.0) must list a SUCCESS backup newer than --backup-max-age (default 24h); with --backup BACKEND/ID that backup's status (GET /v1/backups/{backend}/{id}) must be SUCCESS. " +
			"Older servers have no list, and servers before 1.31.15, 1.32.8 and 1.33.0 do not say when a backup was taken: the preflight says what it could not judge.",
		Fix:    "Take a full backup (POST /v1/backups/{backend}) and wait for SUCCESS, then run the preflight again; on a server without the list pass --backup BACKEND/ID.",
		Source: "Weaviate docs, Migration and upgrades (back up first) and Backups (/deploy/configuration/backups, List backups); OpenAPI spec BackupListResponse, BackupCreateStatusResponse.",
	},
	Example: &Example{
		Args: []string{"--backend", "s3"},
		Answers: []Answer{
			{Path: "/v1/backups/s3", Body: `[{"classes":["Article"],"completedAt":"2026-11-20T09:12:40.115Z","id":"before-1-36","size":0.000005193054676055908,"startedAt":"2026-11-20T09:12:38.004Z","status":"SUCCESS"}]`},
		},
		Output: []string{`/v1/backups/s3: error: the newest SUCCESS backup on "s3" is "before-1-36" from 2026-11-20 09:12 UTC, older than --backup-max-age 24h; take a fresh full backup before the next step [WV4006 no-recent-backup]`},
	},
	Live: func(p *LivePass) {
		c := p.Cluster
		at := EndpointBackups + "/" + c.Backend
		if c.BackupID != "" {
			b := c.Backup
			if b == nil {
				return // unread: WV4001 says so
			}
			at += "/" + c.BackupID
			switch {
			case b.Status != "SUCCESS":
				msg := fmt.Sprintf("backup %q on %q is %s, not SUCCESS", c.BackupID, c.Backend, quoteIfOdd(b.Status))
				if b.Error != "" {
					msg += fmt.Sprintf(" (%q)", b.Error)
				}
				p.Reportf(at, Error, "%s; take a full backup and wait for SUCCESS before the next step", msg)
			case when(b) == nil:
				p.Reportf(at, Note, "backup %q is SUCCESS, but this server does not say when it was taken (1.33+ do): its age is not checked", c.BackupID)
			case c.Now.Sub(*when(b)) > c.MaxAge:
				p.Reportf(at, Error, "backup %q on %q is from %s, older than --backup-max-age %s; take a fresh full backup before the next step", c.BackupID, c.Backend, stamp(*when(b)), age(c.MaxAge))
			}
			return
		}
		if c.Backend == "" {
			if c.Version == nil && c.Modules == nil {
				return // /v1/meta unread: WV4001 says so
			}
			if c.BackendFrom != "" { // several modules: BackendFrom says which
				p.Reportf(EndpointMeta, Warning, "%s; pass --backend to say which one holds the backup before the upgrade", c.BackendFrom)
				return
			}
			p.Reportf(EndpointMeta, Error, "no backup module is enabled (GET /v1/meta lists none of backup-filesystem, backup-s3, backup-gcs, backup-azure): the cluster cannot take the backup an upgrade starts with; enable one and take a full backup")
			return
		}
		if c.BackupListAbsent {
			p.Reportf(at, Error, "this server (%s) cannot list backups (GET /v1/backups/{backend} exists from %s): the backup is not checked; pass --backup %s/ID for the one you took", quoteIfOddVersion(c.VersionText), facts.BackupListFrom(), c.Backend)
			return
		}
		if !c.BackupsRead {
			return
		}
		var newest *LiveBackup
		untimed := 0
		for i := range c.Backups {
			b := &c.Backups[i]
			if b.Status != "SUCCESS" {
				continue
			}
			if when(b) == nil {
				untimed++
				if newest == nil {
					newest = b
				}
				continue
			}
			if newest == nil || when(newest) == nil || when(b).After(*when(newest)) {
				newest = b
			}
		}
		switch {
		case newest == nil:
			p.Reportf(at, Error, "no SUCCESS backup on %q (%d listed); take a full backup before the next step", c.Backend, len(c.Backups))
		case when(newest) == nil:
			p.Reportf(at, Warning, "%q lists %d SUCCESS backups but this server does not say when they were taken (1.31.15, 1.32.8, 1.33+ do): their age is not judged; pass --backup %s/ID for the backup you just took", c.Backend, untimed, c.Backend)
		case c.Now.Sub(*when(newest)) > c.MaxAge:
			p.Reportf(at, Error, "the newest SUCCESS backup on %q is %q from %s, older than --backup-max-age %s; take a fresh full backup before the next step", c.Backend, newest.ID, stamp(*when(newest)), age(c.MaxAge))
		}
	},
}

// when is the time a backup was completed, else started; nil when the server
// does not say.
func when(b *LiveBackup) *time.Time {
	if b.Completed != nil && !b.Completed.IsZero() {
		return b.Completed
	}
	if b.Started != nil && !b.Started.IsZero() {
		return b.Started
	}
	return nil
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

// age prints a duration as users write it: 24h, 90m, 36h.
func age(d time.Duration) string {
	s := d.String()
	for _, suf := range []string{"m0s", "h0m"} {
		if len(s) > len(suf) && s[len(s)-len(suf):] == suf {
			s = s[:len(s)-len(suf)+1]
		}
	}
	return s
}
