package fastops

import (
	"github.com/gomlx/compute"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/compute/support/envutil"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/support/exceptions"
)

// ours records, per graph, the nodes this package built and how to differentiate them.
type oursKey struct{}

// gradient is how one of our nodes is differentiated: v is the gradient of its output.
type gradient interface {
	vjp(node, v *graph.Node) []*graph.Node
}

// gradientFunc adapts a function to gradient.
type gradientFunc func(node, v *graph.Node) []*graph.Node

func (f gradientFunc) vjp(node, v *graph.Node) []*graph.Node { return f(node, v) }

func mark(node *graph.Node, vjp gradient) {
	g := node.Graph()
	m, _ := g.State(oursKey{}).(map[graph.NodeId]gradient)
	if m == nil {
		m = make(map[graph.NodeId]gradient)
		g.AttachState(oursKey{}, m)
	}
	m[node.Id()] = vjp
}

func lookup(node *graph.Node) gradient {
	m, _ := node.Graph().State(oursKey{}).(map[graph.NodeId]gradient)
	return m[node.Id()]
}

// fused builds a backend fused op and gives it the gradient vjp, or returns nil where fusion
// is off ($GOMLX_FUSION=false) or the backend does not implement the op; callers then build the
// decomposed formula.
func fused(build func() *graph.Node, vjp gradient) *graph.Node {
	if fusion, err := envutil.ReadBool(graph.FusionEnv, true); err != nil {
		panic(err)
	} else if !fusion {
		return nil
	}
	var y *graph.Node
	if err := exceptions.TryCatch[error](func() { y = build() }); err != nil {
		if compute.IsNotImplemented(err) {
			return nil
		}
		panic(err)
	}
	mark(y, vjp)
	return y
}

// wrap installs a VJP for op that handles this package's nodes and hands every other node to
// the VJP GoMLX registered (if any).
func wrap(op graph.NodeType) {
	original, hasOriginal := graph.VJPRegistration[op]
	graph.VJPRegistration[op] = func(node *graph.Node, v []*graph.Node, outputShape shapes.Shape) []*graph.Node {
		if vjp := lookup(node); vjp != nil {
			return vjp.vjp(node, v[0])
		}
		if !hasOriginal {
			exceptions.Panicf("fastops: no gradient for %s", node)
		}
		return original(node, v, outputShape)
	}
}

func init() {
	wrap(graph.NodeTypeDotGeneral)
	wrap(graph.NodeTypeFusedGelu)
	wrap(graph.NodeTypeFusedSoftmax)
	wrap(graph.NodeTypeSub) // LogSoftmax's output
}
