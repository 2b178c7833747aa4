//go:build weaviate_knowledge

package knowledgetest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const (
	from    = "1.39.0"
	objects = 2000
	dims    = 32
	class   = "Doc"
)

// The versions started on 1.39.0's data and whether they carry the
// read-back (weaviate/weaviate commit 3c3849dfbf, migrate_compact_v2_snapshot:
// v1.35.17+, v1.36.10+, every 1.37 and 1.38; not v1.36.9 or older).
var targets = []target{
	{"1.38.11", true},
	{"1.36.23", true},
	{"1.36.10", true},
	{"1.36.9", false},
}

type target struct {
	version  string
	readBack bool
}

func (tg target) name() string { return tg.version }

type dataset struct {
	ids     []string
	vectors [][]float32
}

func makeDataset() dataset { return makeDatasetN(objects) }

// makeDatasetN is makeDataset with n vectors; its first 2,000 are
// makeDataset's.
func makeDatasetN(n int) dataset {
	rng := rand.New(rand.NewPCG(1, 39))
	d := dataset{}
	for i := range n {
		v := make([]float32, dims)
		for j := range v {
			v[j] = rng.Float32()*2 - 1
		}
		d.vectors = append(d.vectors, v)
		d.ids = append(d.ids, fmt.Sprintf("00000000-0000-4000-8000-%012d", i))
	}
	return d
}

// exactNearest is the brute-force cosine nearest neighbour of q.
func (d dataset) exactNearest(q []float32) string {
	best, bestSim := "", -2.0
	for i, v := range d.vectors {
		var dot, nq, nv float64
		for j := range v {
			dot += float64(q[j]) * float64(v[j])
			nq += float64(q[j]) * float64(q[j])
			nv += float64(v[j]) * float64(v[j])
		}
		if sim := dot / math.Sqrt(nq*nv); sim > bestSim {
			best, bestSim = d.ids[i], sim
		}
	}
	return best
}

// insert writes objects lo..hi-1 of d in batches of 500.
func (s *server) insert(t *testing.T, d dataset, lo, hi int) {
	t.Helper()
	for start := lo; start < hi; start += 500 {
		var batch []map[string]any
		for i := start; i < min(start+500, hi); i++ {
			batch = append(batch, map[string]any{"class": class, "id": d.ids[i], "vector": d.vectors[i], "properties": map[string]any{"n": i}})
		}
		var res []struct {
			Result struct {
				Errors any `json:"errors"`
			} `json:"result"`
		}
		if err := s.call("POST", "/v1/batch/objects", map[string]any{"objects": batch}, &res); err != nil {
			t.Fatal(err)
		}
		for _, r := range res {
			if r.Result.Errors != nil {
				t.Fatalf("batch: %v", r.Result.Errors)
			}
		}
	}
}

// queries are stored vectors with a little noise, and their exact answers.
func (d dataset) queries(n int) ([][]float32, []string) {
	rng := rand.New(rand.NewPCG(2, 39))
	var qs [][]float32
	var want []string
	for range n {
		base := d.vectors[rng.IntN(len(d.vectors))]
		q := make([]float32, dims)
		for j := range q {
			q[j] = base[j] + (rng.Float32()-0.5)*0.02
		}
		qs = append(qs, q)
		want = append(want, d.exactNearest(q))
	}
	return qs, want
}

// snapshotsIn lists the .snapshot files inside HNSW commit log directories.
func snapshotsIn(t *testing.T, data string) []string {
	t.Helper()
	return commitLogFiles(t, data, ".snapshot")
}

