package fastops

import (
	"slices"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/support/exceptions"
)

// MatMul is x·w for x [..., k] and w [k, n] (graph.MatMul for that case), with the
// layout-aware gradient of DotGeneral.
func MatMul(x, w *graph.Node) *graph.Node {
	if w.Rank() != 2 || x.Rank() < 1 {
		exceptions.Panicf("fastops.MatMul: want x [..., k] and w [k, n], got %s and %s", x.Shape(), w.Shape())
	}
	return DotGeneral(x, []int{x.Rank() - 1}, nil, w, []int{0}, nil)
}

// DotGeneral is graph.DotGeneral (same arguments, same value, laid out as batch axes, then
// lhs's free axes, then rhs's), built so that GoMLX's Go backend copies as little as it can.
//
// That backend multiplies only operands laid out as lhs [batch, free, contracting] and rhs
// [batch, contracting, free] or [batch, free, contracting]; any other layout it transposes
// first, both operands at once. So this builds each product (the forward one and, through a
// registered gradient, the two backward ones) from whichever operand order needs the fewest
// transposed elements, transposes only the operands (or the result) that need it, and never
// emits an identity transpose (which GoMLX's gradient does, and which the backend copies).
func DotGeneral(lhs *graph.Node, lhsContracting, lhsBatch []int, rhs *graph.Node, rhsContracting, rhsBatch []int) *graph.Node {
	l := operand{lhs, normAxes(lhs, lhsContracting), normAxes(lhs, lhsBatch)}
	r := operand{rhs, normAxes(rhs, rhsContracting), normAxes(rhs, rhsBatch)}
	// Output axes as product(l, r) gives them: batch, l's free, r's free: already in order.
	nb, nl, nr := len(l.batch), len(l.free()), len(r.free())
	return product(l, r, slices.Concat(iota(0, nb), iota(nb, nl), iota(nb+nl, nr)),
		slices.Concat(iota(0, nb), iota(nb+nr, nl), iota(nb, nr)))
}

// operand is one side of a product: its contracting and batch axes, paired in order with the
// other side's.
type operand struct {
	x               *graph.Node
	contract, batch []int
}

// free returns the axes neither contracted nor batch, ascending: their order in the output.
func (o operand) free() []int {
	var free []int
	for a := range o.x.Rank() {
		if !slices.Contains(o.contract, a) && !slices.Contains(o.batch, a) {
			free = append(free, a)
		}
	}
	return free
}

// lhsOrder is the axis order the backend wants of a left operand; rhsOrders the two it takes
// of a right one, the transposed form (its fastest) first.
func (o operand) lhsOrder() []int { return slices.Concat(o.batch, o.free(), o.contract) }
func (o operand) rhsOrders() [][]int {
	return [][]int{slices.Concat(o.batch, o.free(), o.contract), slices.Concat(o.batch, o.contract, o.free())}
}

// permuted returns o transposed to order (nothing if it is the identity), with its axes renamed.
func (o operand) permuted(order []int) operand {
	if isIdentity(order) {
		return o
	}
	newAxis := positions(order)
	rename := func(axes []int) []int {
		out := make([]int, len(axes))
		for i, a := range axes {
			out[i] = newAxis[a]
		}
		return out
	}
	return operand{graph.TransposeAllAxes(o.x, order...), rename(o.contract), rename(o.batch)}
}

// smallProduct is the size (multiply-adds) under which GoMLX v0.28.8's Go backend uses its
// small-matrix kernels. Among those, the one for a right operand laid out [batch, free,
// contracting] takes a horizontal sum per output element and ran at about 0.5 GFLOP/s here
// (two thirds of a generation step went to it), so small products take the right operand
// [batch, contracting, free], transposed if need be: it is small too.
const smallProduct = 4 << 20

// plan says how to multiply a (as lhs) by b (as rhs): the operand orders and the copies they cost.
func plan(a, b operand) (aOrder, bOrder []int, cost int) {
	aOrder = a.lhsOrder()
	if !isIdentity(aOrder) {
		cost += a.x.Shape().Size()
	}
	orders := b.rhsOrders()
	if macs(a, b) < smallProduct {
		orders = orders[1:]
	}
	for _, o := range orders {
		if isIdentity(o) {
			return aOrder, o, cost
		}
	}
	return aOrder, orders[0], cost + b.x.Shape().Size()
}

