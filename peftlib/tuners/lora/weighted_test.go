package lora_test

import (
	"testing"

	"github.com/gomlx/compute/dtypes"
	"github.com/peftlab/peftlab/peftlib/backend"
	tm "github.com/peftlab/peftlab/peftlib/internal/testmodel"
	"github.com/peftlab/peftlab/peftlib/peft"
	"github.com/peftlab/peftlab/peftlib/tuners/lora"
)

// TestAddWeightedIsExactSum: merging the weighted adapter equals merging 0.7·ΔW₁ + 0.3·ΔW₂.
func TestAddWeightedIsExactSum(t *testing.T) {
	store := tm.NewStore(t, dtypes.Float32)
	pm := peft.New(backend.ForTests(), store)
	fn := peft.Wrap(pm, tm.MLP)
	x := tm.Inputs(32, 1, dtypes.Float32)
	for i, name := range []string{"a", "b"} {
		if err := pm.AddAdapter(name, lora.Config{R: 2 + i, Alpha: 4, Targets: both, Seed: uint64(i)}); err != nil {
			t.Fatal(err)
		}
		tm.Train(t, store, fn, x, tm.Labels(x, i+1), 10, 0.05)
	}
	if err := lora.AddWeighted(pm, "mix", []string{"a", "b"}, []float64{0.7, 0.3}); err != nil {
		t.Fatal(err)
	}
	got := tm.Run(t, store, fn, x)

	// Reference: the base weights plus 0.7·ΔW_a + 0.3·ΔW_b, by merging scaled copies.
	ref := peft.New(backend.ForTests(), tm.NewStore(t, dtypes.Float32))
	for _, w := range []struct {
		name string
		k    float64
	}{{"a", 0.7}, {"b", 0.3}} {
		src := pm.Adapter(w.name).(*lora.Adapter)
		c := src.Config()
		c.Alpha *= w.k // scales ΔW by k
		if err := ref.AddAdapter(w.name, c); err != nil {
			t.Fatal(err)
		}
		for i, v := range ref.Adapter(w.name).Variables() {
			v.MustSetValue(src.Variables()[i].MustValue())
		}
		if err := ref.Merge(w.name); err != nil {
			t.Fatal(err)
		}
	}
	want := tm.Run(t, ref.Store(), tm.MLP, x)
	if d := tm.MaxRelDiff(got, want); d > 1e-5 {
		t.Fatalf("the weighted adapter differs from the weighted sum by %g", d)
	}
	if r := pm.Targets("mix"); len(r) != 2 {
		t.Fatalf("mix adapts %d weights", len(r))
	}
	if err := lora.AddWeighted(pm, "bad", []string{"a"}, []float64{1, 2}); err == nil {
		t.Fatal("mismatched weights must be refused")
	}
}
