package fastops

import (
	"testing"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/peftlab/peftlab/peftlib/backend"
)

// reachable calls visit once for every node the outputs depend on.
func reachable(visit func(*graph.Node), outputs ...*graph.Node) {
	seen := map[*graph.Node]bool{}
	var walk func(*graph.Node)
	walk = func(n *graph.Node) {
		if !seen[n] {
			seen[n] = true
			visit(n)
			for _, in := range n.Inputs() {
				walk(in)
			}
		}
	}
	for _, o := range outputs {
		walk(o)
	}
}

// TestProductsNeedNoBackendTranspose checks, for a dense layer and attention's two products,
// that every DotGeneral of the forward and backward graph is ours and in a layout the Go
// backend multiplies without transposing, and counts the elements our explicit transposes copy.
func TestProductsNeedNoBackendTranspose(t *testing.T) {
	for _, c := range []struct {
		name       string
		dims       [2][]int
		f          func(a, b *graph.Node) *graph.Node
		transposed int // elements copied by explicit transposes, forward and backward
	}{
		// Dense [64, 8]·[8, 16]: only the weight gradient transposes x (64·8); GoMLX's gradient
		// transposes its two outputs and the backend then x and v (64·8 + 64·16 + 8·16 + 64·8).
		{"dense", [2][]int{{64, 8}, {8, 16}}, MatMul, 64 * 8},
		// Attention scores bqhd,bkhd->bhqk ([2,5,3,4] each): q and k to [b,h,s,d] forward
		// (2·120); back, the key gradient contracts over queries, so the score gradient
		// [b,h,q,k] is transposed (150; the other order would copy 240), and both gradients
		// go from [b,h,s,d] back to [b,s,h,d] (2·120).
		{"scores", [2][]int{{2, 5, 3, 4}, {2, 5, 3, 4}}, func(a, b *graph.Node) *graph.Node {
			return DotGeneral(a, []int{3}, []int{0, 2}, b, []int{3}, []int{0, 2})
		}, 4*120 + 150},
	} {
		var total int
		mustRun(t, c.dims, func(a, b *graph.Node) []*graph.Node {
			y := c.f(a, b)
			w := graph.Sin(graph.Iota(y.Graph(), y.Shape(), -1))
			grads := graph.Gradient(graph.ReduceAllSum(graph.Mul(y, w)), a, b)
			reachable(func(n *graph.Node) {
				switch n.Type() {
				case graph.NodeTypeTranspose:
					total += n.Shape().Size()
				case graph.NodeTypeDotGeneral:
					d, ok := lookup(n).(dot)
					if !ok {
						t.Errorf("%s: %s is not built by fastops", c.name, n)
						return
					}
					if !isIdentity(d.lhs.lhsOrder()) || !(isIdentity(d.rhs.rhsOrders()[0]) || isIdentity(d.rhs.rhsOrders()[1])) {
						t.Errorf("%s: %s needs a transpose in the backend", c.name, n)
					}
				}
			}, append(grads, y)...)
			return append(grads, y)
		})
		if total != c.transposed {
			t.Errorf("%s: explicit transposes copy %d elements, want %d", c.name, total, c.transposed)
		}
	}
}

func mustRun(t *testing.T, dims [2][]int, f func(a, b *graph.Node) []*graph.Node) {
	t.Helper()
	a := tensors.FromShape(shapes.Make(dtypes.Float32, dims[0]...))
	b := tensors.FromShape(shapes.Make(dtypes.Float32, dims[1]...))
	graph.MustNewExec(backend.ForTests(), f).MustExec(a, b)
}
