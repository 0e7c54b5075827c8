package models

import (
	"testing"

	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/loss"
	"github.com/gomlx/gomlx/ml/train/optimizer"
	"github.com/peftlab/peftlab/peftlib/backend"
	"github.com/peftlab/peftlab/peftlib/peft"
	"github.com/peftlab/peftlab/peftlib/tuners/lora"
)

// BenchmarkViTTrainStep: the quickstart's ViT (patch 7, d=64, 2 layers), batch 64, Adam.
func BenchmarkViTTrainStep(b *testing.B) {
	vit := ViTConfig{}
	benchTrainStep(b, vit.Logits, images(64), tensors.FromFlatDataAndDimensions(make([]int32, 64), 64, 1))
}

func benchTrainStep(b *testing.B, fn func(*model.Scope, *Node) *Node, x, y *tensors.Tensor) {
	benchTrainStepStore(b, model.NewStore(), fn, x, y)
}

func benchTrainStepStore(b *testing.B, store *model.Store, fn func(*model.Scope, *Node) *Node, x, y *tensors.Tensor) {
	be, err := backend.New()
	if err != nil {
		b.Fatal(err)
	}
	trainer := train.NewTrainer(be, store, fn, loss.SparseCategoricalCrossEntropyLogits,
		optimizer.Adam().Done(), nil, nil)
	step := func() {
		xc, _ := x.LocalClone()
		yc, _ := y.LocalClone()
		if _, err := trainer.TrainStep(train.Batch{Inputs: []*tensors.Tensor{xc}, Labels: []*tensors.Tensor{yc}}); err != nil {
			b.Fatal(err)
		}
	}
	step() // compile
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		step()
	}
}

// BenchmarkViTLoRAStep: the same ViT with LoRA r=8 on every dense weight but the head.
func BenchmarkViTLoRAStep(b *testing.B) {
	vit := ViTConfig{}
	store := model.NewStore()
	be, err := backend.New()
	if err != nil {
		b.Fatal(err)
	}
	if err := peft.Materialize(be, store, vit.Logits, images(1)); err != nil {
		b.Fatal(err)
	}
	pm := peft.New(be, store)
	if err := pm.AddAdapter("default", lora.Config{R: 8, Targets: peft.AllLinear()}); err != nil {
		b.Fatal(err)
	}
	benchTrainStepStore(b, store, peft.Wrap(pm, vit.Logits), images(64), tensors.FromFlatDataAndDimensions(make([]int32, 64), 64, 1))
}
