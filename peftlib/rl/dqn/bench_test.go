package dqn

import (
	"math/rand/v2"
	"testing"

	"github.com/peftlab/peftlab/peftlib/backend"
	"github.com/peftlab/peftlab/peftlib/internal/benchutil"
)

// BenchmarkUpdate: one DQN update of the three-body network (13 → 128, tied 128×128 applied
// 3 times, → 10), batch 128, AdamW-AMSGrad and the soft target update.
func BenchmarkUpdate(b *testing.B) {
	be, err := backend.New()
	if err != nil {
		b.Fatal(err)
	}
	a, err := New(be, Config{States: 13, Actions: 10})
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	state := func() []float64 {
		s := make([]float64, 13)
		for i := range s {
			s[i] = rng.NormFloat64()
		}
		return s
	}
	for i := 0; i < 1000; i++ {
		a.Remember(state(), rng.IntN(10), rng.NormFloat64(), state(), rng.IntN(10) == 0)
	}
	if _, _, err := a.Update(); err != nil { // compile
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := a.Update(); err != nil {
			b.Fatal(err)
		}
	}
	benchutil.Report(b)
}
