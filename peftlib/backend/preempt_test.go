package backend

import (
	"math"
	"testing"
	"time"
)

func TestPreemptionWarning(t *testing.T) {
	for _, c := range []struct {
		arch    string
		simd    bool
		godebug string
		warn    bool
	}{
		{"amd64", true, "", true},
		{"amd64", true, "asyncpreemptoff=1", false},
		{"amd64", true, "gctrace=1,asyncpreemptoff=1", false},
		{"amd64", true, "asyncpreemptoff=1,asyncpreemptoff=0", true},
		{"amd64", true, "asyncpreemptoff=0", true},
		{"amd64", false, "", false},
		{"arm64", true, "", false},
	} {
		if got := preemptionWarning(c.arch, c.simd, c.godebug) != ""; got != c.warn {
			t.Errorf("%s simd=%v GODEBUG=%q: warning %v, want %v", c.arch, c.simd, c.godebug, got, c.warn)
		}
	}
}

// BenchmarkExpAfterPreemption measures math.Exp after the goroutine has been running long
// enough (200 ms) to be preempted asynchronously. Compare
//
//	GOEXPERIMENT=simd go test ./peftlib/backend -run '^$' -bench ExpAfterPreemption -benchtime 20000000x
//	GOEXPERIMENT=simd GODEBUG=asyncpreemptoff=1 go test ./peftlib/backend -run '^$' -bench ExpAfterPreemption -benchtime 20000000x
//
// (measured on an Intel Xeon: about 1000 ns against 12 ns per call).
func BenchmarkExpAfterPreemption(b *testing.B) {
	var s float64
	for start := time.Now(); time.Since(start) < 200*time.Millisecond; {
		for i := 0; i < 100000; i++ {
			s += math.Exp(float64(i&7) * 1e-3)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s += math.Exp(0.5 + float64(i&7)*1e-3)
	}
	sink = s
}

var sink float64
