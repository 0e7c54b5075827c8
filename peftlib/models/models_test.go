package models

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/loss"
	"github.com/gomlx/gomlx/ml/train/optimizer"
	"github.com/peftlab/peftlab/peftlib/backend"
	"github.com/peftlab/peftlab/peftlib/peft"
)

func images(n int) *tensors.Tensor {
	rng := rand.New(rand.NewPCG(1, 2))
	v := make([]float32, n*28*28)
	for i := range v {
		v[i] = rng.Float32()
	}
	return tensors.FromFlatDataAndDimensions(v, n, 28, 28, 1)
}

func params(store *model.Store) int {
	n := 0
	for v := range store.IterVariables() {
		if !peft.IsBookkeeping(v.Path()) {
			n += v.Shape().Size()
		}
	}
	return n
}

func TestShapesAndParameterCounts(t *testing.T) {
	b := backend.ForTests()
	vit := ViTConfig{Transformer: TransformerConfig{Layers: 1, Dim: 16, Heads: 2}}
	store := model.NewStore()
	out := model.MustNewExec1(b, store, vit.Logits).MustCall(images(3))
	if d := out.Shape().Dimensions; len(d) != 2 || d[0] != 3 || d[1] != 10 {
		t.Fatalf("ViT logits %v", d)
	}
	if got, want := params(store), vit.Params(28, 28, 1); got != want {
		t.Fatalf("ViT has %d parameters, Params says %d", got, want)
	}
	dec := DecoderConfig{Vocab: 20, Context: 12, Transformer: TransformerConfig{Layers: 1, Dim: 16, Heads: 2}}
	store = model.NewStore()
	tok := tensors.FromFlatDataAndDimensions(make([]int32, 2*12), 2, 12)
	out = model.MustNewExec1(b, store, dec.Logits).MustCall(tok)
	if d := out.Shape().Dimensions; len(d) != 3 || d[0] != 2 || d[1] != 12 || d[2] != 20 {
		t.Fatalf("decoder logits %v", d)
	}
	if got, want := params(store), dec.Params(); got != want {
		t.Fatalf("decoder has %d parameters, Params says %d", got, want)
	}
	mlp := MLPConfig{Hidden: []int{7}, Outputs: 3}
	store = model.NewStore()
	model.MustNewExec1(b, store, mlp.Logits).MustCall(images(2))
	if got, want := params(store), mlp.Params(784); got != want {
		t.Fatalf("MLP has %d parameters, Params says %d", got, want)
	}
}

func TestCausalAttentionIgnoresTheFuture(t *testing.T) {
	dec := DecoderConfig{Vocab: 10, Context: 6, Transformer: TransformerConfig{Layers: 2, Dim: 16, Heads: 2}}
	store := model.NewStore()
	exec := model.MustNewExec1(backend.ForTests(), store, dec.Logits)
	a := tensors.FromValue([][]int32{{1, 2, 3, 4, 5, 6}})
	b := tensors.FromValue([][]int32{{1, 2, 3, 9, 9, 9}})
	la := tensors.MustCopyFlatData[float32](exec.MustCall(a))
	lb := tensors.MustCopyFlatData[float32](exec.MustCall(b))
	for i := 0; i < 3*10; i++ { // positions 0..2 see the same prefix
		if la[i] != lb[i] {
			t.Fatalf("logit %d changed with future tokens: %g vs %g", i, la[i], lb[i])
		}
	}
}

