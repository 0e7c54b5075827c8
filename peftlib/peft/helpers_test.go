package peft_test

import "github.com/gomlx/gomlx/core/tensors"

func tensorOf(vals []float32, dims []int) *tensors.Tensor {
	return tensors.FromFlatDataAndDimensions(vals, dims...)
}
