package peft_test

import (
	"testing"

	"github.com/gomlx/gomlx/core/tensors"
	"github.com/peftlab/peftlab/peftlib/backend"
	tm "github.com/peftlab/peftlab/peftlib/internal/testmodel"
	"github.com/peftlab/peftlab/peftlib/models"
	"github.com/peftlab/peftlab/peftlib/peft"
	"github.com/peftlab/peftlab/peftlib/tuners/bottleneck"
	"github.com/peftlab/peftlab/peftlib/tuners/ia3"
	"github.com/peftlab/peftlab/peftlib/tuners/lora"
	"github.com/peftlab/peftlab/peftlib/tuners/prefix"
	"github.com/peftlab/peftlab/peftlib/tuners/prompt"
	"github.com/peftlab/peftlab/peftlib/tuners/selective"
)

// TestMethodTableCounts checks the "for the reference transformer" column of the methods
// table in the README and peft's documentation: the quickstart ViT (d=64, 2 layers, MLP 256,
// 7×7 patches, 10 classes, 105,098 parameters).
func TestMethodTableCounts(t *testing.T) {
	vit := models.ViTConfig{Transformer: models.TransformerConfig{Layers: 2, Dim: 64, Heads: 4}}
	x := tensors.FromFlatDataAndDimensions(make([]float32, 28*28), 1, 28, 28, 1)
	cases := []struct {
		name string
		cfg  peft.Config
		want int
	}{
		{"LoRA r=8 on query, value", lora.Config{R: 8, Targets: peft.Modules("query", "value")}, 4096},
		{"LoRA r=8 all-linear", lora.Config{R: 8, Targets: peft.AllLinear()}, 19336},
		{"series (Pfeiffer), b=d/16", bottleneck.Config{}, 1160},
		{"series (Houlsby), b=d/16", bottleneck.Config{Sublayers: []string{"attn", "mlp"}}, 2320},
		{"parallel on MLP, b=d/16", bottleneck.Config{Parallel: true}, 1160},
		{"prefix, L=10", prefix.Config{}, 2560},
		{"prompt, P=10", prompt.Config{}, 640},
		{"prompt deep, P=10", prompt.Config{Deep: true}, 1280},
		{"(IA)3", ia3.Config{}, 768},
		{"BitFit", selective.BitFit{}, 1546},
		{"linear probe", selective.LinearProbe{}, 650},
		{"full fine-tuning", selective.Full{}, 105098},
	}
	for _, c := range cases {
		pm := peft.New(backend.ForTests(), tm.NewStoreFor(t, vit.Logits, x))
		if err := pm.AddAdapter("a", c.cfg); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := pm.CountParameters().Trainable; got != c.want {
			t.Errorf("%s: %d trainable parameters, the table says %d", c.name, got, c.want)
		}
	}
}
