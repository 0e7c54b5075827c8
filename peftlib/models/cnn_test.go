package models

import (
	"math/rand/v2"
	"testing"

	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/peftlab/peftlab/peftlib/backend"
)

func randomTensor(seed uint64, dims ...int) *tensors.Tensor {
	rng := rand.New(rand.NewPCG(seed, 3))
	n := 1
	for _, d := range dims {
		n *= d
	}
	v := make([]float64, n)
	for i := range v {
		v[i] = rng.NormFloat64()
	}
	return tensors.FromFlatDataAndDimensions(v, dims...)
}

// TestConv3x3MatchesGoMLXConvolution: the im2col convolution equals GoMLX's Convolve with
// "same" padding, using the same weights reshaped to [3, 3, C_in, C_out].
func TestConv3x3MatchesGoMLXConvolution(t *testing.T) {
	x := randomTensor(1, 2, 5, 6, 3)
	store := model.NewStore()
	out := model.MustNewExec(backend.ForTests(), store, func(scope *model.Scope, x *Node) []*Node {
		conv := scope.In("conv")
		ours := Conv3x3(conv, x, 4)
		w := conv.Shared("dense").GetVariable("weights").NodeValue(x.Graph())
		b := conv.Shared("dense").GetVariable("biases").NodeValue(x.Graph())
		ref := Add(Convolve(x, Reshape(w, 3, 3, 3, 4)).PadSame().Done(), ExpandLeftToRank(b, 4))
		return []*Node{ours, ref}
	}).MustExec(x)
	a, b := tensors.MustCopyFlatData[float64](out[0]), tensors.MustCopyFlatData[float64](out[1])
	for i := range a {
		if d := a[i] - b[i]; d > 1e-9 || d < -1e-9 {
			t.Fatalf("element %d: im2col %g, Convolve %g", i, a[i], b[i])
		}
	}
}

func TestGroupNormAndPoolGradients(t *testing.T) {
	x := randomTensor(2, 2, 4, 4, 8)
	// Gradient of sum(GroupNorm(x)·k) w.r.t. x against finite differences.
	k := randomTensor(3, 2, 2, 2, 8)
	fn := func(scope *model.Scope, x, k *Node) *Node {
		return ReduceAllSum(Mul(MaxPool2x2(GroupNorm(scope.In("gn"), x, 4)), k))
	}
	store := model.NewStore()
	grad := model.MustNewExec(backend.ForTests(), store, func(scope *model.Scope, x, k *Node) *Node {
		return Gradient(fn(scope, x, k), x)[0]
	}).MustExec(x, k)[0]
	g := tensors.MustCopyFlatData[float64](grad)
	f := model.MustNewExec(backend.ForTests(), store, fn)
	vals := tensors.MustCopyFlatData[float64](x)
	for _, i := range []int{0, 37, 100, len(vals) - 1} {
		at := func(d float64) float64 {
			v := append([]float64(nil), vals...)
			v[i] += d
			return tensors.ToScalar[float64](f.MustExec(tensors.FromFlatDataAndDimensions(v, 2, 4, 4, 8), k)[0])
		}
		num := (at(1e-6) - at(-1e-6)) / 2e-6
		if d := num - g[i]; d > 1e-5 || d < -1e-5 {
			t.Fatalf("d/dx[%d]: analytic %g, finite differences %g", i, g[i], num)
		}
	}
}

func TestCNNASTDenoiserShapesAndParams(t *testing.T) {
	b := backend.ForTests()
	cnn := CNNConfig{Channels: []int{8, 16}, Groups: 4, Classes: 5}
	store := model.NewStore()
	out := model.MustNewExec1(b, store, cnn.Logits).MustCall(images(2))
	if d := out.Shape().Dimensions; d[0] != 2 || d[1] != 5 {
		t.Fatalf("CNN logits %v", d)
	}
	if got, want := params(store), cnn.Params(1); got != want {
		t.Fatalf("CNN: %d parameters, Params says %d", got, want)
	}
	ast := ASTConfig{Transformer: TransformerConfig{Layers: 1, Dim: 16, Heads: 2}, Classes: 4}
	store = model.NewStore()
	spec := tensors.FromFlatDataAndDimensions(make([]float32, 3*32*16), 3, 32, 16)
	out = model.MustNewExec1(b, store, ast.Logits).MustCall(spec)
	if d := out.Shape().Dimensions; d[0] != 3 || d[1] != 4 {
		t.Fatalf("AST logits %v", d)
	}
	if got, want := params(store), ast.Params(32, 16); got != want {
		t.Fatalf("AST: %d parameters, Params says %d", got, want)
	}
	den := DenoiserConfig{Hidden: []int{32, 32}, Conditions: 3}
	xt := tensors.FromFlatDataAndDimensions(make([]float32, 2*4*4*1), 2, 4, 4, 1)
	ts := tensors.FromValue([]float32{0.1, 0.9})
	cond := tensors.FromValue([]int32{0, 2})
	out = model.MustNewExec1(b, model.NewStore(), den.PredictNoise).MustCall(xt, ts, cond)
	if d := out.Shape().Dimensions; len(d) != 4 || d[1] != 4 || d[3] != 1 {
		t.Fatalf("denoiser output %v", d)
	}
}
