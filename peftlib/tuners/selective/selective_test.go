package selective_test

import (
	"testing"

	"github.com/gomlx/compute/dtypes"
	"github.com/peftlab/peftlab/peftlib/backend"
	tm "github.com/peftlab/peftlab/peftlib/internal/testmodel"
	"github.com/peftlab/peftlab/peftlib/peft"
	"github.com/peftlab/peftlab/peftlib/tuners/selective"
)

func TestBitFit(t *testing.T) {
	tm.CheckMethod(t, tm.MethodSpec{
		Config: selective.BitFit{}, Model: tm.MLP, Inputs: tm.Inputs, Identity: true, Mergeable: true,
		Params: tm.Hidden + tm.Hidden + tm.Classes,
	})
}

func TestBitFitOnTransformerIncludesNormOffsets(t *testing.T) {
	// embed 8 + per layer (q,k,v,o 4·8 + up 16 + down 8 + two norm offsets 2·8) + final norm 8 + head 3.
	tm.CheckMethod(t, tm.MethodSpec{
		Config: selective.BitFit{}, Model: tm.Transformer, Inputs: tm.SeqInputs, Identity: true, Mergeable: true,
		Params: 8 + 2*(4*8+16+8+2*8) + 8 + tm.Classes,
	})
}

func TestLinearProbe(t *testing.T) {
	tm.CheckMethod(t, tm.MethodSpec{
		Config: selective.LinearProbe{}, Model: tm.Transformer, Inputs: tm.SeqInputs, Identity: true, Mergeable: true,
		Params: 8*tm.Classes + tm.Classes,
	})
}

func TestFull(t *testing.T) {
	store := tm.NewStore(t, dtypes.Float32)
	total := peft.New(backend.ForTests(), store).CountParameters().Total
	tm.CheckMethod(t, tm.MethodSpec{
		Config: selective.Full{}, Model: tm.MLP, Inputs: tm.Inputs, Identity: true, Mergeable: true,
		Params: total,
	})
}
