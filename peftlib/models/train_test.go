package models

import (
	"math/rand/v2"
	"testing"

	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/loss"
	"github.com/gomlx/gomlx/ml/train/optimizer"
	"github.com/peftlab/peftlab/peftlib/backend"
)

// fitsOneBatch trains modelFn for a few Adam steps on one fixed batch and fails unless the
// loss falls below half its first value: a cheap check that every parameter path is wired
// to the loss and gradients flow through each backbone.
func fitsOneBatch[F train.ModelFnCompatible](t *testing.T, name string, modelFn F, lossFn train.LossFn, inputs, labels []*tensors.Tensor) {
	t.Helper()
	store := model.NewStore()
	store.SetParam(model.ParamInitialSeed, int64(3))
	trainer := train.NewTrainer(backend.ForTests(), store, modelFn, lossFn, optimizer.Adam().LearningRate(1e-2).Done(), nil, nil)
	var first, last float64
	for step := range 40 {
		m, err := trainer.TrainStep(train.Batch{Inputs: inputs, Labels: labels})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		last = float64(tensors.ToScalar[float32](m[0]))
		if step == 0 {
			first = last
		}
	}
	if !(last < first/2) {
		t.Errorf("%s: 40 steps on one batch took the loss only from %.4g to %.4g", name, first, last)
	}
}

func classLabels(n, classes int) *tensors.Tensor {
	l := make([]int32, n)
	for i := range l {
		l[i] = int32(i % classes)
	}
	return tensors.FromFlatDataAndDimensions(l, n, 1)
}

// quadrantImages: noise plus a bright quadrant chosen by the class (i mod classes), so that
// even a globally pooled CNN can separate the classes.
func quadrantImages(n, classes int) *tensors.Tensor {
	v := tensors.MustCopyFlatData[float32](images(n))
	for i := range n {
		c := i % classes
		for y := range 14 {
			for x := range 14 {
				v[i*784+(y+14*(c/2))*28+x+14*(c%2)] += 2
			}
		}
	}
	return tensors.FromFlatDataAndDimensions(v, n, 28, 28, 1)
}

func TestEachBackboneFitsOneBatch(t *testing.T) {
	ce := func(labels, logits []*Node) *Node {
		return loss.SparseCategoricalCrossEntropyLogits(labels, logits)
	}
	const n = 8
	imgs := []*tensors.Tensor{quadrantImages(n, 4)}
	fitsOneBatch(t, "MLP", MLPConfig{Hidden: []int{32}, Outputs: 4}.Logits, ce, imgs, []*tensors.Tensor{classLabels(n, 4)})
	fitsOneBatch(t, "CNN", CNNConfig{Channels: []int{8, 8}, Groups: 4, Classes: 4}.Logits, ce, imgs, []*tensors.Tensor{classLabels(n, 4)})
	vit := ViTConfig{Transformer: TransformerConfig{Layers: 1, Dim: 16, Heads: 2}, Classes: 4}
	fitsOneBatch(t, "ViT", vit.Logits, ce, imgs, []*tensors.Tensor{classLabels(n, 4)})

	rng := rand.New(rand.NewPCG(5, 6))
	spec := make([]float32, n*32*16)
	for i := range spec {
		spec[i] = rng.Float32()
	}
	ast := ASTConfig{Transformer: TransformerConfig{Layers: 1, Dim: 16, Heads: 2}, Classes: 4}
	fitsOneBatch(t, "AST", ast.Logits, ce, []*tensors.Tensor{tensors.FromFlatDataAndDimensions(spec, n, 32, 16)},
		[]*tensors.Tensor{classLabels(n, 4)})

	xt := make([]float32, n*4*4)
	noise := make([]float32, n*4*4)
	for i := range xt {
		xt[i], noise[i] = rng.Float32(), float32(rng.NormFloat64())
	}
	ts := make([]float32, n)
	cond := make([]int32, n)
	for i := range ts {
		ts[i], cond[i] = float32(i)/n, int32(i%3)
	}
	den := DenoiserConfig{Hidden: []int{64, 64}, Conditions: 3}
	mse := func(labels, preds []*Node) *Node { return ReduceAllMean(Square(Sub(preds[0], labels[0]))) }
	fitsOneBatch(t, "denoiser", den.PredictNoise, mse,
		[]*tensors.Tensor{tensors.FromFlatDataAndDimensions(xt, n, 4, 4, 1), tensors.FromValue(ts), tensors.FromValue(cond)},
		[]*tensors.Tensor{tensors.FromFlatDataAndDimensions(noise, n, 4, 4, 1)})
}
