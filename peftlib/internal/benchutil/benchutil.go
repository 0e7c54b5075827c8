// Package benchutil reports what peftlab's benchmarks measure beyond ns/op.
package benchutil

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

// Report stops the timer and adds ms/op, ops/s and the process's peak resident memory
// (VmHWM, MiB) to the benchmark's output. The peak covers the whole process, so run one
// benchmark per process when it matters (bench/run.sh does).
func Report(b *testing.B) {
	b.StopTimer()
	perOp := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(perOp*1000, "ms/op")
	b.ReportMetric(1/perOp, "ops/s")
	if mib, ok := PeakRSSMiB(); ok {
		b.ReportMetric(mib, "peak-MiB")
	}
}

// PeakRSSMiB reads the process's peak resident set size from /proc (Linux only).
func PeakRSSMiB() (float64, bool) {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) > 1 && f[0] == "VmHWM:" {
			if kb, err := strconv.Atoi(f[1]); err == nil {
				return float64(kb) / 1024, true
			}
		}
	}
	return 0, false
}
