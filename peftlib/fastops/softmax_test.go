package fastops_test

import (
	"math"
	"testing"

	"github.com/gomlx/compute/support/envutil"

	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/peftlab/peftlab/peftlib/backend"
	"github.com/peftlab/peftlab/peftlib/fastops"
)

// softmaxAxes covers the last axis (attention), a middle axis and the first one.
var softmaxAxes = []int{-1, 1, 0}

// softmaxes pairs each of ours with GoMLX's.
var softmaxes = []struct {
	name         string
	ours, theirs func(*Node, int) *Node
}{
	{"Softmax", fastops.Softmax, func(x *Node, axis int) *Node { return Softmax(x, axis) }},
	{"LogSoftmax", fastops.LogSoftmax, func(x *Node, axis int) *Node { return LogSoftmax(x, axis) }},
}

func TestSoftmaxesMatchGoMLX(t *testing.T) {
	be := backend.ForTests()
	x := random(5, 3, 4, 5)
	for _, f := range softmaxes {
		for _, axis := range softmaxAxes {
			run := func(softmax func(*Node, int) *Node) []*tensors.Tensor {
				return MustNewExec(be, func(x *Node) []*Node {
					y := softmax(x, axis)
					return []*Node{y, Gradient(weighted(y), x)[0]}
				}).MustExec(x)
			}
			ours, theirs := run(f.ours), run(f.theirs)
			for i, what := range []string{"value", "gradient"} {
				if d := maxDiff(flat(ours[i]), flat(theirs[i])); d > 1e-13 {
					t.Errorf("%s axis %d: %s differs from GoMLX's by %g", f.name, axis, what, d)
				}
			}
		}
	}
}

// Logits far apart: exp underflows to 0 for all but the largest, and LogSoftmax stays exact.
func TestLogSoftmaxOfFarApartLogits(t *testing.T) {
	got := MustNewExec(backend.ForTests(), func(x *Node) *Node { return fastops.LogSoftmax(x, -1) }).
		MustExec([]float32{0, -1000, 2000, 1999})
	want := []float32{-2000.3133, -3000.3133, -0.3132617, -1.3132617}
	for i, v := range got[0].Value().([]float32) {
		if math.Abs(float64(v-want[i])) > 1e-3*max(1, math.Abs(float64(want[i]))) {
			t.Errorf("LogSoftmax[%d] = %g, want %g", i, v, want[i])
		}
	}
}

func TestSoftmaxGradientsMatchFiniteDifferences(t *testing.T) {
	for _, f := range softmaxes {
		for _, axis := range softmaxAxes {
			in := []*tensors.Tensor{random(6, 2, 3, 4)}
			first := func(x ...*Node) *Node { return weighted(f.ours(x[0], axis)) }
			finiteDifferences(t, f.name, first, in, 0)
			second := func(x ...*Node) *Node { return ReduceAllSum(Square(Gradient(first(x...), x[0])[0])) }
			finiteDifferences(t, f.name+" (second order)", second, in, 0)
		}
	}
}

// The point of fastops.Softmax and fastops.Gelu: a training step computes no Exp (math.Exp on
// the Go backend), where GoMLX's gradients recompute the decomposed formulas.
func TestGradientsHoldNoExp(t *testing.T) {
	skipWithoutFusion(t)
	be := backend.ForTests()
	for _, c := range []struct {
		name string
		f    func(*Node) *Node
		exps int
	}{
		{"fastops.Softmax", func(x *Node) *Node { return fastops.Softmax(x, -1) }, 0},
		{"fastops.LogSoftmax", func(x *Node) *Node { return fastops.LogSoftmax(x, -1) }, 0},
		{"fastops.Gelu", fastops.Gelu, 0},
		{"graph.Softmax", func(x *Node) *Node { return Softmax(x, -1) }, 1},
	} {
		var exps int
		MustNewExec(be, func(x *Node) []*Node {
			y := c.f(x)
			g := Gradient(weighted(y), x)[0]
			exps = countNodes(NodeTypeExp, y, g)
			return []*Node{y, g}
		}).MustExec(random(1, 4, 4))
		if exps != c.exps {
			t.Errorf("%s: %d Exp nodes in value and gradient, want %d", c.name, exps, c.exps)
		}
	}
}

func TestSoftmaxRejectsBadAxis(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("axis 2 of a rank-2 input did not panic")
		}
	}()
	MustNewExec(backend.ForTests(), func(x *Node) *Node { return fastops.Softmax(x, 2) }).MustExec(random(1, 2, 2))
}

// skipWithoutFusion skips tests of the fused paths when $GOMLX_FUSION turns fusion off (the
// decomposed fallbacks then run, with GoMLX's own gradients).
func skipWithoutFusion(t *testing.T) {
	if on, err := envutil.ReadBool(FusionEnv, true); err == nil && !on {
		t.Skip("$GOMLX_FUSION is off: the fused ops are not used")
	}
}
