package models

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/layers/activation"
	"github.com/gomlx/gomlx/ml/layers/norm"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/peftlab/peftlab/peftlib/backend"
)

// gradCase is an op (or a layer) under test: f maps x to a tensor, which the check reduces
// to a scalar with fixed random weights, so that every output element matters.
type gradCase struct {
	name     string
	dims     []int
	f        func(scope *model.Scope, x *Node) *Node
	training bool
}

// checkInputGradient compares d(Σ k⊙f(x))/dx with central finite differences in float64 at
// up to 16 coordinates of x (all of them for small inputs).
func checkInputGradient(t *testing.T, c gradCase, seed uint64) {
	t.Helper()
	x := randomTensor(seed, c.dims...)
	store := model.NewStore()
	store.SetParam(model.ParamInitialSeed, int64(seed))
	objective := func(scope *model.Scope, x *Node) *Node {
		if c.training {
			scope.Store().SetTraining(x.Graph(), true)
		}
		y := c.f(scope, x)
		k := Add(Sin(MulScalar(Iota(x.Graph(), y.Shape(), -1), 1.7)), Cos(MulScalar(Iota(x.Graph(), y.Shape(), 0), 0.9)))
		return ReduceAllSum(Mul(y, k))
	}
	grad := model.MustNewExec(backend.ForTests(), store, func(scope *model.Scope, x *Node) *Node {
		return Gradient(objective(scope, x), x)[0]
	}).MustExec(x)[0]
	analytic := tensors.MustCopyFlatData[float64](grad)
	eval := model.MustNewExec(backend.ForTests(), store, objective)
	vals := tensors.MustCopyFlatData[float64](x)
	rng := rand.New(rand.NewPCG(seed, 11))
	coords := rng.Perm(len(vals))
	if len(coords) > 16 {
		coords = coords[:16]
	}
	const eps = 1e-6
	for _, i := range coords {
		at := func(d float64) float64 {
			v := append([]float64(nil), vals...)
			v[i] += d
			return tensors.ToScalar[float64](eval.MustExec(tensors.FromFlatDataAndDimensions(v, c.dims...))[0])
		}
		numeric := (at(eps) - at(-eps)) / (2 * eps)
		if d := math.Abs(numeric-analytic[i]) / max(1, math.Abs(numeric)); d > 1e-6 {
			t.Errorf("%s %v: d/dx[%d] analytic %.10g, finite differences %.10g", c.name, c.dims, i, analytic[i], numeric)
		}
	}
}

