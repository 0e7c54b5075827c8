package fastops_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/layers/activation"
	"github.com/peftlab/peftlab/peftlib/backend"
	"github.com/peftlab/peftlab/peftlib/fastops"
)

func random(seed uint64, dims ...int) *tensors.Tensor {
	r := rand.New(rand.NewPCG(seed, 7))
	vals := make([]float64, shapes.Make(0, dims...).Size())
	for i := range vals {
		vals[i] = r.NormFloat64()
	}
	return tensors.FromFlatDataAndDimensions(vals, dims...)
}

func flat(t *tensors.Tensor) []float64 { return tensors.MustCopyFlatData[float64](t) }

func maxDiff(a, b []float64) float64 {
	d := 0.0
	for i := range a {
		d = max(d, math.Abs(a[i]-b[i])/max(1, math.Abs(b[i])))
	}
	return d
}

// dotCase is a DotGeneral configuration; the ones below cover a dense layer, attention's two
// products, batch axes that are not leading, and two contracting axes listed out of order.
type dotCase struct {
	name        string
	gomlxPanics bool // GoMLX v0.28.8's own gradient fails on it (a shape error)
	lhsDims     []int
	lc, lb      []int
	rhsDims     []int
	rc, rb      []int
}

var dotCases = []dotCase{
	{"matmul", false, []int{5, 3}, []int{1}, nil, []int{3, 4}, []int{0}, nil},
	{"dense rank 3", false, []int{2, 5, 3}, []int{2}, nil, []int{3, 4}, []int{0}, nil},
	{"scores bqhd,bkhd->bhqk", false, []int{2, 4, 3, 5}, []int{3}, []int{0, 2}, []int{2, 6, 3, 5}, []int{3}, []int{0, 2}},
	{"values bhqk,bkhd->bhqd", false, []int{2, 3, 4, 6}, []int{3}, []int{0, 1}, []int{2, 6, 3, 5}, []int{1}, []int{0, 2}},
	{"weight-gradient shape", false, []int{6, 3}, []int{0}, nil, []int{6, 4}, []int{0}, nil},
	{"batch last, 2 contractions out of order", true, []int{3, 4, 2, 5}, []int{3, 0}, []int{2}, []int{5, 2, 3, 6}, []int{0, 2}, []int{1}},
}

func (c dotCase) ours(l, r *Node) *Node { return fastops.DotGeneral(l, c.lc, c.lb, r, c.rc, c.rb) }
func (c dotCase) theirs(l, r *Node) *Node {
	return Dot(l, r).General(c.lc, c.lb, c.rc, c.rb)
}

// loss weights the output by a fixed pattern so that every gradient entry differs.
func weighted(y *Node) *Node {
	w := Sin(AddScalar(Iota(y.Graph(), y.Shape(), -1), 1))
	for a := 0; a < y.Rank()-1; a++ {
		w = Add(w, MulScalar(Iota(y.Graph(), y.Shape(), a), 0.1))
	}
	return ReduceAllSum(Mul(y, w))
}

func TestDotGeneralValueAndGradientMatchGoMLX(t *testing.T) {
	be := backend.ForTests()
	for _, c := range dotCases {
		if c.gomlxPanics {
			continue // checked against finite differences only
		}
		l, r := random(1, c.lhsDims...), random(2, c.rhsDims...)
		run := func(f func(l, r *Node) *Node) []*tensors.Tensor {
			return MustNewExec(be, func(l, r *Node) []*Node {
				y := f(l, r)
				return append([]*Node{y}, Gradient(weighted(y), l, r)...)
			}).MustExec(l, r)
		}
		ours, theirs := run(c.ours), run(c.theirs)
		for i, what := range []string{"value", "lhs gradient", "rhs gradient"} {
			if !ours[i].Shape().Equal(theirs[i].Shape()) {
				t.Fatalf("%s: %s shape %s, GoMLX %s", c.name, what, ours[i].Shape(), theirs[i].Shape())
			}
			if d := maxDiff(flat(ours[i]), flat(theirs[i])); d > 1e-12 {
				t.Errorf("%s: %s differs from GoMLX's by %g", c.name, what, d)
			}
		}
	}
}

