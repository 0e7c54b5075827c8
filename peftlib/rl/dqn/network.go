package dqn

import (
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/layers/activation"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/peftlab/peftlab/peftlib/fastops"
)

// dense creates (or reuses) weights [in, out] and biases [out] under scope and applies them;
// called several times with the same scope it shares the weights.
func dense(scope *model.Scope, x *Node, out int) *Node {
	in := x.Shape().Dimensions[1]
	w := scope.VariableWithShape("weights", shapes.Make(x.DType(), in, out)).NodeValue(x.Graph())
	b := scope.VariableWithShape("biases", shapes.Make(x.DType(), out)).NodeValue(x.Graph())
	return Add(fastops.MatMul(x, w), InsertAxes(b, 0))
}

// QValues is the Q-network: states [batch, States] → Q [batch, Actions]. Scopes under
// scope: "input", "hidden" (tied, applied Layers times), "output".
func (c Config) QValues(scope *model.Scope, states *Node) *Node {
	c = c.withDefaults()
	x := activation.Relu(dense(scope.In("input"), states, c.Hidden))
	hidden := scope.In("hidden")
	for i := 0; i < c.Layers; i++ {
		x = activation.Relu(dense(hidden, x, c.Hidden))
	}
	return dense(scope.In("output"), x, c.Actions)
}
