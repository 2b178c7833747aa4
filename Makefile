# wvlint developer tasks. `make test` is what CI runs (through .ci/run).
GO ?= go
GOLANGCI_LINT ?= golangci-lint
BENCH_FILES ?= 5000

.PHONY: all build test test-race servers lint fuzz bench bench-large docs clean knowledge-test

all: build test lint

build:
	$(GO) build -o bin/wvlint ./cmd/wvlint

# The live preflight tests run real Weaviate servers: `servers` builds them
# once into ~/.cache/wvlint/weaviate (15-20 minutes the first time, skipped
# when built). Without them those tests fail, saying how to build them.
WEAVIATE_VERSIONS ?= 1.35.2 1.36.23
servers:
	.ci/weaviate-server.sh $(WEAVIATE_VERSIONS)

test: servers
	$(GO) test -count=1 -timeout 30m ./...

# The tests again with the race detector; the testscripts then run a -race
# build of wvlint (race_shared_files.txtar shares parsed files between the
# scanner's readers). CI runs this after `make test`.
test-race: servers
	$(GO) test -race -count=1 -timeout 30m ./...

lint:
	$(GOLANGCI_LINT) run ./...

# Each fuzz target for a short while; FUZZTIME=5m for a longer run.
FUZZTIME ?= 20s
fuzz:
	$(GO) test -run=^$$ -fuzz=FuzzParse -fuzztime=$(FUZZTIME) ./internal/version
	$(GO) test -run=^$$ -fuzz=FuzzParse -fuzztime=$(FUZZTIME) ./internal/imageref
	$(GO) test -run=^$$ -fuzz=FuzzParse -fuzztime=$(FUZZTIME) ./internal/yamlx
	$(GO) test -run=^$$ -fuzz=FuzzRead -fuzztime=$(FUZZTIME) ./internal/tiltfile
	$(GO) test -run=^$$ -fuzz=FuzzExpand -fuzztime=$(FUZZTIME) ./internal/interp
	$(GO) test -run=^$$ -fuzz=FuzzPlan -fuzztime=$(FUZZTIME) ./internal/plan
	$(GO) test -run=^$$ -fuzz=FuzzParse -fuzztime=$(FUZZTIME) ./internal/dotenv
	$(GO) test -run=^$$ -fuzz=FuzzParse -fuzztime=$(FUZZTIME) ./internal/config
	$(GO) test -run=^$$ -fuzz=FuzzRedact -fuzztime=$(FUZZTIME) ./internal/format
	$(GO) test -run=^$$ -fuzz=FuzzScan -fuzztime=$(FUZZTIME) ./internal/inventory
	$(GO) test -run=^$$ -fuzz=FuzzMentionsWeaviate -fuzztime=$(FUZZTIME) ./internal/inventory
	$(GO) test -run=^$$ -fuzz=FuzzSplit -fuzztime=$(FUZZTIME) ./internal/yamlx
	$(GO) test -run=^$$ -fuzz=FuzzApply -fuzztime=$(FUZZTIME) ./internal/fix
	$(GO) test -run=^$$ -fuzz=FuzzDiff -fuzztime=$(FUZZTIME) ./internal/fix
	$(GO) test -run=^$$ -fuzz=FuzzLoad -fuzztime=$(FUZZTIME) ./internal/terraform
	$(GO) test -run=^$$ -fuzz=FuzzRead -fuzztime=$(FUZZTIME) ./internal/shscript

# Prints wvlint's wall time, CPU and peak memory next to `rg -l weaviate` on
# the same tree, as ratios: on a generated monorepo-like tree, or on any
# prepared tree with BENCH_TREE=DIR (one written by ../shared/bench/gencorpus,
# say; its `base` tag is used for the --base run).
BENCH_TREE ?=
BENCH_RUNS ?= 5
bench: build
	$(GO) run ./internal/benchcorpus -files $(BENCH_FILES) -runs $(BENCH_RUNS) -wvlint bin/wvlint $(if $(BENCH_TREE),-tree $(BENCH_TREE))

bench-large: BENCH_FILES=50000
bench-large: bench

# Experiments with real servers that prove the knowledge rules' claims
# (internal/knowledgetest; not part of `make test`): WV1009's downgrade of a
# 1.39.0 node's HNSW data to 1.38.11, 1.36.23, 1.36.10 (the first 1.36 patch
# with migrate_compact_v2_snapshot) and 1.36.9; WV3004's and WV3003's Raft
# settings on 1.36.23. It builds the servers it lacks into the cache the
# live tests share (about 5 minutes each with a warm Go build cache, 15-20
# the first time), then runs for about 10 minutes.
# TestDowngradeSortedFrom139 starts SORTED_TARGETS on 1.39.0 data that also
# holds a .sorted commit log: 1.36.10 and 1.36.12 (read-back, no rename)
# and 1.36.13 and 1.36.23 (which rename it first).
DOWNGRADE_TARGETS ?= 1.38.11,1.36.23,1.36.10,1.36.9
SORTED_TARGETS ?= 1.36.10,1.36.12,1.36.13,1.36.23
KNOWLEDGE_RAFT_VERSION ?= 1.36.23
comma := ,
KNOWLEDGE_VERSIONS ?= 1.39.0 $(sort $(subst $(comma), ,$(DOWNGRADE_TARGETS)) $(subst $(comma), ,$(SORTED_TARGETS))) $(KNOWLEDGE_RAFT_VERSION)
knowledge-test:
	.ci/weaviate-server.sh $(KNOWLEDGE_VERSIONS)
	DOWNGRADE_TARGETS=$(DOWNGRADE_TARGETS) SORTED_TARGETS=$(SORTED_TARGETS) KNOWLEDGE_RAFT_VERSION=$(KNOWLEDGE_RAFT_VERSION) \
	  $(GO) test -count=1 -tags weaviate_knowledge -timeout 60m -v ./internal/knowledgetest

# Regenerates docs/rules.md and the README's rule table from the registry.
docs:
	WVLINT_UPDATE=1 $(GO) test -count=1 -run TestDocsCurrent ./internal/ruledoc

clean:
	rm -rf bin .bench