// macs is the number of multiply-adds of a·b.
func macs(a, b operand) int {
	return a.size(a.batch, a.free(), a.contract) * b.size(b.free())
}

// size is the product of o's dimensions along the given axes.
func (o operand) size(axes ...[]int) int {
	n := 1
	for _, ax := range slices.Concat(axes...) {
		n *= o.x.Shape().Dimensions[ax]
	}
	return n
}

// product contracts a with b. wantAB gives, for each axis of the wanted result, its position in
// the natural layout of a·b ([batch, a's free, b's free]); wantBA the same for b·a. The cheaper
// order is built, and its result transposed only if it is not already as wanted.
func product(a, b operand, wantAB, wantBA []int) *graph.Node {
	aOrd, bOrd, costAB := plan(a, b)
	bOrd2, aOrd2, costBA := plan(b, a)
	outSize := a.size(a.batch, a.free()) * b.size(b.free())
	if !isIdentity(wantAB) {
		costAB += outSize
	}
	if !isIdentity(wantBA) {
		costBA += outSize
	}
	lhs, rhs, want := a.permuted(aOrd), b.permuted(bOrd), wantAB
	if costBA < costAB {
		lhs, rhs, want = b.permuted(bOrd2), a.permuted(aOrd2), wantBA
	}
	y := graph.Dot(lhs.x, rhs.x).General(lhs.contract, lhs.batch, rhs.contract, rhs.batch)
	if y.Type() == graph.NodeTypeDotGeneral && y.DType() == lhs.x.DType() && lhs.x.DType() == rhs.x.DType() &&
		len(lhs.free()) > 0 && len(rhs.free()) > 0 {
		// Same dtype throughout (GoMLX adds conversions for half precision) and a contraction on
		// both sides of each gradient: ours applies; otherwise GoMLX's gradient is kept.
		mark(y, dot{lhs, rhs})
	}
	if isIdentity(want) {
		return y
	}
	return graph.TransposeAllAxes(y, want...)
}

func normAxes(x *graph.Node, axes []int) []int {
	out := make([]int, len(axes))
	for i, a := range axes {
		if a < 0 {
			a += x.Rank()
		}
		out[i] = a
	}
	return out
}

// dot is a DotGeneral node's two operands (0: lhs, 1: rhs).
type dot struct{ lhs, rhs operand }

func (d dot) side(i int) operand {
	if i == 0 {
		return d.lhs
	}
	return d.rhs
}

// vjp returns the gradients for lhs and rhs given v, the gradient of the output.
func (d dot) vjp(_, v *graph.Node) []*graph.Node {
	return []*graph.Node{d.grad(0, v), d.grad(1, v)}
}

// grad is the gradient for side i: v contracted with the other side o over o's free axes,
// laid out as side i.
func (d dot) grad(i int, v *graph.Node) *graph.Node {
	x, o := d.side(i), d.side(1-i)
	xFree, oFree := x.free(), o.free()
	nb := len(x.batch)
	// v's axes: [batch..., lhs free..., rhs free...].
	vO := iota(nb+len(xFree), len(oFree))
	if i == 1 {
		vO = iota(nb, len(oFree))
	}
	vSide := operand{v, vO, iota(0, nb)}
	oSide := operand{o.x, oFree, o.batch}
	// o's free axes in the gradient are its contracted ones, ascending; each stands for the axis
	// of x it was contracted with.
	oContracted := slices.Sorted(slices.Values(o.contract))
	fromO := make([]int, len(oContracted))
	for k, a := range oContracted {
		fromO[k] = x.contract[slices.Index(o.contract, a)]
	}
	// Axes of x in the natural layout of v·o and of o·v; want maps x's axes to positions there.
	return product(vSide, oSide,
		positions(slices.Concat(x.batch, xFree, fromO)),
		positions(slices.Concat(x.batch, fromO, xFree)))
}

// positions inverts a layout: layout[p] is the axis at position p; the result gives, for each
// axis, its position.
func positions(layout []int) []int {
	out := make([]int, len(layout))
	for p, axis := range layout {
		out[axis] = p
	}
	return out
}

func iota(start, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = start + i
	}
	return out
}

func isIdentity(axes []int) bool {
	for i, a := range axes {
		if i != a {
			return false
		}
	}
	return true
}
