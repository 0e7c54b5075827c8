package lora_test

import (
	"github.com/gomlx/gomlx/core/tensors"
)

func tensorsFrom(vals []float64, dims []int) *tensors.Tensor {
	return tensors.FromFlatDataAndDimensions(append([]float64(nil), vals...), dims...)
}