// TestDecoderMemorisesAndGenerates: a few hundred steps on one string, then greedy
// generation from its first characters reproduces the rest.
func TestDecoderMemorisesAndGenerates(t *testing.T) {
	text := "peftlab trains adapters."
	dec := DecoderConfig{Vocab: 128, Context: 32, Transformer: TransformerConfig{Layers: 1, Dim: 32, Heads: 2}}
	tokens := make([]int32, dec.Context)
	targets := make([]int32, dec.Context)
	for i := 0; i < len(text)-1; i++ {
		tokens[i], targets[i] = int32(text[i]), int32(text[i+1])
	}
	store := model.NewStore()
	store.SetParam(model.ParamInitialSeed, int64(7))
	b := backend.ForTests()
	lossFn := func(labels, logits []*Node) *Node {
		return loss.SparseCategoricalCrossEntropyLogits([]*Node{InsertAxes(labels[0], -1)}, logits)
	}
	trainer := train.NewTrainer(b, store, dec.Logits, lossFn, optimizer.Adam().LearningRate(3e-3).Done(), nil, nil)
	var first, last float64
	for step := 0; step < 300; step++ {
		m, err := trainer.TrainStep(train.Batch{
			Inputs: []*tensors.Tensor{tensors.FromFlatDataAndDimensions(append([]int32(nil), tokens...), 1, dec.Context)},
			Labels: []*tensors.Tensor{tensors.FromFlatDataAndDimensions(append([]int32(nil), targets...), 1, dec.Context)}})
		if err != nil {
			t.Fatal(err)
		}
		l := float64(tensors.ToScalar[float32](m[0]))
		if step == 0 {
			first = l
		}
		last = l
	}
	if !(last < first/4) {
		t.Fatalf("training did not lower the loss enough: %g -> %g", first, last)
	}
	gen, err := NewGenerator(b, store, dec.Logits, dec.Context, 1)
	if err != nil {
		t.Fatal(err)
	}
	prompt := []int32{}
	for _, c := range text[:8] {
		prompt = append(prompt, int32(c))
	}
	out, err := gen.Generate([][]int32{prompt}, len(text)-8, '.', Greedy)
	if err != nil {
		t.Fatal(err)
	}
	got := make([]byte, len(out[0]))
	for i, c := range out[0] {
		got[i] = byte(c)
	}
	if string(got) != text[8:] {
		t.Fatalf("generated %q, want %q", got, text[8:])
	}
}

func TestSaveLoadAndCache(t *testing.T) {
	t.Setenv("PEFTLAB_CACHE", t.TempDir())
	vit := ViTConfig{Transformer: TransformerConfig{Layers: 1, Dim: 8, Heads: 2}}
	builds := 0
	build := func(store *model.Store) error {
		builds++
		store.SetParam(model.ParamInitialSeed, int64(3))
		return peft.Materialize(backend.ForTests(), store, vit.Logits, images(1))
	}
	s1, info, err := Cached("vit-test", vit, build)
	if err != nil || info.FromCache || builds != 1 {
		t.Fatalf("first call: %v %+v builds=%d", err, info, builds)
	}
	s2, info, err := Cached("vit-test", vit, build)
	if err != nil || !info.FromCache || builds != 1 {
		t.Fatalf("second call must hit the cache: %v %+v builds=%d", err, info, builds)
	}
	x := images(2)
	y1 := tensors.MustCopyFlatData[float32](model.MustNewExec1(backend.ForTests(), s1, vit.Logits).MustCall(x))
	y2 := tensors.MustCopyFlatData[float32](model.MustNewExec1(backend.ForTests(), s2, vit.Logits).MustCall(x))
	for i := range y1 {
		if y1[i] != y2[i] {
			t.Fatal("the cached backbone gives other outputs")
		}
	}
	// Corrupt the cache: it is rebuilt, not used.
	files, _ := filepath.Glob(filepath.Join(info.Dir, "*.bin"))
	if len(files) == 0 {
		t.Fatal("no checkpoint file in the cache")
	}
	os.WriteFile(files[0], []byte("garbage"), 0o644)
	if _, info, err = Cached("vit-test", vit, build); err != nil || info.FromCache || builds != 2 {
		t.Fatalf("a corrupt cache must be rebuilt: %v %+v builds=%d", err, info, builds)
	}
	// Another config is another entry.
	other := vit
	other.Classes = 5
	if _, info, _ = Cached("vit-test", other, build); info.FromCache {
		t.Fatal("a different config must not reuse the cache")
	}
}

func TestFloat64Decoder(t *testing.T) {
	dec := DecoderConfig{Vocab: 8, Context: 4, DType: dtypes.Float64, Transformer: TransformerConfig{Layers: 1, Dim: 8, Heads: 2}}
	out := model.MustNewExec1(backend.ForTests(), model.NewStore(), dec.Logits).
		MustCall(tensors.FromValue([][]int32{{1, 2, 3, 4}}))
	if out.DType() != dtypes.Float64 {
		t.Fatalf("dtype %s", out.DType())
	}
}
