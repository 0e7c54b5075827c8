package peft_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/checkpoint"
	"github.com/peftlab/peftlab/peftlib/backend"
	tm "github.com/peftlab/peftlab/peftlib/internal/testmodel"
	"github.com/peftlab/peftlab/peftlib/peft"
	"github.com/peftlab/peftlab/peftlib/tuners/lora"
)

func TestFreezingSurvivesCheckpointLoad(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "base")
	x := tm.Inputs(32, 1, dtypes.Float32)
	{ // Pretrain the base fully and save it with its optimizer state.
		store := tm.NewStore(t, dtypes.Float32)
		tm.Train(t, store, tm.MLP, x, tm.Labels(x, 0), 5, 0.05)
		h := checkpoint.Build(store).Dir(dir).MustDone()
		if err := h.Save(); err != nil {
			t.Fatal(err)
		}
	}
	store := model.NewStore()
	checkpoint.Build(store).Dir(dir).Immediate().MustDone()
	for v := range store.IterVariables() {
		if !v.Trainable && strings.HasPrefix(v.Path(), "/aware") {
			t.Fatalf("precondition: GoMLX restores %s as not trainable", v.Path())
		}
	}
	pm := peft.New(backend.ForTests(), store)
	if err := pm.AddAdapter("default", lora.Config{R: 2, Targets: peft.Modules("aware")}); err != nil {
		t.Fatal(err)
	}
	before := tm.Snapshot(store)
	tm.Train(t, store, peft.Wrap(pm, tm.MLP), x, tm.Labels(x, 1), 5, 0.05)
	after := tm.Snapshot(store)
	for path, v := range before {
		if !strings.HasPrefix(path, "/peft/") && strings.HasPrefix(path, "/aware") && tm.MaxRelDiff(after[path], v) != 0 {
			t.Fatalf("base variable %s trained after a checkpoint load", path)
		}
	}
}

func TestModulesToSaveTrainAndRoundTrip(t *testing.T) {
	store := tm.NewStore(t, dtypes.Float32)
	pm := peft.New(backend.ForTests(), store)
	pm.ModulesToSave = []string{"/head"}
	if err := pm.AddAdapter("default", lora.Config{R: 2, Targets: peft.Modules("aware")}); err != nil {
		t.Fatal(err)
	}
	c := pm.CountParameters()
	head := tm.Hidden*tm.Classes + tm.Classes
	lora := 2 * (tm.Hidden + tm.Hidden)
	if c.Trainable != head+lora || c.Adapter != lora {
		t.Fatalf("counts %+v, want trainable %d (head %d + lora %d)", c, head+lora, head, lora)
	}
	if !strings.Contains(c.String(), "trainable params: ") {
		t.Fatal(c.String())
	}
	x := tm.Inputs(32, 1, dtypes.Float32)
	fn := peft.Wrap(pm, tm.MLP)
	tm.Train(t, store, fn, x, tm.Labels(x, 2), 10, 0.05)
	want := tm.Run(t, store, fn, x)
	dir := t.TempDir()
	if err := pm.SaveAdapter(dir); err != nil {
		t.Fatal(err)
	}
	pm2 := peft.New(backend.ForTests(), tm.NewStore(t, dtypes.Float32))
	if err := pm2.LoadAdapter(dir, "default"); err != nil {
		t.Fatal(err)
	}
	if d := tm.MaxRelDiff(tm.Run(t, pm2.Store(), peft.Wrap(pm2, tm.MLP), x), want); d != 0 {
		t.Fatalf("reloaded adapter + head differ by %g", d)
	}
}

func TestLoadErrors(t *testing.T) {
	pm := peft.New(backend.ForTests(), tm.NewStore(t, dtypes.Float32))
	if err := pm.LoadAdapter(t.TempDir(), "default"); err == nil || !strings.Contains(err.Error(), "not an adapter directory") {
		t.Fatalf("got %v", err)
	}
	if err := pm.AddAdapter("bad name!", lora.Config{Targets: peft.Modules("aware")}); err == nil {
		t.Fatal("a bad adapter name must be refused")
	}
	if err := pm.AddAdapter("x", lora.Config{Targets: peft.Modules("nothing")}); err == nil {
		t.Fatal("targets matching nothing must be an error")
	}
	if len(pm.Adapters()) != 0 {
		t.Fatal("a failed AddAdapter left an adapter")
	}
	if err := pm.AddAdapter("x", lora.Config{Targets: peft.Modules("aware")}); err != nil {
		t.Fatal(err)
	}
	other := peft.New(backend.ForTests(), pm.Store())
	if err := other.AddAdapter("x", lora.Config{Targets: peft.Modules("plain")}); err == nil ||
		!strings.Contains(err.Error(), "already holds variables") {
		t.Fatalf("a second Model reusing an adapter name on the same store: %v", err)
	}
	if err := pm.DeleteAdapter("x"); err != nil {
		t.Fatal(err)
	}
	for v := range pm.Store().IterVariables() {
		if strings.HasPrefix(v.Path(), "/peft") {
			t.Fatalf("variable %s left behind", v.Path())
		}
	}
}

func TestMergedModelSavesAsPlainCheckpoint(t *testing.T) {
	store := tm.NewStore(t, dtypes.Float32)
	pm := peft.New(backend.ForTests(), store)
	if err := pm.AddAdapter("default", lora.Config{R: 2, Targets: peft.AllLinear()}); err != nil {
		t.Fatal(err)
	}
	x := tm.Inputs(32, 1, dtypes.Float32)
	fn := peft.Wrap(pm, tm.MLP)
	tm.Train(t, store, fn, x, tm.Labels(x, 1), 10, 0.05)
	want := tm.Run(t, store, fn, x)
	if err := pm.MergeAndUnload(); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "merged")
	if err := checkpoint.Build(store).Dir(dir).ExcludeAllParams().MustDone().Save(); err != nil {
		t.Fatal(err)
	}
	fresh := model.NewStore()
	checkpoint.Build(fresh).Dir(dir).Immediate().MustDone()
	if d := tm.MaxRelDiff(tm.Run(t, fresh, tm.MLP, x), want); d > 1e-5 {
		t.Fatalf("the merged checkpoint, run without adapter code, differs by %g", d)
	}
}

// ExampleWrap adds LoRA to a GoMLX model, lists what it adapts and counts what trains.
func ExampleWrap() {
	backend := backend.ForTests()
	store := model.NewStore()
	// Any GoMLX model function; here an MLP with a "plain" layers.Dense, a peft-aware
	// peft.Dense ("aware") and a "head".
	if err := peft.Materialize(backend, store, tm.MLP, tm.Inputs(1, 0, dtypes.Float32)); err != nil {
		panic(err)
	}
	pm := peft.New(backend, store)
	err := pm.AddAdapter("default", lora.Config{R: 4, Alpha: 8, Targets: peft.AllLinear()})
	if err != nil {
		panic(err)
	}
	for _, t := range pm.Adapter("default").(*lora.Adapter).Targets() {
		fmt.Println("adapting", t)
	}
	pm.PrintTrainableParameters()
	fn := peft.Wrap(pm, tm.MLP) // same signature as tm.MLP: give it to train.NewTrainer
	_ = fn
	// Output:
	// adapting /aware/dense (dense 8×8)
	// adapting /plain/dense (dense 6×8)
	// trainable params: 120 || all params: 275 || trainable%: 43.6364
}
