package gradfix

import (
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
)

func init() {
	register(NodeTypeRsqrt, rsqrtVJP)
}

// register adds vjp for op unless GoMLX already defines one.
func register(op NodeType, vjp func(node, v *Node) *Node) {
	if _, ok := VJPRegistration[op]; ok {
		return
	}
	VJPRegistration[op] = func(node *Node, v []*Node, _ shapes.Shape) []*Node {
		return []*Node{vjp(node, v[0])}
	}
}

// rsqrtVJP: y = x^(-1/2), dy/dx = -½·y³, written with the output y to reuse it.
func rsqrtVJP(node, v *Node) *Node {
	return Mul(v, MulScalar(Mul(node, Square(node)), -0.5))
}
