package models

import (
	"fmt"
	"math"

	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/layers/activation"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/peftlab/peftlab/peftlib/peft"
)

// DenoiserConfig is a small conditional noise predictor for diffusion models (Ho, Jain &
// Abbeel 2020, arXiv 2006.11239): an MLP over flattened data x_t with a sinusoidal
// embedding of the timestep and a learned embedding of the condition (a class or concept
// id) added to every hidden layer. The zero value: hidden {256, 256}, 16-dim time
// embedding, 10 conditions.
type DenoiserConfig struct {
	Hidden     []int // default {256, 256}
	TimeDim    int   // sinusoidal features, default 16
	Conditions int   // number of condition ids, default 10 (id Conditions-1 can serve as "none")
}

// WithDefaults fills the zero fields.
func (c DenoiserConfig) WithDefaults() DenoiserConfig {
	if c.Hidden == nil {
		c.Hidden = []int{256, 256}
	}
	if c.TimeDim == 0 {
		c.TimeDim = 16
	}
	if c.Conditions == 0 {
		c.Conditions = 10
	}
	return c
}

// PredictNoise maps noisy data xt [batch, ...], timesteps t [batch] (float, in [0, 1]) and
// condition ids cond [batch] (int32) to predicted noise shaped like xt. Layers:
// "in", "hidden_<i>", "time_<i>", "cond_<i>" (embedding), "out".
func (c DenoiserConfig) PredictNoise(scope *model.Scope, xt, t, cond *Node) *Node {
	c = c.WithDefaults()
	dims := xt.Shape().Dimensions
	b := dims[0]
	x := Reshape(xt, b, -1)
	size := x.Shape().Dimensions[1]
	if t.Rank() != 1 || cond.Rank() != 1 {
		panic(fmt.Sprintf("models: denoiser needs t [batch] and cond [batch], got %s and %s", t.Shape(), cond.Shape()))
	}
	temb := timeEmbedding(ConvertDType(t, x.DType()), c.TimeDim)
	h := peft.Dense(scope.In("in"), x, true, c.Hidden[0])
	for i, width := range c.Hidden {
		if h.Shape().Dimensions[1] != width {
			h = peft.Dense(scope.In("proj_%d", i), h, true, width)
		}
		h = Add(h, peft.Dense(scope.In("time_%d", i), temb, true, width))
		h = Add(h, layers.Embedding(scope.In("cond_%d", i), cond, x.DType(), c.Conditions, width))
		h = activation.Swish(peft.Dense(scope.In("hidden_%d", i), activation.Swish(h), true, width))
	}
	return Reshape(peft.Dense(scope.In("out"), h, true, size), dims...)
}

// timeEmbedding returns sinusoidal features [batch, dim] of t [batch].
func timeEmbedding(t *Node, dim int) *Node {
	half := dim / 2
	freqs := make([]float64, half)
	for i := range freqs {
		freqs[i] = 1000 * math.Exp(-math.Log(1000)*float64(i)/float64(half))
	}
	f := ConvertDType(Const(t.Graph(), freqs), t.DType())
	arg := Mul(InsertAxes(t, -1), InsertAxes(f, 0))
	return Concatenate([]*Node{Sin(arg), Cos(arg)}, -1)
}
