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

// TestProductsNeedNoBackendTranspose checks, for dense layers and attention's scores, that
// every DotGeneral of the forward and backward graph is ours and laid out as the Go backend
// wants it (lhs [batch, free, contracting]; rhs [batch, contracting, free], or also [batch,
// free, contracting] for large products), and counts the elements our explicit transposes
// copy, derived by hand below.
func TestProductsNeedNoBackendTranspose(t *testing.T) {
	for _, c := range []struct {
		name       string
		dims       [2][]int
		f          func(a, b *graph.Node) *graph.Node
		transposed int // elements copied by explicit transposes, forward and backward
	}{
		// Small dense [64, 8]·[8, 16]: the input gradient transposes w (8·16) for the small
		// kernel, the weight gradient transposes x (64·8). GoMLX's gradient transposes its two
		// outputs and the backend then x, v and w.
		{"small dense", [2][]int{{64, 8}, {8, 16}}, MatMul, 8*16 + 64*8},
		// Large dense [512, 128]·[128, 256] (16.8M multiply-adds): only x, for the weight gradient.
		{"large dense", [2][]int{{512, 128}, {128, 256}}, MatMul, 512 * 128},
		// Attention scores bqhd,bkhd->bhqk ([2,5,3,4] each, 120 elements; scores 150): forward,
		// q to [b,h,q,d] and k to [b,h,d,k] (2·120); the query gradient transposes k again
		// (120), the key gradient q (120); both go back to [b,s,h,d] (2·120).
		{"scores", [2][]int{{2, 5, 3, 4}, {2, 5, 3, 4}}, func(a, b *graph.Node) *graph.Node {
			return DotGeneral(a, []int{3}, []int{0, 2}, b, []int{3}, []int{0, 2})
		}, 6 * 120},
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
					rhsOK := isIdentity(d.rhs.rhsOrders()[1])
					if macs(d.lhs, d.rhs) >= smallProduct {
						rhsOK = rhsOK || isIdentity(d.rhs.rhsOrders()[0])
					}
					if !isIdentity(d.lhs.lhsOrder()) || !rhsOK {
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
