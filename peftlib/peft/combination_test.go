package peft_test

import (
	"strings"
	"testing"

	"github.com/gomlx/compute/dtypes"
	"github.com/peftlab/peftlab/peftlib/backend"
	tm "github.com/peftlab/peftlab/peftlib/internal/testmodel"
	"github.com/peftlab/peftlab/peftlib/peft"
	"github.com/peftlab/peftlab/peftlib/tuners/bottleneck"
	"github.com/peftlab/peftlab/peftlib/tuners/ia3"
	"github.com/peftlab/peftlab/peftlib/tuners/lora"
	"github.com/peftlab/peftlab/peftlib/tuners/prefix"
)

// TestPrefixPlusParallelAdapter: two methods active at once (He et al.'s "MAM"-style
// union) both train, and each saves and reloads on its own.
func TestPrefixPlusParallelAdapter(t *testing.T) {
	store := tm.NewStoreFor(t, tm.Transformer, tm.SeqInputs(2, 0, dtypes.Float32))
	pm := peft.New(backend.ForTests(), store)
	if err := pm.AddAdapter("prefix", prefix.Config{NumVirtualTokens: 2}); err != nil {
		t.Fatal(err)
	}
	if err := pm.AddAdapter("parallel", bottleneck.Config{Parallel: true, Size: 2}); err != nil {
		t.Fatal(err)
	}
	if err := pm.SetAdapter("prefix", "parallel"); err != nil {
		t.Fatal(err)
	}
	want := 2*2*2*8 + 2*(2*8*2+2+8)
	if c := pm.CountParameters(); c.Trainable != want {
		t.Fatalf("%d trainable, want prefix + parallel = %d", c.Trainable, want)
	}
	fn := peft.Wrap(pm, tm.Transformer)
	x := tm.SeqInputs(32, 1, dtypes.Float32)
	before := tm.Snapshot(store)
	tm.Train(t, store, fn, x, tm.Labels(x, 1), 10, 0.02)
	after := tm.Snapshot(store)
	for _, prefixOf := range []string{"/peft/prefix/", "/peft/parallel/"} {
		moved := false
		for path, v := range before {
			if strings.HasPrefix(path, prefixOf) && tm.MaxRelDiff(after[path], v) != 0 {
				moved = true
			}
		}
		if !moved {
			t.Errorf("no variable of %s trained", prefixOf)
		}
	}
	out := tm.Run(t, store, fn, x)
	dir := t.TempDir()
	if err := pm.SaveAdapter(dir); err != nil {
		t.Fatal(err)
	}
	pm2 := peft.New(backend.ForTests(), tm.NewStoreFor(t, tm.Transformer, tm.SeqInputs(2, 0, dtypes.Float32)))
	for _, n := range []string{"prefix", "parallel"} {
		if err := pm2.LoadAdapter(dir, n); err != nil {
			t.Fatal(err)
		}
	}
	if err := pm2.SetAdapter("prefix", "parallel"); err != nil {
		t.Fatal(err)
	}
	if d := tm.MaxRelDiff(tm.Run(t, pm2.Store(), peft.Wrap(pm2, tm.Transformer), x), out); d != 0 {
		t.Fatalf("reloaded combination differs by %g", d)
	}
}

// TestLoRAActivationFormWithIA3OnTheSameWeight: when another adapter transforms a weight
// without a hook, LoRA falls back to the weight form, so both take effect.
func TestLoRAActivationFormWithIA3OnTheSameWeight(t *testing.T) {
	run := func(form lora.Form) []float64 {
		store := tm.NewStoreFor(t, tm.Transformer, tm.SeqInputs(2, 0, dtypes.Float32))
		pm := peft.New(backend.ForTests(), store)
		if err := pm.AddAdapter("lora", lora.Config{R: 2, Targets: peft.Modules("value"), Form: form, Seed: 1}); err != nil {
			t.Fatal(err)
		}
		if err := pm.AddAdapter("ia3", ia3.Config{}); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"lora", "ia3"} {
			for _, v := range pm.Adapter(name).Variables() {
				vals := tm.Floats(v.MustValue())
				f := make([]float32, len(vals))
				for i := range f {
					f[i] = float32(vals[i] + 0.1*float64(i%5))
				}
				v.MustSetValue(tensorOf(f, v.Shape().Dimensions))
			}
		}
		if err := pm.SetAdapter("lora", "ia3"); err != nil {
			t.Fatal(err)
		}
		return tm.Run(t, store, peft.Wrap(pm, tm.Transformer), tm.SeqInputs(4, 3, dtypes.Float32))
	}
	if d := tm.MaxRelDiff(run(lora.FormActivation), run(lora.FormWeight)); d > 1e-5 {
		t.Fatalf("the two forms disagree by %g when IA³ also scales the weight", d)
	}
}
