# peftlab in a container: Go 1.26, Jupyter (JupyterLab from PyPI; Debian 12 packages only the classic
# notebook server), the GoNB kernel, the offline data packages, and the XLA PJRT CPU plugin.
#
#   docker build -t peftlab .
#   docker run --rm -p 8888:8888 peftlab          # then open the printed http://127.0.0.1:8888/lab?token=... URL
#
# Building needs internet (Debian packages, Go modules, the XLA plugin, JupyterLab); running does not.
FROM golang:1.26-bookworm

RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      python3-pip make && rm -rf /var/lib/apt/lists/*
RUN pip3 install --no-cache-dir --break-system-packages jupyterlab

WORKDIR /peftlab
COPY . .
ENV GOEXPERIMENT=simd GODEBUG=asyncpreemptoff=1
# Debian data and Jupyter packages, gonb + goimports from go.mod's tool lines, the kernel with GOEXPERIMENT=simd.
RUN scripts/setup.sh && rm -rf /var/lib/apt/lists/*
# XLA: install the PJRT CPU plugin and build everything (notebook cells included) with -tags xla,
# so peftlib/backend picks XLA by default. Set GOMLX_BACKEND=go:ops_sequential to compare with the Go backend.
RUN go run ./cmd/setup-xla
ENV GOFLAGS=-tags=xla
RUN go build ./... && /usr/bin/python3 - <<'PY'
import json, os
p = os.path.expanduser("~/.local/share/jupyter/kernels/gonb/kernel.json")
k = json.load(open(p)); k["env"]["GOFLAGS"] = "-tags=xla"; json.dump(k, open(p, "w"), indent=1)
PY

EXPOSE 8888
CMD ["jupyter", "lab", "--ip=0.0.0.0", "--port=8888", "--no-browser", "--allow-root", "--notebook-dir=/peftlab/notebooks"]
