//go:build weaviate_knowledge

package knowledgetest

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// raftVersion is the server the Raft experiments start.
func raftVersion() string {
	if v := os.Getenv("KNOWLEDGE_RAFT_VERSION"); v != "" {
		return v
	}
	return "1.36.23"
}

const expectText = "raft.bootstrap.expect must be less than or equal to the length of raft.join"

// TestRaftVoters proves WV3004: RAFT_BOOTSTRAP_EXPECT above the RAFT_JOIN
// count makes the server exit with expectText (RAFT_JOIN unset is one
// name), and RAFT_JOIN naming more nodes than RAFT_BOOTSTRAP_EXPECT is
// accepted: the node starts.
func TestRaftVoters(t *testing.T) {
	v := raftVersion()
	binary(t, v)
	choosePorts(t)
	for _, tc := range []struct {
		name string
		env  map[string]string
	}{
		{"expect 3, RAFT_JOIN unset", map[string]string{"RAFT_BOOTSTRAP_EXPECT": "3"}},
		{"expect 3, RAFT_JOIN two names", map[string]string{"RAFT_BOOTSTRAP_EXPECT": "3", "RAFT_JOIN": "node1,node2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := startWith(t, v, t.TempDir(), tc.env)
			if !s.exited(2 * time.Minute) {
				s.stop()
				t.Fatalf("%s with %v kept running, want an exit with %q\n%s", v, tc.env, expectText, tail(s.logText(t), 20))
			}
			log := s.logText(t)
			if !strings.Contains(log, expectText) {
				t.Fatalf("%s exited without %q:\n%s", v, expectText, tail(log, 20))
			}
			t.Logf("%s with %v: exited, %s", v, tc.env, grepLines(log, "raft.bootstrap.expect"))
		})
	}
	t.Run("RAFT_JOIN three names, expect unset", func(t *testing.T) {
		// RAFT_JOIN ports are internal RPC ports (the default is the node's
		// own name with RAFT_INTERNAL_RPC_PORT).
		join := fmt.Sprintf("node1:%d,node2:%d,node3:%d", ports["raftrpc"], freePort(t), freePort(t))
		s := startWith(t, v, t.TempDir(), map[string]string{"RAFT_JOIN": join, "RAFT_BOOTSTRAP_EXPECT": ""})
		if err := s.ready(3 * time.Minute); err != nil {
			t.Fatalf("%s with RAFT_JOIN=%s and RAFT_BOOTSTRAP_EXPECT unset: %v\n%s", v, join, err, tail(s.logText(t), 30))
		}
		var schema struct {
			Classes []any `json:"classes"`
		}
		if err := s.call("GET", "/v1/schema", nil, &schema); err != nil {
			t.Fatal(err)
		}
		if err := s.call("POST", "/v1/schema", map[string]any{"class": "Probe", "vectorizer": "none"}, nil); err != nil {
			t.Fatalf("schema change on the lone voter: %v", err)
		}
		t.Logf("%s with RAFT_JOIN=%s, RAFT_BOOTSTRAP_EXPECT unset: ready, a collection created", v, join)
		s.stop()
	})
}

// TestRenamedSingleNode proves WV3003: a single node whose name changes
// (a recreated container without CLUSTER_HOSTNAME) does not become ready,
// and with RAFT_ENABLE_ONE_NODE_RECOVERY=true it does, with its schema.
func TestRenamedSingleNode(t *testing.T) {
	v := raftVersion()
	binary(t, v)
	choosePorts(t)
	data := t.TempDir()
	s := startWith(t, v, data, map[string]string{"CLUSTER_HOSTNAME": "container-a"})
	if err := s.ready(3 * time.Minute); err != nil {
		t.Fatalf("%v\n%s", err, tail(s.logText(t), 30))
	}
	if err := s.call("POST", "/v1/schema", map[string]any{"class": "Kept", "vectorizer": "none"}, nil); err != nil {
		t.Fatal(err)
	}
	s.stop()

	renamed := startWith(t, v, data, map[string]string{"CLUSTER_HOSTNAME": "container-b"})
	if err := renamed.ready(2 * time.Minute); err == nil {
		t.Fatalf("%s renamed container-a -> container-b became ready without RAFT_ENABLE_ONE_NODE_RECOVERY: WV3003's claim is wrong", v)
	}
	renamed.stop()
	t.Logf("%s renamed without recovery: not ready in 2 minutes", v)

	recovered := startWith(t, v, data, map[string]string{"CLUSTER_HOSTNAME": "container-b", "RAFT_ENABLE_ONE_NODE_RECOVERY": "true"})
	if err := recovered.ready(3 * time.Minute); err != nil {
		t.Fatalf("%s renamed with RAFT_ENABLE_ONE_NODE_RECOVERY=true: %v\n%s", v, err, tail(recovered.logText(t), 30))
	}
	var cls map[string]any
	if err := recovered.call("GET", "/v1/schema/Kept", nil, &cls); err != nil {
		t.Fatalf("the collection after recovery: %v", err)
	}
	t.Logf("%s renamed with RAFT_ENABLE_ONE_NODE_RECOVERY=true: ready, collection Kept there; %s", v, grepLines(recovered.logText(t), "recovery"))
	recovered.stop()
}
