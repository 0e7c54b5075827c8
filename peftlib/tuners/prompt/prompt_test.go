package prompt_test

import (
	"strings"
	"testing"

	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/peftlab/peftlab/peftlib/backend"
	tm "github.com/peftlab/peftlab/peftlib/internal/testmodel"
	"github.com/peftlab/peftlab/peftlib/models"
	"github.com/peftlab/peftlab/peftlib/peft"
	"github.com/peftlab/peftlab/peftlib/tuners/prompt"
)

func TestShallowPromptTuning(t *testing.T) {
	tm.CheckMethod(t, tm.MethodSpec{
		Config: prompt.Config{NumVirtualTokens: 3},
		Model:  tm.Transformer, Inputs: tm.SeqInputs,
		Params: 3 * 8,
	})
}

func TestDeepPromptTuning(t *testing.T) {
	tm.CheckMethod(t, tm.MethodSpec{
		Config: prompt.Config{NumVirtualTokens: 2, Deep: true},
		Model:  tm.Transformer, Inputs: tm.SeqInputs,
		Params: 2 * 2 * 8,
	})
}

// TestViTKeepsCLSFirst: a ViT's prompts go after the CLS token; the output shape is unchanged.
func TestViTKeepsCLSFirst(t *testing.T) {
	vit := models.ViTConfig{Patch: 4, Classes: 3, Transformer: models.TransformerConfig{Layers: 1, Dim: 8, Heads: 2}}
	x := tensors.FromFlatDataAndDimensions(make([]float32, 2*8*8), 2, 8, 8, 1)
	store := tm.NewStoreFor(t, vit.Logits, x)
	pm := peft.New(backend.ForTests(), store)
	if err := pm.AddAdapter("p", prompt.Config{NumVirtualTokens: 4, Deep: true}); err != nil {
		t.Fatal(err)
	}
	out := model.MustNewExec1(backend.ForTests(), store, peft.Wrap(pm, vit.Logits)).MustCall(x)
	if d := out.Shape().Dimensions; d[0] != 2 || d[1] != 3 {
		t.Fatalf("logits %v", d)
	}
}

func TestAmbiguousStack(t *testing.T) {
	two := func(s *model.Scope, x *Node) *Node {
		cfg := models.TransformerConfig{Layers: 1, Dim: 8, Heads: 2}
		h := peft.Dense(s.In("embed"), x, true, 8)
		a := models.Blocks(s.In("left"), cfg, h, false, 0)
		b := models.Blocks(s.In("right"), cfg, h, false, 0)
		return ReduceSum(Add(a, b), 1)
	}
	pm := peft.New(backend.ForTests(), tm.NewStoreFor(t, two, tm.SeqInputs(1, 0, dtypes.Float32)))
	err := pm.AddAdapter("p", prompt.Config{})
	if err == nil || !strings.Contains(err.Error(), "set Config.Stack") {
		t.Fatalf("got %v", err)
	}
	if err := pm.AddAdapter("p", prompt.Config{Stack: "/left"}); err != nil {
		t.Fatal(err)
	}
}
