package bottleneck_test

import (
	"strings"
	"testing"

	"github.com/gomlx/compute/dtypes"
	"github.com/peftlab/peftlab/peftlib/backend"
	"github.com/peftlab/peftlab/peftlib/peft"

	tm "github.com/peftlab/peftlab/peftlib/internal/testmodel"
	"github.com/peftlab/peftlab/peftlib/tuners/bottleneck"
)

// params is the adapter size on every sub-layer of the test transformer: 2·d·b + b + d.
func params(sublayers, d, b int) int { return sublayers * (2*d*b + b + d) }

func TestPfeifferSequential(t *testing.T) {
	tm.CheckMethod(t, tm.MethodSpec{
		Config: bottleneck.Config{Size: 3},
		Model:  tm.Transformer, Inputs: tm.SeqInputs, Identity: true,
		Params: params(2, 8, 3),
	})
}

func TestHoulsbyWithLayerNormAndTanh(t *testing.T) {
	tm.CheckMethod(t, tm.MethodSpec{
		Config: bottleneck.Config{Sublayers: []string{"attn", "mlp"}, Size: 2, LayerNorm: true, Activation: "tanh"},
		Model:  tm.Transformer, Inputs: tm.SeqInputs, Identity: true,
		Params: params(4, 8, 2) + 4*2*8,
	})
}

func TestParallelWithoutResidual(t *testing.T) {
	tm.CheckMethod(t, tm.MethodSpec{
		Config: bottleneck.Config{Parallel: true, ReductionFactor: 4, Scaling: 2},
		Model:  tm.Transformer, Inputs: tm.SeqInputs, Identity: true,
		Params: params(2, 8, 2),
	})
}

func TestSequentialWithoutResidualBERTInit(t *testing.T) {
	// Without the residual a sequential adapter replaces the sub-layer's output: no identity.
	tm.CheckMethod(t, tm.MethodSpec{
		Config: bottleneck.Config{Residual: bottleneck.ResidualOff, Size: 4, InitBERT: true},
		Model:  tm.Transformer, Inputs: tm.SeqInputs,
		Params: params(2, 8, 4),
	})
}

func TestUnknownSublayerListsScopes(t *testing.T) {
	pm := peft.New(backend.ForTests(), tm.NewStoreFor(t, tm.Transformer, tm.SeqInputs(1, 0, dtypes.Float32)))
	err := pm.AddAdapter("x", bottleneck.Config{Sublayers: []string{"ffn"}})
	if err == nil || !strings.Contains(err.Error(), "/encoder/layer_1/mlp") {
		t.Fatalf("want an error listing the scopes, got %v", err)
	}
	if err := pm.AddAdapter("y", bottleneck.Config{Activation: "softsign"}); err == nil {
		t.Fatal("an unknown activation must be refused")
	}
}
