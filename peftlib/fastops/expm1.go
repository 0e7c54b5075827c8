package fastops

import (
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
)

// GoMLX v0.28.8 defines no gradient for Expm1; Gelu's gradient uses it (see Gelu), so this
// package registers d expm1(x)/dx = expm1(x) + 1, for every Expm1 node, where none is
// registered. It is built from Expm1 again, so higher orders work too.
func init() {
	if _, ok := graph.VJPRegistration[graph.NodeTypeExpm1]; ok {
		return
	}
	graph.VJPRegistration[graph.NodeTypeExpm1] = func(node *graph.Node, v []*graph.Node, _ shapes.Shape) []*graph.Node {
		return []*graph.Node{graph.Mul(v[0], graph.OnePlus(node))}
	}
}
