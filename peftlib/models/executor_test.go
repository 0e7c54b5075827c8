package models

import (
	"math"
	"testing"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/gobackend"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/loss"
	"github.com/gomlx/gomlx/ml/train/optimizer"
	"github.com/peftlab/peftlab/peftlib/backend"
	"github.com/peftlab/peftlab/peftlib/peft"
)

// trainLosses runs a few Adam steps of a small transformer classifier (its query, key and value
// matmuls can run in parallel) and returns the losses and the final weights.
func trainLosses(t *testing.T, be compute.Backend) (losses []float32, weights []float32) {
	cfg := TransformerConfig{Layers: 2, Dim: 32, Heads: 4, MLPDim: 64}
	fn := func(scope *model.Scope, x *Node) *Node {
		h := Blocks(scope.In("encoder"), cfg, x, false, 0)
		return peft.Dense(scope.In("head"), ReduceMean(h, 1), true, 5)
	}
	store := model.NewStore()
	store.SetParam(model.ParamInitialSeed, int64(5))
	trainer := train.NewTrainer(be, store, fn, loss.SparseCategoricalCrossEntropyLogits, optimizer.Adam().Done(), nil, nil)
	x, y := randomFloats(4, 16, 12, 32), labels(16, 5)
	for range 6 {
		m, err := trainer.TrainStep(train.Batch{Inputs: []*tensors.Tensor{x}, Labels: []*tensors.Tensor{y}})
		if err != nil {
			t.Fatal(err)
		}
		losses = append(losses, tensors.ToScalar[float32](m[0]))
	}
	for v := range store.IterVariables() {
		if v.Trainable {
			weights = append(weights, tensors.MustCopyFlatData[float32](v.MustValue())...)
		}
	}
	return losses, weights
}

// The default executor (parallel ops on an unbounded pool) must give exactly what the
// sequential one gives, so the choice is a matter of speed only.
func TestParallelExecutorMatchesSequentialBitForBit(t *testing.T) {
	parallel, err := gobackend.New("parallelism=-1")
	if err != nil {
		t.Fatal(err)
	}
	defer parallel.Finalize()
	seqLoss, seqW := trainLosses(t, backend.ForTests())
	parLoss, parW := trainLosses(t, parallel)
	if len(seqW) == 0 || len(seqW) != len(parW) {
		t.Fatalf("weights: %d sequential, %d parallel", len(seqW), len(parW))
	}
	for i := range seqLoss {
		if math.Float32bits(seqLoss[i]) != math.Float32bits(parLoss[i]) {
			t.Fatalf("step %d: loss %v sequential, %v parallel", i, seqLoss[i], parLoss[i])
		}
	}
	for i := range seqW {
		if math.Float32bits(seqW[i]) != math.Float32bits(parW[i]) {
			t.Fatalf("weight %d: %v sequential, %v parallel", i, seqW[i], parW[i])
		}
	}
	if !(seqLoss[len(seqLoss)-1] < seqLoss[0]) {
		t.Fatalf("training did not move: %v", seqLoss)
	}
}