// TestOpGradientsMatchFiniteDifferences covers every op our reference models and methods
// use, on random shapes, forward and backward on the Go backend.
func TestOpGradientsMatchFiniteDifferences(t *testing.T) {
	rng := rand.New(rand.NewPCG(2026, 12))
	r := func(lo, hi int) int { return lo + rng.IntN(hi-lo+1) }
	for trial := range 2 {
		b, s, heads, dh := r(1, 3), r(2, 5), r(1, 3), r(2, 4)
		d := heads * dh
		h, w, ch := 2*r(1, 3), 2*r(1, 3), 2*r(1, 3)
		cases := []gradCase{
			{name: "attention", dims: []int{b, s, d}, f: func(sc *model.Scope, x *Node) *Node { return Attention(sc, x, heads, false) }},
			{name: "causal attention", dims: []int{b, s, d}, f: func(sc *model.Scope, x *Node) *Node { return Attention(sc, x, heads, true) }},
			{name: "transformer block", dims: []int{b, s, d}, f: func(sc *model.Scope, x *Node) *Node {
				return Block(sc, TransformerConfig{Layers: 1, Dim: d, Heads: heads, MLPDim: 2 * d}.WithDefaults(), x, false)
			}},
			{name: "GELU (erf)", dims: []int{b, d}, f: func(_ *model.Scope, x *Node) *Node { return activation.Gelu(x) }},
			{name: "GELU (tanh)", dims: []int{b, d}, f: func(_ *model.Scope, x *Node) *Node { return activation.GeluApproximate(x) }},
			{name: "erf", dims: []int{b, d}, f: func(_ *model.Scope, x *Node) *Node { return Erf(x) }},
			{name: "softmax", dims: []int{b, d}, f: func(_ *model.Scope, x *Node) *Node { return Softmax(x, -1) }},
			{name: "layer norm", dims: []int{b, s, d}, f: func(sc *model.Scope, x *Node) *Node { return norm.LayerNorm(sc, x, -1).Done() }},
			{name: "batch norm (training)", dims: []int{b + 2, h, ch}, training: true, f: BatchNorm},
			{name: "batch norm (inference)", dims: []int{b, h, ch}, f: BatchNorm},
			{name: "group norm", dims: []int{b, h, w, 2 * ch}, f: func(sc *model.Scope, x *Node) *Node { return GroupNorm(sc, x, 2) }},
			{name: "conv 3×3 (im2col)", dims: []int{b, h, w, ch}, f: func(sc *model.Scope, x *Node) *Node { return Conv3x3(sc, x, 3) }},
			{name: "max pool 2×2", dims: []int{b, h, w, ch}, f: func(_ *model.Scope, x *Node) *Node { return MaxPool2x2(x) }},
			{name: "slice+concatenate", dims: []int{b, s + 2, d}, f: func(_ *model.Scope, x *Node) *Node {
				return Concatenate([]*Node{Slice(x, AxisRange(), AxisRange(1, s+1)), Slice(x, AxisRange(), AxisRange(0, 1))}, 1)
			}},
			{name: "gather", dims: []int{s + 3, d}, f: func(_ *model.Scope, x *Node) *Node {
				idx := Const(x.Graph(), [][]int32{{0}, {2}, {2}, {int32(s + 2)}})
				return Gather(x, idx)
			}},
			{name: "scatter-sum", dims: []int{4, d}, f: func(_ *model.Scope, x *Node) *Node {
				idx := Const(x.Graph(), [][]int32{{1}, {0}, {1}, {3}})
				return ScatterSum(Zeros(x.Graph(), shapes.Make(x.DType(), 5, d)), idx, x, false, false)
			}},
			{name: "embedding (table gradient through a variable)", dims: []int{b, s}, f: func(sc *model.Scope, x *Node) *Node {
				ids := ModScalar(ConvertDType(Abs(MulScalar(x, 3)), dtypes.Int32), 7)
				return Mul(layers.Embedding(sc, ids, x.DType(), 7, 4), InsertAxes(x, -1))
			}},
			{name: "second order: d/dx Σ(∂L/∂x)²", dims: []int{b, d}, f: func(sc *model.Scope, x *Node) *Node {
				inner := ReduceAllSum(Square(activation.Gelu(norm.LayerNorm(sc.In("ln"), Mul(x, x), -1).Done())))
				gx := Gradient(inner, x)[0]
				return Square(gx)
			}},
		}
		for _, c := range cases {
			t.Run(fmt.Sprintf("%s/%d", c.name, trial), func(t *testing.T) { checkInputGradient(t, c, uint64(trial+1)) })
		}
	}
}

// TestDropoutGradientIsItsMask: dropout draws a new mask per run, so finite differences do
// not apply; instead check within one run that dy/dx is exactly mask/(1-p), read off y/x.
func TestDropoutGradientIsItsMask(t *testing.T) {
	store := model.NewStore()
	x := randomTensor(4, 64, 8)
	out := model.MustNewExec(backend.ForTests(), store, func(scope *model.Scope, x *Node) []*Node {
		scope.Store().SetTraining(x.Graph(), true)
		y := layers.DropoutStatic(scope, x, 0.25)
		return []*Node{y, Gradient(ReduceAllSum(y), x)[0]}
	}).MustExec(x)
	xs, ys, gs := tensors.MustCopyFlatData[float64](x), tensors.MustCopyFlatData[float64](out[0]), tensors.MustCopyFlatData[float64](out[1])
	dropped := 0
	for i := range xs {
		if want := ys[i] / xs[i]; math.Abs(gs[i]-want) > 1e-12 {
			t.Fatalf("element %d: gradient %g, mask/(1-p) %g", i, gs[i], want)
		}
		if ys[i] == 0 {
			dropped++
		} else if math.Abs(ys[i]/xs[i]-1/0.75) > 1e-12 {
			t.Fatalf("kept element %d scaled by %g, want 1/(1-p)", i, ys[i]/xs[i])
		}
	}
	if frac := float64(dropped) / float64(len(xs)); frac < 0.15 || frac > 0.35 {
		t.Fatalf("dropped %.2f of the elements, want about 0.25", frac)
	}
}