// commitLogFiles lists the files ending in suffix inside HNSW commit log
// directories.
func commitLogFiles(t *testing.T, data, suffix string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(data, func(p string, e os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !e.IsDir() && strings.HasSuffix(p, suffix) && strings.HasSuffix(filepath.Dir(p), ".hnsw.commitlog.d") {
			rel, _ := filepath.Rel(data, p)
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func listing(data string) string {
	var b strings.Builder
	_ = filepath.WalkDir(data, func(p string, e os.DirEntry, err error) error {
		if err == nil && strings.Contains(p, ".hnsw.") {
			rel, _ := filepath.Rel(data, p)
			if info, err := e.Info(); err == nil && !e.IsDir() {
				fmt.Fprintf(&b, "%s (%d bytes)\n", rel, info.Size())
			} else {
				fmt.Fprintln(&b, rel)
			}
		}
		return nil
	})
	return b.String()
}

func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	if out, err := exec.Command("cp", "-a", src+"/.", dst).CombinedOutput(); err != nil {
		t.Fatalf("copy %s: %v: %s", src, err, out)
	}
}

// restartUntil stops s, starts 1.39.0 again on data and waits until a
// file ending in suffix is in a commit log directory (the compactor runs
// at startup, maybe after ready), for up to two minutes.
func restartUntil(t *testing.T, s *server, data, suffix string) *server {
	t.Helper()
	s.stop()
	s2 := start(t, from, data)
	if err := s2.ready(3 * time.Minute); err != nil {
		t.Fatalf("%v\n%s", err, s2.logText(t))
	}
	deadline := time.Now().Add(2 * time.Minute)
	for len(commitLogFiles(t, data, suffix)) == 0 && time.Now().Before(deadline) {
		time.Sleep(time.Second)
	}
	return s2
}

// write139 builds 1.39.0 data: a class with an HNSW index and 2,000
// vectors, written, then the server restarted once so that 1.39 turns the
// commit log into a snapshot inside main.hnsw.commitlog.d.
func write139(t *testing.T, d dataset) string {
	data := t.TempDir()
	s := start(t, from, data)
	if err := s.ready(3 * time.Minute); err != nil {
		t.Fatalf("%v\n%s", err, s.logText(t))
	}
	schema := map[string]any{"class": class, "vectorizer": "none", "vectorIndexType": "hnsw",
		"properties": []map[string]any{{"name": "n", "dataType": []string{"int"}}}}
	if err := s.call("POST", "/v1/schema", schema, nil); err != nil {
		t.Fatal(err)
	}
	s.insert(t, d, 0, objects)
	if n, err := s.count(); err != nil || n != objects {
		t.Fatalf("1.39.0 before restart: count %d, %v", n, err)
	}
	s2 := restartUntil(t, s, data, ".snapshot")
	if n, err := s2.count(); err != nil || n != objects {
		t.Fatalf("1.39.0 after restart: count %d, %v", n, err)
	}
	s2.stop()
	snaps := snapshotsIn(t, data)
	if len(snaps) == 0 {
		t.Fatalf("1.39.0 wrote no .snapshot into the commit log directory; the experiment proves nothing:\n%s", listing(data))
	}
	t.Logf("1.39.0 data after one restart:\n%s", listing(data))
	return data
}

// chosen are the targets to run: all, or those DOWNGRADE_TARGETS lists
// ("1.36.9,1.36.10").
func chosen(t *testing.T) []target { return pick(t, "DOWNGRADE_TARGETS", targets) }

// pick is all, or those of all that the environment variable env lists
// ("1.36.9,1.36.10").
func pick[T interface{ name() string }](t *testing.T, env string, all []T) []T {
	list := os.Getenv(env)
	if list == "" {
		return all
	}
	var out []T
	for _, v := range strings.Split(list, ",") {
		found := false
		for _, tg := range all {
			if tg.name() == strings.TrimSpace(v) {
				out, found = append(out, tg), true
			}
		}
		if !found {
			t.Fatalf("%s: %q is not one of the experiment's versions", env, v)
		}
	}
	return out
}

func TestDowngradeFrom139(t *testing.T) {
	targets := chosen(t)
	binary(t, from)
	for _, tg := range targets {
		binary(t, tg.version) // fail early when a server is missing
	}
	choosePorts(t)
	d := makeDataset()
	qs, want := d.queries(25)
	base := write139(t, d)
	for _, tg := range targets {
		t.Run(tg.version, func(t *testing.T) {
			data := t.TempDir()
			copyTree(t, base, data)
			s := start(t, tg.version, data)
			readyErr := s.ready(3 * time.Minute)
			var problems []string
			if readyErr != nil {
				problems = append(problems, readyErr.Error())
			} else {
				if n, err := s.count(); err != nil || n != objects {
					problems = append(problems, fmt.Sprintf("count %d (%v), want %d", n, err, objects))
				}
				wrong := 0
				var firstErr error
				for i, q := range qs {
					got, err := s.nearest(q)
					if err != nil && firstErr == nil {
						firstErr = err
					}
					if got != want[i] {
						wrong++
					}
				}
				if wrong > 0 {
					problems = append(problems, fmt.Sprintf("%d of %d nearest-neighbour queries wrong (first error: %v)", wrong, len(qs), firstErr))
				}
			}
			log := s.logText(t)
			migrated := strings.Contains(log, "migrated compact v2 snapshot to snapshot directory")
			s.stop()
			t.Logf("%s on 1.39.0 data: ready=%v migrated-log=%v problems=%q\n%s", tg.version, readyErr == nil, migrated, problems, listing(data))
			if tg.readBack {
				if len(problems) > 0 || !migrated {
					t.Errorf("%s should read 1.39.0's HNSW snapshot back: problems %q, migrated log line %v\nlog tail:\n%s", tg.version, problems, migrated, tail(log, 30))
				}
				return
			}
			if len(problems) == 0 {
				t.Errorf("%s has no read-back code but served all %d objects and every nearest neighbour: WV1009's claim is wrong\nlog tail:\n%s", tg.version, objects, tail(log, 30))
			}
			if migrated {
				t.Errorf("%s logged the read-back it should not have", tg.version)
			}
			t.Logf("%s log lines about the index:\n%s", tg.version, grepLines(log, "hnsw", "commitlog", "snapshot", "level=error", "level=fatal", "panic"))
		})
	}
}
