package models

import (
	"testing"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/layers/activation"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/loss"
	"github.com/gomlx/gomlx/ml/train/optimizer"
	"github.com/peftlab/peftlab/peftlib/backend"
	"github.com/peftlab/peftlab/peftlib/internal/benchutil"
	"github.com/peftlab/peftlab/peftlib/peft"
	"github.com/peftlab/peftlab/peftlib/tuners/bottleneck"
	"github.com/peftlab/peftlab/peftlib/tuners/lora"
)

// The benchmarks of bench/README.md; bench/torch/bench.py runs the same models in PyTorch.
// Each reports ms/step, steps/s and the process's peak resident memory (run one benchmark
// per process for a meaningful peak: bench/run.sh does).

func labels(n, classes int) *tensors.Tensor {
	l := make([]int32, n)
	for i := range l {
		l[i] = int32(i % classes)
	}
	return tensors.FromFlatDataAndDimensions(l, n, 1)
}

// BenchmarkMLPStep: 784-512-512-10 (models.MLPConfig: peft.Dense and ReLU), batch 128, Adam.
func BenchmarkMLPStep(b *testing.B) {
	mlp := MLPConfig{Hidden: []int{512, 512}}
	benchTrainStep(b, model.NewStore(), mlp.Logits, randomFloats(1, 128, 784), labels(128, 10))
}

// BenchmarkMLPStepGoMLXDense: the same MLP built from GoMLX's layers.Dense, whose gradient is
// GoMLX's DotGeneral gradient: compare with BenchmarkMLPStep for what fastops changes.
func BenchmarkMLPStepGoMLXDense(b *testing.B) {
	fn := func(scope *model.Scope, x *Node) *Node {
		x = activation.Relu(layers.Dense(scope.In("h0"), x, true, 512))
		x = activation.Relu(layers.Dense(scope.In("h1"), x, true, 512))
		return layers.Dense(scope.In("out"), x, true, 10)
	}
	benchTrainStep(b, model.NewStore(), fn, randomFloats(1, 128, 784), labels(128, 10))
}

// benchTransformer: 2 pre-norm layers, d=128, 4 heads, FFN 512, on inputs [64, 64, 128],
// mean pooling and a 10-class head.
var benchTransformer = TransformerConfig{Layers: 2, Dim: 128, Heads: 4, MLPDim: 512}

func transformerClassifier(scope *model.Scope, x *Node) *Node {
	h := Blocks(scope.In("encoder"), benchTransformer, x, false, 0)
	return peft.Dense(scope.In("head"), ReduceMean(h, 1), true, 10)
}

// BenchmarkTransformerStep: the transformer above, every parameter trained with Adam.
func BenchmarkTransformerStep(b *testing.B) {
	benchTrainStep(b, model.NewStore(), transformerClassifier, randomFloats(2, 64, 64, 128), labels(64, 10))
}

// BenchmarkLoRAStep: the same transformer frozen, LoRA r=8 on query and value.
func BenchmarkLoRAStep(b *testing.B) {
	be := benchBackend(b)
	store := model.NewStore()
	x := randomFloats(2, 64, 64, 128)
	if err := peft.Materialize(be, store, transformerClassifier, x); err != nil {
		b.Fatal(err)
	}
	pm := peft.New(be, store)
	if err := pm.AddAdapter("default", lora.Config{R: 8, Alpha: 16, Targets: peft.Modules("query", "value")}); err != nil {
		b.Fatal(err)
	}
	benchTrainStep(b, store, peft.Wrap(pm, transformerClassifier), x, labels(64, 10))
}

// BenchmarkCNNStep: two blocks (conv 3×3 32 and 64 channels, group norm, ReLU, 2×2 max
// pool) on 28×28×1, batch 128, Adam.
func BenchmarkCNNStep(b *testing.B) {
	cnn := CNNConfig{Channels: []int{32, 64}}
	benchTrainStep(b, model.NewStore(), cnn.Logits, randomFloats(3, 128, 28, 28, 1), labels(128, 10))
}

// BenchmarkViTTrainStep: the quickstart's ViT (patch 7, d=64, 2 layers), batch 64, Adam.
func BenchmarkViTTrainStep(b *testing.B) {
	vit := ViTConfig{}
	benchTrainStep(b, model.NewStore(), vit.Logits, images(64), labels(64, 10))
}

// BenchmarkViTHoulsbyStep: that ViT frozen, with Houlsby adapters (after attention and after
// the MLP), as in the peft_methods notebook. Its step once spent 60% in math.Exp (bench/README.md).
func BenchmarkViTHoulsbyStep(b *testing.B) {
	be := benchBackend(b)
	vit := ViTConfig{}
	store := model.NewStore()
	x := images(64)
	if err := peft.Materialize(be, store, vit.Logits, x); err != nil {
		b.Fatal(err)
	}
	pm := peft.New(be, store)
	if err := pm.AddAdapter("default", bottleneck.Config{Sublayers: []string{"attn", "mlp"}}); err != nil {
		b.Fatal(err)
	}
	benchTrainStep(b, store, peft.Wrap(pm, vit.Logits), x, labels(64, 10))
}

// BenchmarkGenerate64: greedy generation of 64 tokens from a decoder LM (vocabulary 128,
// context 128, 2 layers, d=128, 4 heads), one sequence, prompt of 16 tokens; one op is one
// whole generation.
func BenchmarkGenerate64(b *testing.B) {
	be := benchBackend(b)
	dec := DecoderConfig{Vocab: 128, Context: 128, Transformer: TransformerConfig{Layers: 2, Dim: 128, Heads: 4}}
	store := model.NewStore()
	gen, err := NewGenerator(be, store, dec.Logits, dec.Context, 1)
	if err != nil {
		b.Fatal(err)
	}
	prompt := make([]int32, 16)
	for i := range prompt {
		prompt[i] = int32(32 + i)
	}
	run := func() {
		if _, err := gen.Generate([][]int32{prompt}, 64, -1, Greedy); err != nil {
			b.Fatal(err)
		}
	}
	run()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		run()
	}
	benchutil.Report(b)
}

func benchBackend(b *testing.B) compute.Backend {
	be, err := backend.New()
	if err != nil {
		b.Fatal(err)
	}
	return be
}

func randomFloats(seed uint64, dims ...int) *tensors.Tensor {
	t := randomTensor(seed, dims...)
	f := tensors.MustCopyFlatData[float64](t)
	out := make([]float32, len(f))
	for i, v := range f {
		out[i] = float32(v)
	}
	return tensors.FromFlatDataAndDimensions(out, dims...)
}

func benchTrainStep(b *testing.B, store *model.Store, fn func(*model.Scope, *Node) *Node, x, y *tensors.Tensor) {
	be := benchBackend(b)
	trainer := train.NewTrainer(be, store, fn, loss.SparseCategoricalCrossEntropyLogits, optimizer.Adam().Done(), nil, nil)
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
	benchutil.Report(b)
}
