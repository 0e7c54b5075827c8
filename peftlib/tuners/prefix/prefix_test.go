package prefix_test

import (
	"testing"

	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/peftlab/peftlab/peftlib/backend"
	tm "github.com/peftlab/peftlab/peftlib/internal/testmodel"
	"github.com/peftlab/peftlab/peftlib/models"
	"github.com/peftlab/peftlab/peftlib/peft"
	"github.com/peftlab/peftlab/peftlib/tuners/prefix"
)

func TestPrefixTuning(t *testing.T) {
	// L·layers·2·d = 3·2·2·8.
	tm.CheckMethod(t, tm.MethodSpec{
		Config: prefix.Config{NumVirtualTokens: 3},
		Model:  tm.Transformer, Inputs: tm.SeqInputs,
		Params: 3 * 2 * 2 * 8,
	})
}

func TestPrefixTuningWithProjection(t *testing.T) {
	// embedding L·d + d·h + h + h·(layers·2·d) + layers·2·d, with h = 5.
	tm.CheckMethod(t, tm.MethodSpec{
		Config: prefix.Config{NumVirtualTokens: 2, Projection: true, ProjectionHidden: 5},
		Model:  tm.Transformer, Inputs: tm.SeqInputs,
		Params: 2*8 + 8*5 + 5 + 5*32 + 32,
	})
}

// TestPrefixIsVisibleUnderCausalMask: in a causal decoder, the first token must attend to
// the prefixes (so its logits change) while still ignoring later tokens.
func TestPrefixIsVisibleUnderCausalMask(t *testing.T) {
	dec := models.DecoderConfig{Vocab: 10, Context: 5, Transformer: models.TransformerConfig{Layers: 1, Dim: 8, Heads: 2}}
	tokens := tensors.FromValue([][]int32{{1, 2, 3, 4, 5}})
	store := tm.NewStoreFor(t, func(s *model.Scope, x *Node) *Node { return dec.Logits(s, x) }, tokens)
	pm := peft.New(backend.ForTests(), store)
	if err := pm.AddAdapter("p", prefix.Config{NumVirtualTokens: 2}); err != nil {
		t.Fatal(err)
	}
	run := func(fn func(*model.Scope, *Node) *Node, x *tensors.Tensor) []float64 {
		return tm.Run(t, store, fn, x)
	}
	base := run(dec.Logits, tokens)
	with := run(peft.Wrap(pm, dec.Logits), tokens)
	if tm.MaxRelDiff(with[:10], base[:10]) == 0 {
		t.Fatal("the first position does not see the prefix")
	}
	other := run(peft.Wrap(pm, dec.Logits), tensors.FromValue([][]int32{{1, 9, 9, 9, 9}}))
	for i := 0; i < 10; i++ {
		if other[i] != with[i] {
			t.Fatal("with a prefix, position 0 now sees future tokens")
		}
	}
}
