package backend

import (
	"os"
	"runtime"
	"strings"
)

// PreemptionFix is the environment setting that keeps math.Exp fast in SIMD builds.
const PreemptionFix = "GODEBUG=asyncpreemptoff=1"

// PreemptionWarning returns a warning when this process is an amd64 build with
// GOEXPERIMENT=simd running without GODEBUG=asyncpreemptoff=1, and "" otherwise.
//
// Why: in SIMD builds, Go 1.26's asynchronous preemption restores the full AVX-512
// registers and leaves their upper halves dirty. From then on, math.Exp (assembly that mixes
// SSE and VEX instructions) pays a state-transition penalty on every call: measured here on an
// Intel Xeon, 9 ns per call became 530–1100 ns, so GoMLX's Exp op (softmax and GELU
// gradients) took two thirds of a transformer training step (5.7 s instead of 2.0 s).
// Turning asynchronous preemption off (goroutines still yield at function calls) removes that
// trigger; SIMD code itself leaves the same state behind (no VZEROUPPER), so math.Exp right
// after a SIMD kernel stays slow. See bench/README.md.
func PreemptionWarning() string {
	return preemptionWarning(runtime.GOARCH, SIMDEnabled(), os.Getenv("GODEBUG"))
}

func preemptionWarning(arch string, simd bool, godebug string) string {
	if arch != "amd64" || !simd || asyncPreemptOff(godebug) {
		return ""
	}
	return "warning: SIMD build without " + PreemptionFix + ": on some x86 CPUs (measured: Intel Xeon) " +
		"math.Exp becomes about 100× slower after the first asynchronous preemption; set " +
		PreemptionFix + " (the Makefile, .ci/run and the GoNB kernel do)"
}

// asyncPreemptOff reports whether a GODEBUG value turns asynchronous preemption off; as in
// the Go runtime, the last setting of a key wins.
func asyncPreemptOff(godebug string) bool {
	off := false
	for _, kv := range strings.Split(godebug, ",") {
		if k, v, ok := strings.Cut(strings.TrimSpace(kv), "="); ok && k == "asyncpreemptoff" {
			off = v == "1"
		}
	}
	return off
}
