# The two commands of the README: `make run` and `make test`. Everything else is for developers.
SWIFT ?= swift
DATA_DIR ?= ./data
HOST ?= 127.0.0.1
PORT ?= 8080

.PHONY: run test build deps bench clean

## Install what is missing, build in release mode, seed the demo data and serve on http://127.0.0.1:8080
run: deps
	$(SWIFT) build -c release --product bizing
	.build/release/bizing serve --demo --host $(HOST) --port $(PORT) --data-dir $(DATA_DIR)

## Install what is missing and run the whole test suite
test:
	scripts/install-deps.sh test
	scripts/test.sh

build: deps
	$(SWIFT) build -c release

deps:
	scripts/install-deps.sh build

## Benchmarks: prints a table of figures (see docs/benchmarks.md)
bench:
	scripts/install-deps.sh bench
	scripts/bench.sh

clean:
	rm -rf .build
