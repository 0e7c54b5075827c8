package gradfix

import (
	"math"
	"testing"

	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/peftlab/peftlab/peftlib/backend"
)

func TestRsqrtGradientMatchesFiniteDifferences(t *testing.T) {
	xs := []float64{0.05, 0.3, 1, 2.5, 40}
	grad := MustNewExec(backend.ForTests(), func(x *Node) *Node {
		return Gradient(ReduceAllSum(Mul(Rsqrt(x), Iota(x.Graph(), x.Shape(), 0))), x)[0]
	}).MustExec(tensors.FromValue(xs))[0]
	got := tensors.MustCopyFlatData[float64](grad)
	for i, x := range xs {
		const eps = 1e-7
		f := func(x float64) float64 { return float64(i) / math.Sqrt(x) }
		numeric := (f(x+eps) - f(x-eps)) / (2 * eps)
		if d := math.Abs(got[i]-numeric) / max(1, math.Abs(numeric)); d > 1e-6 {
			t.Errorf("x=%g: analytic %g, finite differences %g", x, got[i], numeric)
		}
	}
}
