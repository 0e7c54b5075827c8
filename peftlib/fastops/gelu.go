package fastops

import (
	"math"

	"github.com/gomlx/gomlx/core/graph"
)

// Gelu is the exact GELU, x·Φ(x) with Φ the standard normal CDF (Hendrycks & Gimpel 2016,
// arXiv:1606.08415); the same value as GoMLX's activation.Gelu.
//
// Where the backend has a fused GELU, its output y is differentiated analytically:
//
//	GELU'(x) = Φ(x) + x·φ(x),  Φ(x) = y/x (½ at x = 0),  φ(x) = exp(-x²/2)/√(2π)
//
// which needs no erf; GoMLX's gradient re-runs the decomposed formula (a second erf pass) and
// differentiates that. The exponential is taken as expm1(z)+1: on the Go backend Exp is
// math.Exp, about 100× slower after any SIMD kernel on some x86 CPUs, and Expm1 is pure Go.
// Without a fused GELU (or with $GOMLX_FUSION=false) it is the decomposed formula.
func Gelu(x *graph.Node) *graph.Node {
	if y := fused(func() *graph.Node { return graph.BackendFusedGelu(x, true) }, gradientFunc(geluVJP)); y != nil {
		return y
	}
	return geluDecomposed(x)
}

func geluDecomposed(x *graph.Node) *graph.Node {
	return graph.Mul(x, graph.MulScalar(graph.OnePlus(graph.Erf(graph.DivScalar(x, math.Sqrt2))), 0.5))
}

// geluVJP: v·(Φ(x) + x·φ(x)). Φ is read off the output as y/x, held constant, plus
// (x − x̄)·φ(x) (x̄: x without gradient), which is 0 in value but gives Φ its derivative φ, so
// that higher-order gradients stay exact, at x = 0 too.
func geluVJP(y, v *graph.Node) []*graph.Node {
	x := y.Inputs()[0]
	isZero := graph.Equal(x, graph.ZerosLike(x))
	ratio := graph.Div(y, graph.Where(isZero, graph.OnesLike(x), x))
	cdf := graph.StopGradient(graph.Where(isZero, graph.FillScalar(x.Graph(), x.Shape(), 0.5), ratio))
	pdf := graph.MulScalar(graph.OnePlus(graph.Expm1(graph.MulScalar(graph.Square(x), -0.5))), 1/math.Sqrt(2*math.Pi))
	cdf = graph.Add(cdf, graph.Mul(graph.Sub(x, graph.StopGradient(x)), pdf))
	return []*graph.Node{graph.Mul(v, graph.Add(cdf, graph.Mul(x, pdf)))}
}