// TestBatchNormRunningStatistics: training updates the running mean and variance towards
// the batch's (momentum 0.1, unbiased variance) and inference then uses them.
func TestBatchNormRunningStatistics(t *testing.T) {
	store := model.NewStore()
	x := randomTensor(5, 32, 3)
	trainExec := model.MustNewExec(backend.ForTests(), store, func(scope *model.Scope, x *Node) *Node {
		scope.Store().SetTraining(x.Graph(), true)
		return BatchNorm(scope.In("bn"), x)
	})
	y := tensors.MustCopyFlatData[float64](trainExec.MustExec(x)[0])
	xs := tensors.MustCopyFlatData[float64](x)
	for c := range 3 {
		var mean, sq, ymean float64
		for i := range 32 {
			mean += xs[i*3+c] / 32
			ymean += y[i*3+c] / 32
		}
		for i := range 32 {
			sq += (xs[i*3+c] - mean) * (xs[i*3+c] - mean)
		}
		if math.Abs(ymean) > 1e-9 {
			t.Fatalf("channel %d: training output mean %g, want 0", c, ymean)
		}
		rm := tensors.MustCopyFlatData[float64](store.GetVariable("/bn/running_mean").MustValue())
		rv := tensors.MustCopyFlatData[float64](store.GetVariable("/bn/running_variance").MustValue())
		if math.Abs(rm[c]-0.1*mean) > 1e-12 || math.Abs(rv[c]-(0.9+0.1*sq/31)) > 1e-12 {
			t.Fatalf("channel %d: running mean %g, variance %g; want %g, %g", c, rm[c], rv[c], 0.1*mean, 0.9+0.1*sq/31)
		}
	}
}

// TestAttentionScalesByInverseSqrtHeadDim: with identity projections, Attention must
// equal softmax(q·kᵀ/√d_head)·v per head, computed here by hand. (GoMLX's own
// attention.MultiHeadAttention also scales by 1/√d_head in v0.28.8; v0.26 used 1/d.)
func TestAttentionScalesByInverseSqrtHeadDim(t *testing.T) {
	const seq, d, heads = 3, 4, 2
	dh := d / heads
	store := model.NewStore()
	x := randomTensor(9, 1, seq, d)
	exec := model.MustNewExec1(backend.ForTests(), store, func(scope *model.Scope, x *Node) *Node {
		return Attention(scope.In("attn"), x, heads, false)
	})
	exec.MustCall(x) // creates the variables
	eye := make([]float64, d*d)
	for i := range d {
		eye[i*d+i] = 1
	}
	for _, p := range []string{"query", "key", "value", "output"} {
		store.GetVariable("/attn/" + p + "/dense/weights").MustSetValue(tensors.FromFlatDataAndDimensions(append([]float64(nil), eye...), d, d))
		store.GetVariable("/attn/" + p + "/dense/biases").MustSetValue(tensors.FromFlatDataAndDimensions(make([]float64, d), d))
	}
	got := tensors.MustCopyFlatData[float64](exec.MustCall(x))
	xs := tensors.MustCopyFlatData[float64](x)
	for h := range heads {
		for i := range seq {
			w := make([]float64, seq)
			var z float64
			for j := range seq {
				var dot float64
				for c := h * dh; c < (h+1)*dh; c++ {
					dot += xs[i*d+c] * xs[j*d+c]
				}
				w[j] = math.Exp(dot / math.Sqrt(float64(dh)))
				z += w[j]
			}
			for c := h * dh; c < (h+1)*dh; c++ {
				var want float64
				for j := range seq {
					want += w[j] / z * xs[j*d+c]
				}
				if math.Abs(got[i*d+c]-want) > 1e-12 {
					t.Fatalf("head %d, query %d, channel %d: %g, want %g", h, i, c, got[i*d+c], want)
				}
			}
		}
	}
}
