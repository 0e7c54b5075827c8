package peft

import (
	"fmt"

	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/peftlab/peftlab/peftlib/fastops"
)

// Dense is a peft-aware layers.Dense: the same variables (<scope>/dense/weights [in, out]
// and biases [out], same default initializer), so checkpoints interchange, but adapters
// apply to it in activation form (LoRA's y += s·dropout(x)·A·B, IA³'s y·l, ...), which is
// exact, cheaper in the backward pass, and supports input dropout.
// x is [..., in]; the result is [..., outDim].
func Dense(scope *model.Scope, x *Node, useBias bool, outDim int) *Node {
	scope = scope.In("dense")
	g := x.Graph()
	dims := x.Shape().Dimensions
	if len(dims) == 0 {
		panic(fmt.Sprintf("peft.Dense: input must have rank ≥ 1, got %s", x.Shape()))
	}
	in := dims[len(dims)-1]
	wVar := scope.VariableWithShape("weights", shapes.Make(x.DType(), in, outDim))
	var hooks []linearHook
	w := wVar.NodeValue(g)
	if inj := Current(g); inj != nil {
		path := wVar.Path()
		if hs := inj.linear[path]; len(hs) > 0 && len(hs) == inj.transforms[path] {
			hooks = hs
			w = inj.original[path] // the weight-level W' is left unused; GoMLX drops it
			inj.consumed[path] = true
		}
	}
	y := Linear(x, w)
	if useBias {
		b := scope.VariableWithShape("biases", shapes.Make(x.DType(), outDim)).NodeValue(g)
		y = Add(y, ExpandLeftToRank(b, y.Rank()))
	}
	for _, h := range hooks {
		y = h.hook(x, y)
	}
	return y
}

// Sublayer runs fn, an attention or MLP block without its residual connection, as a
// peft-aware sub-layer identified by scope: adapters' sub-layer hooks (series and parallel
// bottleneck adapters) change its output. Returns fn(x) after the hooks.
func Sublayer(scope *model.Scope, x *Node, fn func(x *Node) *Node) *Node {
	y := fn(x)
	if inj := Current(x.Graph()); inj != nil {
		for _, h := range inj.sublayer[scope.Scope()] {
			y = h(x, y)
		}
	}
	return y
}

// Linear multiplies x [..., in] by w [in, out], giving [..., out]: the leading axes are
// flattened into one, so the backend runs a single plain matrix multiply.
func Linear(x, w *Node) *Node {
	dims := x.Shape().Dimensions
	in := dims[len(dims)-1]
	if x.Rank() == 2 {
		return fastops.MatMul(x, w)
	}
	y := fastops.MatMul(Reshape(x, -1, in), w)
	out := append(append([]int(nil), dims[:len(dims)-1]...), w.Shape().Dimensions[1])
	return Reshape(y, out...)
}
