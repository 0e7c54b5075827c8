# peftlab: `make reproduce` runs every notebook (the main job), `make test` runs the tests.
# Both install what they need first (scripts/setup.sh, idempotent).

# The Go backend's SIMD matrix multiply needs this experiment: about 10x faster.
export GOEXPERIMENT := simd
# SIMD builds need asynchronous preemption off, or math.Exp gets about 100x slower on some x86 CPUs
# (peftlib/backend/preempt.go, bench/README.md).
comma := ,
export GODEBUG := $(if $(GODEBUG),$(GODEBUG)$(comma))asyncpreemptoff=1
GOBIN := $(or $(shell go env GOBIN),$(shell go env GOPATH)/bin)
export PATH := $(GOBIN):$(PATH)
PYTHON := /usr/bin/python3
NB ?=

.PHONY: setup setup-xla reproduce test test-go test-notebooks lab bench

setup:
	@scripts/setup.sh

# Optional: install the XLA PJRT CPU plugin (needs internet) so that builds with -tags xla use it.
setup-xla:
	go run ./cmd/setup-xla

# Executes notebooks/*.ipynb (or NB=<slug>) headless, in place, regenerating figures/.
reproduce: setup
	$(PYTHON) scripts/run_notebooks.py $(if $(NB),--nb $(NB))

test: setup test-go test-notebooks

test-go:
	go vet ./...
	go test ./...

# Every notebook at PEFTLAB_SCALE=smoke; outputs are discarded and committed files untouched.
test-notebooks:
	$(PYTHON) scripts/run_notebooks.py --smoke $(if $(NB),--nb $(NB))

# Jupyter refuses to run as root unless told; root is usual in containers and CI machines.
lab: setup
	cd notebooks && jupyter notebook --ip=127.0.0.1 --no-browser $(if $(filter 0,$(shell id -u)),--allow-root)

bench:
	bench/run.sh
