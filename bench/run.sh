#!/usr/bin/env bash
# Runs peftlab's Go benchmarks and their PyTorch twins side by side, alternating Go and
# PyTorch runs to cancel machine drift, and writes the median table to bench/out/table.md.
#
#   bench/run.sh [ROUNDS] [THREADS]     (defaults: 5 rounds, 2 threads on both sides)
#
# Go: each benchmark runs in its own process (go test -bench=^Name$ -benchtime=Kx), with
# GOMAXPROCS=THREADS and the backend from $GOMLX_BACKEND (default peftlab's, go:parallelism=-1).
# PyTorch: Debian's python3-torch (installed if missing) with torch.set_num_threads(THREADS).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-5}
THREADS=${2:-2}
export GOEXPERIMENT=simd GOMAXPROCS=$THREADS
export GODEBUG="${GODEBUG:+$GODEBUG,}asyncpreemptoff=1"  # keeps math.Exp fast (bench/README.md)
export GOMLX_BACKEND=${GOMLX_BACKEND:-go:parallelism=-1}
if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  if [[ $(id -u) == 0 ]]; then apt-get install -y -qq --no-install-recommends python3-torch >/dev/null
  else echo "bench: PyTorch is missing: sudo apt-get install python3-torch" >&2; exit 1; fi
fi
mkdir -p bench/out
go test -c -o bench/out/models.test ./peftlib/models
go test -c -o bench/out/dqn.test ./peftlib/rl/dqn
# name, Go test binary, Go benchmark, iterations, PyTorch name
BENCHES=(
  "mlp models MLPStep 50 mlp"
  "transformer models TransformerStep 10 transformer"
  "lora models LoRAStep 10 lora"
  "cnn models CNNStep 10 cnn"
  "dqn dqn Update 200 dqn"
  "generate64 models Generate64 3 generate64"
)
: > bench/out/raw.jsonl
for round in $(seq "$ROUNDS"); do
  for spec in "${BENCHES[@]}"; do
    read -r name bin gobench iters torchname <<<"$spec"
    line=$(bench/out/$bin.test -test.run='^$' -test.bench="^Benchmark${gobench}\$" -test.benchtime="${iters}x" | grep "^Benchmark")
    ms=$(awk '{for(i=1;i<=NF;i++) if($i=="ms/op") print $(i-1)}' <<<"$line")
    peak=$(awk '{for(i=1;i<=NF;i++) if($i=="peak-MiB") print $(i-1)}' <<<"$line")
    echo "{\"round\": $round, \"side\": \"go\", \"name\": \"$name\", \"ms\": $ms, \"peak_mib\": $peak}" >> bench/out/raw.jsonl
    /usr/bin/python3 bench/torch/bench.py "$torchname" --steps "$iters" --threads "$THREADS" |
      sed "s/^{/{\"round\": $round, \"side\": \"torch\", /" >> bench/out/raw.jsonl
    echo "round $round: $name done" >&2
  done
done
/usr/bin/python3 - "$THREADS" "$GOMLX_BACKEND" "$GODEBUG" <<'PY'
import json, statistics, sys, platform, subprocess
threads, backend, godebug = sys.argv[1], sys.argv[2], sys.argv[3]
rows = [json.loads(l) for l in open("bench/out/raw.jsonl")]
names = list(dict.fromkeys(r["name"] for r in rows))
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
go = subprocess.run(["go", "version"], capture_output=True, text=True).stdout.strip()
torch_v = next(r.get("torch") for r in rows if r["side"] == "torch")
out = [f"Machine: {cpu}, {threads} threads on both sides; {go} with GOEXPERIMENT=simd, GODEBUG={godebug}, GOMLX_BACKEND={backend}; "
       f"PyTorch {torch_v} (Debian python3-torch). Medians over {max(r['round'] for r in rows)} alternating rounds.", "",
       "| benchmark | Go ms/step | PyTorch ms/step | Go / PyTorch | Go peak MiB | PyTorch peak MiB |", "|---|---|---|---|---|---|"]
for n in names:
    g = [r["ms"] for r in rows if r["name"] == n and r["side"] == "go"]
    t = [r["ms"] for r in rows if r["name"] == n and r["side"] == "torch"]
    gp = max(r["peak_mib"] for r in rows if r["name"] == n and r["side"] == "go")
    tp = max(r["peak_mib"] for r in rows if r["name"] == n and r["side"] == "torch")
    gm, tm = statistics.median(g), statistics.median(t)
    out.append(f"| {n} | {gm:.1f} | {tm:.1f} | {gm/tm:.2f}× | {gp:.0f} | {tp:.0f} |")
open("bench/out/table.md", "w").write("\n".join(out) + "\n")
print("\n".join(out))
PY
