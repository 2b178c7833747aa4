# wvlint developer tasks. `make test` is what CI runs (through .ci/run).
GO ?= go
GOLANGCI_LINT ?= golangci-lint
BENCH_FILES ?= 5000

.PHONY: all build test lint fuzz bench bench-large docs clean

all: build test lint

build:
	$(GO) build -o bin/wvlint ./cmd/wvlint

test:
	$(GO) test -count=1 ./...

lint:
	$(GOLANGCI_LINT) run ./...

# Each fuzz target for a short while; FUZZTIME=5m for a longer run.
FUZZTIME ?= 20s
fuzz:
	$(GO) test -run=^$$ -fuzz=FuzzParse -fuzztime=$(FUZZTIME) ./internal/version
	$(GO) test -run=^$$ -fuzz=FuzzParse -fuzztime=$(FUZZTIME) ./internal/imageref
	$(GO) test -run=^$$ -fuzz=FuzzParse -fuzztime=$(FUZZTIME) ./internal/yamlx
	$(GO) test -run=^$$ -fuzz=FuzzExpand -fuzztime=$(FUZZTIME) ./internal/interp
	$(GO) test -run=^$$ -fuzz=FuzzPlan -fuzztime=$(FUZZTIME) ./internal/plan
	$(GO) test -run=^$$ -fuzz=FuzzParse -fuzztime=$(FUZZTIME) ./internal/dotenv
	$(GO) test -run=^$$ -fuzz=FuzzParse -fuzztime=$(FUZZTIME) ./internal/config
	$(GO) test -run=^$$ -fuzz=FuzzScan -fuzztime=$(FUZZTIME) ./internal/inventory

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

# Regenerates docs/rules.md and the README's rule table from the registry.
docs:
	WVLINT_UPDATE=1 $(GO) test -count=1 -run TestDocsCurrent ./internal/ruledoc

clean:
	rm -rf bin .bench
