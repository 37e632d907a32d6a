# Readout. The two commands a newcomer needs:
#   make run    the whole pipeline on live sources, with an embedded Kafka if KAFKA_BROKERS is unset
#   make test   the whole test suite, against a real Apache Kafka started for it
GO ?= go
BIN := bin
# The approved Go toolchain: go1.26.8 has known standard-library vulnerabilities. The go command
# fetches it from the module proxy on first use; every recipe (and deploy/test.sh) inherits it.
export GOTOOLCHAIN := go1.27.3
# govulncheck and the Go vulnerability database, both pinned: the database is built locally from
# the golang.org/x/vulndb module (its OSV files, indexed by its indexdb command), because the
# public vuln.go.dev endpoint is not reachable from every build machine.
GOVULNCHECK := golang.org/x/vuln/cmd/govulncheck@v1.10.0
VULNDB_VERSION := v0.0.0-20261105234957-e22db6528018
VULNDB_DIR := $(HOME)/.cache/readout-vulndb/$(VULNDB_VERSION)

# The version --version prints: `git describe`, or "dev" outside a git checkout. `go run` builds
# carry no version and print "dev" too.
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null)
override VERSION := $(or $(VERSION),dev)
BUILDFLAGS := -trimpath -ldflags "-X github.com/readout/readout/internal/cli.Version=$(VERSION)"

.PHONY: run demo test test-short build $(BIN)/readout bench bench-go bench-pipeline eval fuzz kafka-start kafka-stop vet lint vuln fmt clean

# run and demo build the binary and run it, rather than `go run`: go run exits 1 when Ctrl-C
# stops the program, whatever the program's exit status, and make would report that as an error.
run: $(BIN)/readout
	$(BIN)/readout run

demo: $(BIN)/readout
	$(BIN)/readout demo

$(BIN)/readout:
	CGO_ENABLED=0 $(GO) build $(BUILDFLAGS) -o $@ ./cmd/readout

test:
	bash deploy/test.sh

# Unit and kfake tests only: no real broker.
test-short:
	$(GO) test -count=1 ./...

build:
	CGO_ENABLED=0 $(GO) build $(BUILDFLAGS) -o $(BIN)/ ./cmd/...

vet:
	$(GO) vet ./...

# The structure rules: gofmt, go vet, no function over cognitive complexity 60 (gocognit, pinned) and
# no non-test Go file over 700 lines.
GOCOGNIT := github.com/uudashr/gocognit/cmd/gocognit@v1.3.0
lint: vet
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed: $$out"; exit 1; fi
	$(GO) run $(GOCOGNIT) -over 60 $$(git ls-files '*.go' | grep -v '_test.go$$')
	@long=$$(git ls-files '*.go' | grep -v '_test.go$$' | xargs wc -l | awk '$$2 != "total" && $$1 > 700 {print $$2 " (" $$1 " lines)"}'); \
	if [ -n "$$long" ]; then echo "files over 700 lines: $$long"; exit 1; fi
	@echo "lint: gofmt, vet, gocognit <= 60, files <= 700 lines: ok"

# Reachable known vulnerabilities in the code and its dependencies, the standard library included,
# against a local copy of the Go vulnerability database; fails on any. govulncheck runs with the
# toolchain's own go first in PATH, so that it type-checks the standard library of that version.
vuln:
	@if [ ! -f $(VULNDB_DIR)/index/db.json ]; then \
		echo "== building the Go vulnerability database $(VULNDB_VERSION) in $(VULNDB_DIR)"; \
		$(GO) mod download golang.org/x/vulndb@$(VULNDB_VERSION) && \
		src=$$($(GO) list -m -f '{{.Dir}}' golang.org/x/vulndb@$(VULNDB_VERSION)) && \
		rm -rf $(VULNDB_DIR).tmp && \
		$(GO) run golang.org/x/vulndb/cmd/indexdb@$(VULNDB_VERSION) -vulns $$src/data/osv -out $(VULNDB_DIR).tmp && \
		mv $(VULNDB_DIR).tmp $(VULNDB_DIR); \
	fi
	PATH="$$($(GO) env GOROOT)/bin:$$PATH" $(GO) run $(GOVULNCHECK) -db file://$(VULNDB_DIR) ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

# Go benchmarks per stage, then the pipeline benchmark (replay and through Kafka).
bench: bench-go bench-pipeline

bench-go:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 2s ./pkg/...

bench-pipeline:
	$(GO) run ./cmd/benchpipe -items 100000

# Quality on the labelled development set: precision, recall, F1 per field, and every miss;
# fails below the targets. testdata/eval/raw.jsonl is regenerated from the statements so it
# cannot drift from them.
EVAL_MIN_F1 ?= call=0.97,participants=0.97,topics=0.9,dedup=0.97
eval: build
	$(BIN)/eval -make-raw testdata/eval/raw.jsonl
	$(BIN)/processor replay --quiet --in testdata/eval/raw.jsonl --out $(BIN)/eval-events.jsonl
	$(BIN)/eval -events $(BIN)/eval-events.jsonl -min-f1 $(EVAL_MIN_F1)

# FuzzHandle keeps its state between inputs, which makes minimizing slow: bounded.
fuzz:
	$(GO) test -run '^$$' -fuzz FuzzStatement -fuzztime 30s ./pkg/normalize
	$(GO) test -run '^$$' -fuzz FuzzHTMLToText -fuzztime 30s ./pkg/normalize
	$(GO) test -run '^$$' -fuzz FuzzHandle -fuzztime 30s -fuzzminimizetime 5s ./pkg/processor
	$(GO) test -run '^$$' -fuzz FuzzExtract -fuzztime 30s ./pkg/extract
	$(GO) test -run '^$$' -fuzz FuzzParseFeed -fuzztime 30s ./pkg/feeds
	$(GO) test -run '^$$' -fuzz FuzzScrapeArticle -fuzztime 30s ./pkg/scrape
	$(GO) test -run '^$$' -fuzz FuzzToUTF8 -fuzztime 30s ./pkg/fetch

kafka-start:
	deploy/kafka/kafka.sh start

kafka-stop:
	deploy/kafka/kafka.sh stop

clean:
	rm -rf $(BIN)
