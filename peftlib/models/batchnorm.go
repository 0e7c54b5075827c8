package models

import (
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/initializer"

	_ "github.com/peftlab/peftlab/peftlib/gradfix" // Rsqrt's gradient
)

// ParamBatchNormMomentum is the weight of the newest batch in BatchNorm's running mean and
// variance (PyTorch's momentum convention). Default 0.1.
const ParamBatchNormMomentum = "batch_norm_momentum"

// BatchNorm normalises x [..., C] over every axis but the last (Ioffe & Szegedy 2015,
// arXiv 1502.03167), then applies a per-channel "gain" (ones) and "offset" (zeros).
// While training it uses the batch statistics and updates "running_mean" and
// "running_variance" (unbiased, as PyTorch); otherwise it uses the running values.
//
// Why not GoMLX's norm.BatchNorm: in v0.28.8 it fails on the Go backend unless
// UseBackendInference(false) is set, and it then stops the gradient through the batch
// mean and variance, so its training gradient differs from the textbook one (and from
// PyTorch's). Here the gradient flows through the batch statistics.
func BatchNorm(scope *model.Scope, x *Node) *Node {
	g := x.Graph()
	rank := x.Rank()
	ch := x.Shape().Dimensions[rank-1]
	axes := make([]int, rank-1)
	for i := range axes {
		axes[i] = i
	}
	shape := shapes.Make(x.DType(), ch)
	runMean := scope.WithInitializer(initializer.Zero).VariableWithShape("running_mean", shape).SetTrainable(false)
	runVar := scope.WithInitializer(initializer.One).VariableWithShape("running_variance", shape).SetTrainable(false)
	var mean, variance *Node
	if scope.IsTraining(g) {
		mean = ReduceMean(x, axes...)
		variance = ReduceMean(Square(Sub(x, ExpandLeftToRank(mean, rank))), axes...)
		m := model.GetParamOr(scope, ParamBatchNormMomentum, 0.1)
		n := float64(x.Shape().Size() / ch)
		unbiased := MulScalar(variance, n/max(n-1, 1))
		runMean.SetNodeValue(StopGradient(Add(MulScalar(runMean.NodeValue(g), 1-m), MulScalar(mean, m))))
		runVar.SetNodeValue(StopGradient(Add(MulScalar(runVar.NodeValue(g), 1-m), MulScalar(unbiased, m))))
	} else {
		mean, variance = runMean.NodeValue(g), runVar.NodeValue(g)
	}
	gain := scope.WithInitializer(initializer.One).VariableWithShape("gain", shape).NodeValue(g)
	offset := scope.WithInitializer(initializer.Zero).VariableWithShape("offset", shape).NodeValue(g)
	scale := Mul(gain, Rsqrt(AddScalar(variance, 1e-5)))
	return Add(Mul(Sub(x, ExpandLeftToRank(mean, rank)), ExpandLeftToRank(scale, rank)), ExpandLeftToRank(offset, rank))
}
