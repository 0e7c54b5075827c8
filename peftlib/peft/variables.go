package peft

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// NewVariable creates (or overwrites) the adapter variable <b.Scope(module)>/<name> with the
// given values (row-major, converted to dtype). Adapters are initialised on the host, so
// their initial values depend only on the seed, not on the backend.
func (b *Builder) NewVariable(module, name string, dtype dtypes.DType, dims []int, values []float64) *model.Variable {
	path := AdapterScope(b.Name) + module + "/" + name
	if v := b.Model.store.GetVariable(path); v != nil {
		_ = b.Model.store.DeleteVariable(path)
	}
	t, err := tensorFromFloat64s(dtype, dims, values)
	if err != nil {
		panic(fmt.Sprintf("peft: variable %s: %v", path, err))
	}
	v, err := b.Model.store.CreateVariable(path, t)
	if err != nil {
		panic(fmt.Sprintf("peft: creating %s: %v", path, err))
	}
	return v
}

func tensorFromFloat64s(dtype dtypes.DType, dims []int, values []float64) (*tensors.Tensor, error) {
	size := 1
	for _, d := range dims {
		size *= d
	}
	if len(values) != size {
		return nil, fmt.Errorf("%d values for shape %v", len(values), dims)
	}
	switch dtype {
	case dtypes.Float32:
		out := make([]float32, size)
		for i, v := range values {
			out[i] = float32(v)
		}
		return tensors.FromFlatDataAndDimensions(out, dims...), nil
	case dtypes.Float64:
		return tensors.FromFlatDataAndDimensions(append([]float64(nil), values...), dims...), nil
	}
	return nil, fmt.Errorf("dtype %s is not supported for adapters (use Float32 or Float64)", dtype)
}

// Fill returns n copies of value.
func Fill(n int, value float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = value
	}
	return out
}

// RNG returns a generator seeded by the seed and a label (the adapter and module), so each
// variable's initial values are reproducible and independent of creation order.
func RNG(seed uint64, label string) *rand.Rand {
	h := uint64(1469598103934665603)
	for i := 0; i < len(label); i++ {
		h = (h ^ uint64(label[i])) * 1099511628211
	}
	return rand.New(rand.NewPCG(seed, h))
}

// Uniform returns n values uniform in [-bound, bound).
func Uniform(rng *rand.Rand, n int, bound float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = (2*rng.Float64() - 1) * bound
	}
	return out
}

// Normal returns n values from N(0, std²).
func Normal(rng *rand.Rand, n int, std float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = rng.NormFloat64() * std
	}
	return out
}

// KaimingUniformBound is PyTorch's kaiming_uniform_(a=√5) bound for a layer with fanIn
// inputs, the default init of nn.Linear and of LoRA's A: 1/√fanIn.
func KaimingUniformBound(fanIn int) float64 { return 1 / math.Sqrt(float64(fanIn)) }
