package ia3_test

import (
	"testing"

	tm "github.com/peftlab/peftlab/peftlib/internal/testmodel"
	"github.com/peftlab/peftlab/peftlib/peft"
	"github.com/peftlab/peftlab/peftlib/tuners/ia3"
)

func TestIA3OnTransformer(t *testing.T) {
	// key and value: out=8 each; down: in=MLPDim=16; two layers.
	tm.CheckMethod(t, tm.MethodSpec{
		Config: ia3.Config{},
		Model:  tm.Transformer, Inputs: tm.SeqInputs, Identity: true, Mergeable: true,
		Params: 2 * (8 + 8 + 16),
	})
}

func TestIA3OnPlainGoMLXLayers(t *testing.T) {
	tm.CheckMethod(t, tm.MethodSpec{
		Config: ia3.Config{Targets: peft.Modules("plain", "aware"), FeedForward: []string{"aware"}},
		Model:  tm.MLP, Inputs: tm.Inputs, Identity: true, Mergeable: true,
		Params: tm.Hidden + tm.Hidden,
	})
}
