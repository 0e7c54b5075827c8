#!/usr/bin/env bash
# Runs the transformer training-step benchmark N times (default 50) in each Go executor mode,
# each run under a time limit, and counts the runs that hang (GoMLX v0.28.8's parallel
# executor can deadlock). Results are appended to bench/out/stress.txt. Each mode goes through
# peftlib/backend, so SafeExecutor's rewrite applies (plain "go" runs with parallelism=-1).
#   bench/stress.sh [N] [MODE...]   # default modes: go:ops_sequential go:parallelism=-1 go go:parallelism=2
#   bench/stress.sh 50 ""           # peftlab's default ($GOMLX_BACKEND empty counts as unset)
#   STRESS_TIMEOUT=60 bench/stress.sh ...   # seconds a run may take before it counts as hung (default 120)
set -uo pipefail
cd "$(dirname "$0")/.."
N=${1:-50}
LIMIT=${STRESS_TIMEOUT:-120}
shift || true
MODES=("$@")
[[ ${#MODES[@]} == 0 ]] && MODES=(go:ops_sequential go:parallelism=-1 go go:parallelism=2)
export GOEXPERIMENT=simd
export GODEBUG="${GODEBUG:+$GODEBUG,}asyncpreemptoff=1"
mkdir -p bench/out
go test -c -o bench/out/models.test ./peftlib/models || exit 1
for mode in "${MODES[@]}"; do
  hangs=0; fails=0; ok=0
  for i in $(seq "$N"); do
    GOMLX_BACKEND=$mode timeout "$LIMIT" bench/out/models.test -test.run='^$' -test.bench='^BenchmarkTransformerStep$' -test.benchtime=10x >/dev/null 2>&1
    rc=$?
    if [[ $rc == 124 ]]; then hangs=$((hangs+1)); elif [[ $rc != 0 ]]; then fails=$((fails+1)); else ok=$((ok+1)); fi
  done
  echo "$mode: $ok ok, $hangs hung (killed after $LIMIT s), $fails failed, of $N runs of 10 steps ($(date -u +%F))" | tee -a bench/out/stress.txt
done