// finiteDifferences checks d f/d x[k] against central differences at every coordinate.
func finiteDifferences(t *testing.T, name string, f func(xs ...*Node) *Node, inputs []*tensors.Tensor, wrt int) {
	t.Helper()
	be := backend.ForTests()
	grad := MustNewExec(be, func(xs []*Node) *Node { return Gradient(f(xs...), xs[wrt])[0] }).MustExec(tensorsAsAny(inputs)...)[0]
	value := MustNewExec(be, func(xs []*Node) *Node { return f(xs...) })
	analytic := flat(grad)
	x := flat(inputs[wrt])
	dims := inputs[wrt].Shape().Dimensions
	for k := range x {
		at := func(delta float64) float64 {
			shifted := append([]float64(nil), x...)
			shifted[k] += delta
			in := append([]*tensors.Tensor(nil), inputs...)
			in[wrt] = tensors.FromFlatDataAndDimensions(shifted, dims...)
			return flat(value.MustExec(tensorsAsAny(in)...)[0])[0]
		}
		const eps = 1e-6
		numeric := (at(eps) - at(-eps)) / (2 * eps)
		if d := math.Abs(numeric-analytic[k]) / max(1, math.Abs(numeric)); d > 1e-6 {
			t.Errorf("%s: d/dx[%d] analytic %g, finite differences %g", name, k, analytic[k], numeric)
		}
	}
}

func tensorsAsAny(ts []*tensors.Tensor) []any {
	out := make([]any, len(ts))
	for i, t := range ts {
		out[i] = t
	}
	return out
}

func TestDotGeneralGradientsMatchFiniteDifferences(t *testing.T) {
	for _, c := range dotCases {
		in := []*tensors.Tensor{random(3, c.lhsDims...), random(4, c.rhsDims...)}
		first := func(xs ...*Node) *Node { return weighted(c.ours(xs[0], xs[1])) }
		finiteDifferences(t, c.name+" (lhs)", first, in, 0)
		finiteDifferences(t, c.name+" (rhs)", first, in, 1)
		// Second order: differentiate the squared norm of the rhs gradient with respect to lhs.
		second := func(xs ...*Node) *Node {
			return ReduceAllSum(Square(Gradient(first(xs...), xs[1])[0]))
		}
		finiteDifferences(t, c.name+" (second order)", second, in, 0)
	}
}

// countNodes counts the nodes of type typ that outputs depend on.
func countNodes(typ NodeType, outputs ...*Node) int {
	seen := map[*Node]bool{}
	n := 0
	var visit func(*Node)
	visit = func(node *Node) {
		if seen[node] {
			return
		}
		seen[node] = true
		if node.Type() == typ {
			n++
		}
		for _, in := range node.Inputs() {
			visit(in)
		}
	}
	for _, o := range outputs {
		visit(o)
	}
	return n
}

func TestGeluMatchesGoMLXAndFiniteDifferences(t *testing.T) {
	be := backend.ForTests()
	xs := tensors.FromValue([]float64{-40, -6, -2.5, -1, -1e-3, 0, 1e-3, 0.5, 1, 3, 9})
	got := MustNewExec(be, func(x *Node) []*Node {
		return []*Node{fastops.Gelu(x), activation.Gelu(x), Gradient(ReduceAllSum(fastops.Gelu(x)), x)[0], Gradient(ReduceAllSum(activation.Gelu(x)), x)[0]}
	}).MustExec(xs)
	if d := maxDiff(flat(got[0]), flat(got[1])); d != 0 {
		t.Errorf("value differs from activation.Gelu by %g", d)
	}
	if d := maxDiff(flat(got[2]), flat(got[3])); d > 1e-12 {
		t.Errorf("gradient differs from activation.Gelu's by %g", d)
	}
	in := []*tensors.Tensor{xs}
	weightedGelu := func(x ...*Node) *Node { return weighted(fastops.Gelu(x[0])) }
	finiteDifferences(t, "gelu", weightedGelu, in, 0)
	second := func(x ...*Node) *Node { return ReduceAllSum(Square(Gradient(weightedGelu(x...), x[0])[0])) }
	finiteDifferences(t, "gelu (second order)", second, in, 0)
}

func TestGeluGradientSkipsTheDecomposedForward(t *testing.T) {
	skipWithoutFusion(t)
	be := backend.ForTests()
	for _, c := range []struct {
		name string
		gelu func(*Node) *Node
		erfs int
	}{{"fastops.Gelu", fastops.Gelu, 0}, {"activation.Gelu", activation.Gelu, 1}} {
		var erfs int
		MustNewExec(be, func(x *Node) *Node {
			g := Gradient(ReduceAllSum(c.gelu(x)), x)[0]
			erfs = countNodes(NodeTypeErf, g)
			return g
		}).MustExec(random(1, 4, 4))
		if erfs != c.erfs {
			t.Errorf("%s: %d Erf nodes in the gradient graph, want %d", c.name, erfs, c.erfs)
		}
	}
}
