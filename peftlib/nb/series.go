package nb

import "math/rand"

// Ints converts integers (steps, epochs) to float64 for plotting.
func Ints[T ~int | ~int32 | ~int64](xs []T) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = float64(x)
	}
	return out
}

// Column extracts one key from a list of metric maps; missing keys give NaN (skipped in plots).
func Column(rows []map[string]float64, key string) []float64 {
	out := make([]float64, len(rows))
	for i, r := range rows {
		v, ok := r[key]
		if !ok {
			v = nan()
		}
		out[i] = v
	}
	return out
}

// Rand returns a math/rand generator seeded with seed, for GoMLX's InMemoryDataset.WithRand,
// so shuffles are reproducible.
func Rand(seed int64) *rand.Rand { return rand.New(rand.NewSource(seed)) }
