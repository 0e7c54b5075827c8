// Package testmodel holds the tiny models and helpers peftlab's method tests share.
package testmodel

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/layers/activation"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/loss"
	"github.com/gomlx/gomlx/ml/train/optimizer"
	"github.com/peftlab/peftlab/peftlib/backend"
	"github.com/peftlab/peftlab/peftlib/models"
	"github.com/peftlab/peftlab/peftlib/peft"
)

// In, Hidden and Classes are the sizes of MLP.
const (
	In      = 6
	Hidden  = 8
	Classes = 3
)

// MLP has a plain GoMLX dense layer ("/plain"), a peft-aware one ("/aware") and a head
// ("/head"), so tests cover both injection forms.
func MLP(scope *model.Scope, x *Node) *Node {
	h := activation.Relu(layers.Dense(scope.In("plain"), x, true, Hidden))
	h = Tanh(peft.Dense(scope.In("aware"), h, true, Hidden))
	return layers.Dense(scope.In("head"), h, true, Classes)
}

// Inputs returns n random inputs [n, In] of dtype (Float32 or Float64).
func Inputs(n int, seed uint64, dtype dtypes.DType) *tensors.Tensor {
	rng := rand.New(rand.NewPCG(seed, 1))
	vals := make([]float64, n*In)
	for i := range vals {
		vals[i] = rng.NormFloat64()
	}
	if dtype == dtypes.Float64 {
		return tensors.FromFlatDataAndDimensions(vals, n, In)
	}
	f := make([]float32, len(vals))
	for i, v := range vals {
		f[i] = float32(v)
	}
	return tensors.FromFlatDataAndDimensions(f, n, In)
}

// Labels returns n class labels [n, 1] computed from x by a fixed rule (rotated by shift),
// so different shifts make different tasks.
func Labels(x *tensors.Tensor, shift int) *tensors.Tensor {
	vals := Floats(x)
	n := x.Shape().Dimensions[0]
	size := len(vals) / n
	out := make([]int32, n)
	for i := 0; i < n; i++ {
		row := vals[i*size : i*size+In]
		c := 0
		if row[0]+row[1] > 0 {
			c = 1
		}
		if row[2]-row[3] > 0.5 {
			c = 2
		}
		out[i] = int32((c + shift) % Classes)
	}
	return tensors.FromFlatDataAndDimensions(out, n, 1)
}

// NewStore returns a store with MLP's variables materialised (seeded) in dtype.
func NewStore(t testing.TB, dtype dtypes.DType) *model.Store {
	return NewStoreFor(t, MLP, Inputs(2, 0, dtype))
}

// NewStoreFor returns a store with fn's variables materialised (seeded) for input x.
func NewStoreFor(t testing.TB, fn func(*model.Scope, *Node) *Node, x *tensors.Tensor) *model.Store {
	store := model.NewStore()
	store.SetParam(model.ParamInitialSeed, int64(42))
	if err := peft.Materialize(backend.ForTests(), store, fn, x); err != nil {
		t.Fatal(err)
	}
	return store
}

// Run evaluates fn on x with the store and returns the outputs as float64.
func Run(t testing.TB, store *model.Store, fn func(*model.Scope, *Node) *Node, x *tensors.Tensor) []float64 {
	exec, err := model.NewExec1(backend.ForTests(), store, fn)
	if err != nil {
		t.Fatal(err)
	}
	defer exec.Finalize()
	y, err := exec.Call(x)
	if err != nil {
		t.Fatal(err)
	}
	return Floats(y)
}

// Floats copies a float tensor's values as float64.
func Floats(t *tensors.Tensor) []float64 {
	switch t.DType() {
	case dtypes.Float64:
		return tensors.MustCopyFlatData[float64](t)
	case dtypes.Float32:
		f := tensors.MustCopyFlatData[float32](t)
		out := make([]float64, len(f))
		for i, v := range f {
			out[i] = float64(v)
		}
		return out
	}
	panic("testmodel: not a float tensor: " + t.DType().String())
}

// MaxRelDiff returns max |a-b| / max(1, |b|).
func MaxRelDiff(a, b []float64) float64 {
	if len(a) != len(b) {
		return math.Inf(1)
	}
	var m float64
	for i := range a {
		m = max(m, math.Abs(a[i]-b[i])/max(1, math.Abs(b[i])))
	}
	return m
}

// Snapshot copies every variable value of the store, by path.
func Snapshot(store *model.Store) map[string][]float64 {
	out := map[string][]float64{}
	for v := range store.IterVariables() {
		if !v.Shape().DType.IsFloat() || !v.HasValue() {
			continue
		}
		out[v.Path()] = Floats(v.MustValue())
	}
	return out
}

// Train runs steps full-batch Adam steps of fn on (x, labels) and returns the last loss.
func Train(t testing.TB, store *model.Store, fn func(*model.Scope, *Node) *Node, x, labels *tensors.Tensor, steps int, lr float64) float64 {
	trainer := train.NewTrainer(backend.ForTests(), store, fn, loss.SparseCategoricalCrossEntropyLogits,
		optimizer.Adam().LearningRate(lr).Done(), nil, nil)
	var last float64
	for i := 0; i < steps; i++ {
		xc, err := x.LocalClone()
		if err != nil {
			t.Fatal(err)
		}
		lc, err := labels.LocalClone()
		if err != nil {
			t.Fatal(err)
		}
		metrics, err := trainer.TrainStep(train.Batch{Inputs: []*tensors.Tensor{xc}, Labels: []*tensors.Tensor{lc}})
		if err != nil {
			t.Fatal(err)
		}
		last = Floats(metrics[0])[0]
	}
	return last
}

// Seq is the sequence length of Transformer's inputs.
const Seq = 4

// TransformerConfig is Transformer's stack: 2 layers of width 8, 2 heads.
var TransformerConfig = models.TransformerConfig{Layers: 2, Dim: 8, Heads: 2, MLPDim: 16}

// Transformer classifies sequences x [batch, Seq, In]: "embed" (peft.Dense to width 8), a
// pre-norm encoder "encoder" (peft-aware blocks with prompt slots and attention prefixes),
// mean pooling and a "head".
func Transformer(scope *model.Scope, x *Node) *Node {
	h := peft.Dense(scope.In("embed"), x, true, TransformerConfig.Dim)
	h = models.Blocks(scope.In("encoder"), TransformerConfig, h, false, 0)
	return peft.Dense(scope.In("head"), ReduceMean(h, 1), true, Classes)
}

// SeqInputs returns n random sequences [n, Seq, In].
func SeqInputs(n int, seed uint64, dtype dtypes.DType) *tensors.Tensor {
	flat := Floats(Inputs(n*Seq, seed, dtype))
	if dtype == dtypes.Float64 {
		return tensors.FromFlatDataAndDimensions(flat, n, Seq, In)
	}
	f := make([]float32, len(flat))
	for i, v := range flat {
		f[i] = float32(v)
	}
	return tensors.FromFlatDataAndDimensions(f, n, Seq, In)
}
