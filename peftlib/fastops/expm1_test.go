package fastops_test

import (
	"testing"

	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

func TestExpm1GradientMatchesFiniteDifferences(t *testing.T) {
	in := []*tensors.Tensor{random(8, 3, 4)}
	first := func(x ...*Node) *Node { return weighted(Expm1(x[0])) }
	finiteDifferences(t, "expm1", first, in, 0)
	second := func(x ...*Node) *Node { return ReduceAllSum(Square(Gradient(first(x...), x[0])[0])) }
	finiteDifferences(t, "expm1 (second order)", second, in, 0)
}
