package models

import (
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/layers/activation"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/peftlab/peftlab/peftlib/peft"
)

// MLPConfig is a multi-layer perceptron with ReLU. The zero value: two hidden layers of 128
// and 10 outputs.
type MLPConfig struct {
	Hidden  []int // default {128, 128}
	Outputs int   // default 10
}

// WithDefaults fills the zero fields.
func (c MLPConfig) WithDefaults() MLPConfig {
	if c.Hidden == nil {
		c.Hidden = []int{128, 128}
	}
	if c.Outputs == 0 {
		c.Outputs = 10
	}
	return c
}

// Params is the parameter count for inputs of in features.
func (c MLPConfig) Params(in int) int {
	c = c.WithDefaults()
	n, prev := 0, in
	for _, h := range append(append([]int(nil), c.Hidden...), c.Outputs) {
		n += prev*h + h
		prev = h
	}
	return n
}

// Logits flattens x [batch, ...] and runs the MLP; layers are "hidden_<i>" and "head".
func (c MLPConfig) Logits(scope *model.Scope, x *Node) *Node {
	c = c.WithDefaults()
	x = Reshape(x, x.Shape().Dimensions[0], -1)
	for i, h := range c.Hidden {
		x = activation.Relu(peft.Dense(scope.In("hidden_%d", i), x, true, h))
	}
	return peft.Dense(scope.In("head"), x, true, c.Outputs)
}
