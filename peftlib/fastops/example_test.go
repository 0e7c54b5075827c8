package fastops_test

import (
	"fmt"

	. "github.com/gomlx/gomlx/core/graph"
	"github.com/peftlab/peftlab/peftlib/backend"
	"github.com/peftlab/peftlab/peftlib/fastops"
)

// A dense layer's product and its gradients: the same values as graph.MatMul's.
func ExampleMatMul() {
	out := MustNewExec(backend.ForTests(), func(x, w *Node) []*Node {
		y := fastops.MatMul(x, w)
		return append([]*Node{y}, Gradient(ReduceAllSum(y), x, w)...)
	}).MustExec([][]float32{{1, 2}, {3, 4}}, [][]float32{{1, 0, 1}, {0, 1, 1}})
	fmt.Println("y =", out[0].Value())
	fmt.Println("dy/dx =", out[1].Value())
	fmt.Println("dy/dw =", out[2].Value())
	// Output:
	// y = [[1 2 3] [3 4 7]]
	// dy/dx = [[2 2] [2 2]]
	// dy/dw = [[4 4 4] [6 6 6]]
}

// GELU and its derivative at a few points: GELU'(0) = ½.
func ExampleGelu() {
	out := MustNewExec(backend.ForTests(), func(x *Node) []*Node {
		return []*Node{fastops.Gelu(x), Gradient(ReduceAllSum(fastops.Gelu(x)), x)[0]}
	}).MustExec([]float64{-1, 0, 1})
	fmt.Printf("gelu = %.4f\n", out[0].Value())
	fmt.Printf("gelu' = %.4f\n", out[1].Value())
	// Output:
	// gelu = [-0.1587 0.0000 0.8413]
	// gelu' = [-0.0833 0.5000 1.0833]
}

// Attention weights over the last axis, and the gradient of the first weight: its row sums to 0.
func ExampleSoftmax() {
	out := MustNewExec(backend.ForTests(), func(x *Node) []*Node {
		y := fastops.Softmax(x, -1)
		first := Slice(y, AxisElem(0), AxisElem(0))
		return []*Node{y, Gradient(ReduceAllSum(first), x)[0]}
	}).MustExec([][]float64{{0, 0, 0, 0}, {1, 2, 3, 4}})
	fmt.Printf("softmax = %.4f\n", out[0].Value())
	fmt.Printf("d softmax[0,0] / dx = %.4f\n", out[1].Value())
	// Output:
	// softmax = [[0.2500 0.2500 0.2500 0.2500] [0.0321 0.0871 0.2369 0.6439]]
	// d softmax[0,0] / dx = [[0.1875 -0.0625 -0.0625 -0.0625] [0.0000 0.0000 0.0000 0.0000]]
}
