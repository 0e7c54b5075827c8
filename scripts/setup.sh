#!/usr/bin/env bash
# peftlab set-up: Debian packages (Jupyter + offline data), the gonb and goimports tools from
# go.mod's tool lines, and the GoNB Jupyter kernel with GOEXPERIMENT=simd in its environment.
# Idempotent: it installs only what is missing, so rerunning it is fast and safe.
set -euo pipefail
cd "$(dirname "$0")/.."

# Jupyter (headless execution and the notebook server) and the data packages listed in
# ../shared/notes/offline-data.md (fonts, speech, sound fonts, word lists, Fashion-MNIST, sklearn CSVs).
PACKAGES=(
  jupyter-nbconvert python3-nbclient python3-ipykernel jupyter-notebook
  dataset-fashion-mnist python3-sklearn espeak-ng sox sonic-pi-samples fluidsynth fluid-soundfont-gm
  fonts-noto-core fonts-dejavu fonts-liberation fonts-freefont-ttf fonts-urw-base35
  wamerican wbritish wngerman wfrench wspanish witalian wportuguese wbrazilian wdutch wswedish
  wpolish wukrainian wbulgarian wdanish wnorwegian wcatalan wesperanto
  postgresql  # the results database's PostgreSQL tests start a throw-away server
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  line="apt-get install -y --no-install-recommends ${missing[*]}"
  if [[ $(id -u) == 0 ]]; then SUDO=""
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO="sudo"
  else
    echo "setup: these Debian packages are missing: ${missing[*]}" >&2
    echo "setup: install them as root, then rerun:" >&2
    echo "  sudo apt-get update && sudo $line" >&2
    exit 1
  fi
  echo "setup: installing ${#missing[@]} Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO $line -qq
fi

command -v go >/dev/null || { echo "setup: Go is not on PATH; install Go 1.26 (https://go.dev/dl) first" >&2; exit 1; }
export GOEXPERIMENT=simd
GOBIN=$(go env GOBIN); GOBIN=${GOBIN:-$(go env GOPATH)/bin}
# Versions come from go.mod (tool lines), so `go install pkg@version` is not needed.
go install github.com/janpfeifer/gonb golang.org/x/tools/cmd/goimports

# Register (or refresh) the GoNB kernel, then give it the environment notebooks need.
PATH="$GOBIN:$PATH" "$GOBIN/gonb" --install --force_deps >/dev/null 2>&1 || true
KERNEL_DIR=$(/usr/bin/python3 -c 'import jupyter_core.paths as p; print(p.jupyter_data_dir())')/kernels/gonb
[[ -f $KERNEL_DIR/kernel.json ]] || { echo "setup: gonb --install did not write $KERNEL_DIR/kernel.json" >&2; exit 1; }
/usr/bin/python3 - "$KERNEL_DIR/kernel.json" "$GOBIN" <<'PY'
import json, os, sys
path, gobin = sys.argv[1], sys.argv[2]
k = json.load(open(path))
env = k.setdefault("env", {})
env["GOEXPERIMENT"] = "simd"          # the Go backend's SIMD matmul: about 10x faster
env["GODEBUG"] = "asyncpreemptoff=1"  # else math.Exp gets ~100x slower in SIMD builds on some CPUs
env["PATH"] = gobin + ":" + os.environ.get("PATH", "/usr/local/go/bin:/usr/bin:/bin")
# Quiet kernel logs: only errors reach stderr.
k["argv"] = [a.replace("-logtostderr=true", "-logtostderr=false") for a in k["argv"]]
json.dump(k, open(path, "w"), indent=1)
PY
echo "setup: ok (GoNB kernel in $KERNEL_DIR, tools in $GOBIN)"
