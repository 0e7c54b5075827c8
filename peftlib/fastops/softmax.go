package fastops

import (
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/support/exceptions"
)

// Softmax is graph.Softmax over one axis (negative counts from the end), with the same value.
//
// Where the backend has a fused softmax, its output y is differentiated analytically,
//
//	dx = y ⊙ (v − Σ_axis v ⊙ y)
//
// so the training graph holds no exp at all. GoMLX's gradient instead differentiates the
// decomposed formula, which computes exp(x − max) a second time in the forward pass: on the Go
// backend that is math.Exp, which runs about 100× slower after any SIMD kernel on some x86 CPUs
// (bench/README.md), while the fused forward uses a pure-Go polynomial. Without a fused softmax
// (or with $GOMLX_FUSION=false) it is graph.Softmax.
func Softmax(x *graph.Node, axis int) *graph.Node {
	axis = checkAxis("Softmax", x, axis)
	y := fusedSoftmax(x, axis)
	if y == nil {
		return graph.Softmax(x, axis)
	}
	return y
}

// LogSoftmax is graph.LogSoftmax over one axis, x − max − log Σ exp(x − max), for
// cross-entropy losses. With a fused softmax y it takes log Σ exp(x − max) as −log max(y)
// (y's largest entry is exp(0)/Σ, at least 1/n, so the log is well conditioned) and the
// gradient as dx = v − y ⊙ Σ_axis v: no math.Exp, as in Softmax.
func LogSoftmax(x *graph.Node, axis int) *graph.Node {
	axis = checkAxis("LogSoftmax", x, axis)
	y := fusedSoftmax(x, axis)
	if y == nil {
		return graph.LogSoftmax(x, axis)
	}
	logSumExp := graph.Sub(graph.ReduceAndKeep(x, graph.ReduceMax, axis), graph.Log(graph.ReduceAndKeep(y, graph.ReduceMax, axis)))
	z := graph.Sub(x, graph.StopGradient(logSumExp))
	mark(z, gradientFunc(func(z, v *graph.Node) []*graph.Node {
		dx := graph.Sub(v, graph.Mul(y, graph.ReduceAndKeep(v, graph.ReduceSum, axis)))
		return []*graph.Node{dx, graph.ZerosLike(z.Inputs()[1])}
	}))
	return z
}

func checkAxis(op string, x *graph.Node, axis int) int {
	if axis < 0 {
		axis += x.Rank()
	}
	if axis < 0 || axis >= x.Rank() {
		exceptions.Panicf("fastops.%s: axis out of range for shape %s", op, x.Shape())
	}
	return axis
}

// fusedSoftmax is the backend's fused softmax with the analytic gradient, or nil where the
// backend has none (or $GOMLX_FUSION=false).
func fusedSoftmax(x *graph.Node, axis int) *graph.Node {
	return fused(func() *graph.Node { return graph.BackendFusedSoftmax(x, axis) },
		gradientFunc(func(y, v *graph.Node) []*graph.Node {
			vy := graph.Mul(v, y)
			return []*graph.Node{graph.Sub(vy, graph.Mul(y, graph.ReduceAndKeep(vy, graph.ReduceSum, axis)))}
		}))
}
