package lora_test

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/peftlab/peftlab/peftlib/backend"
	tm "github.com/peftlab/peftlab/peftlib/internal/testmodel"
	"github.com/peftlab/peftlab/peftlib/peft"
	"github.com/peftlab/peftlab/peftlib/safetensors"
	"github.com/peftlab/peftlab/peftlib/tuners/lora"
)

func newLoRA(t *testing.T, dtype dtypes.DType, cfg lora.Config) (*peft.Model, func(*model.Scope, *Node) *Node) {
	store := tm.NewStore(t, dtype)
	pm := peft.New(backend.ForTests(), store)
	if err := pm.AddAdapter("default", cfg); err != nil {
		t.Fatal(err)
	}
	return pm, peft.Wrap(pm, tm.MLP)
}

var both = peft.Modules("plain", "aware")

func TestZeroInitLeavesOutputsUnchanged(t *testing.T) {
	for _, form := range []lora.Form{lora.FormWeight, lora.FormActivation} {
		pm, fn := newLoRA(t, dtypes.Float32, lora.Config{R: 4, Targets: both, Form: form})
		x := tm.Inputs(16, 1, dtypes.Float32)
		want := tm.Run(t, pm.Store(), tm.MLP, x)
		if got := tm.Run(t, pm.Store(), fn, x); tm.MaxRelDiff(got, want) != 0 {
			t.Fatalf("form %d: a fresh LoRA adapter changed the outputs by %g", form, tm.MaxRelDiff(got, want))
		}
	}
}

func TestBothFormsAgree(t *testing.T) {
	pm, _ := trained(t, lora.Config{R: 4, Targets: both, Seed: 8})
	x := tm.Inputs(16, 4, dtypes.Float32)
	weight := tm.Run(t, pm.Store(), peft.Wrap(pm, tm.MLP), x)
	// The same trained variables in an adapter built with FormActivation.
	pm2 := peft.New(backend.ForTests(), tm.NewStore(t, dtypes.Float32))
	cfg := lora.Config{R: 4, Targets: both, Form: lora.FormActivation}
	if err := pm2.AddAdapter("default", cfg); err != nil {
		t.Fatal(err)
	}
	for i, v := range pm2.Adapter("default").Variables() {
		v.MustSetValue(pm.Adapter("default").Variables()[i].MustValue())
	}
	activation := tm.Run(t, pm2.Store(), peft.Wrap(pm2, tm.MLP), x)
	if d := tm.MaxRelDiff(activation, weight); d > 1e-5 || d == 0 {
		t.Fatalf("weight and activation forms differ by %g (want rounding only)", d)
	}
}

func TestOnlyAdapterVariablesTrain(t *testing.T) {
	pm, fn := newLoRA(t, dtypes.Float32, lora.Config{R: 4, Targets: both, Seed: 3})
	x := tm.Inputs(64, 1, dtypes.Float32)
	before := tm.Snapshot(pm.Store())
	tm.Train(t, pm.Store(), fn, x, tm.Labels(x, 1), 20, 0.05)
	after := tm.Snapshot(pm.Store())
	changedAdapter := 0
	for path, old := range before {
		changed := tm.MaxRelDiff(after[path], old) != 0
		isAdapter := strings.HasPrefix(path, "/peft/")
		if changed && !isAdapter {
			t.Errorf("base variable %s changed", path)
		}
		if changed && isAdapter {
			changedAdapter++
		}
	}
	// Both B matrices must move (A moves once B is non-zero).
	if changedAdapter < 3 {
		t.Fatalf("only %d adapter variables changed", changedAdapter)
	}
	c := pm.CountParameters()
	wantAdapter := (tm.In*4 + 4*tm.Hidden) + (tm.Hidden*4 + 4*tm.Hidden)
	if c.Adapter != wantAdapter || c.Trainable != wantAdapter {
		t.Fatalf("counts %+v, want %d adapter parameters (r·(in+out) per target)", c, wantAdapter)
	}
}

// TestGradientsMatchFiniteDifferences checks d(loss)/d(A, B) on both injection forms.
func TestGradientsMatchFiniteDifferences(t *testing.T) {
	for _, form := range []lora.Form{lora.FormWeight, lora.FormActivation} {
		checkGradients(t, form)
	}
}

func checkGradients(t *testing.T, form lora.Form) {
	pm, fn := newLoRA(t, dtypes.Float64, lora.Config{R: 2, Targets: both, InitGaussian: true, Seed: 5, Form: form})
	// Make B non-zero so every gradient is informative.
	for _, v := range pm.Adapter("default").Variables() {
		vals := tm.Floats(v.MustValue())
		for i := range vals {
			vals[i] += 0.1 * math.Sin(float64(i+1))
		}
		v.MustSetValue(tensorsFrom(vals, v.Shape().Dimensions))
	}
	x := tm.Inputs(5, 9, dtypes.Float64)
	lossFn := func(scope *model.Scope, x *Node) *Node { return ReduceAllSum(Square(fn(scope, x))) }
	vars := pm.Adapter("default").Variables()
	grads := model.MustNewExec(backend.ForTests(), pm.Store(), func(scope *model.Scope, x *Node) []*Node {
		l := lossFn(scope, x)
		nodes := make([]*Node, len(vars))
		for i, v := range vars {
			nodes[i] = v.NodeValue(x.Graph())
		}
		return Gradient(l, nodes...)
	})
	lossExec := model.MustNewExec(backend.ForTests(), pm.Store(), lossFn)
	gs, err := grads.Exec(x)
	if err != nil {
		t.Fatal(err)
	}
	const eps = 1e-6
	for i, v := range vars {
		analytic := tm.Floats(gs[i])
		vals := tm.Floats(v.MustValue())
		for _, k := range []int{0, len(vals) / 2, len(vals) - 1} {
			orig := vals[k]
			eval := func(val float64) float64 {
				vals[k] = val
				v.MustSetValue(tensorsFrom(vals, v.Shape().Dimensions))
				out, err := lossExec.Exec(x)
				if err != nil {
					t.Fatal(err)
				}
				return tm.Floats(out[0])[0]
			}
			numeric := (eval(orig+eps) - eval(orig-eps)) / (2 * eps)
			eval(orig)
			if d := math.Abs(numeric-analytic[k]) / max(1, math.Abs(numeric)); d > 1e-6 {
				t.Errorf("form %d, %s[%d]: analytic %g, finite differences %g", form, v.Path(), k, analytic[k], numeric)
			}
		}
	}
}

func trained(t *testing.T, cfg lora.Config) (*peft.Model, func(*model.Scope, *Node) *Node) {
	pm, fn := newLoRA(t, dtypes.Float32, cfg)
	x := tm.Inputs(64, 1, dtypes.Float32)
	tm.Train(t, pm.Store(), fn, x, tm.Labels(x, 1), 30, 0.05)
	return pm, fn
}

func TestMergedEqualsUnmerged(t *testing.T) {
	pm, fn := trained(t, lora.Config{R: 4, Alpha: 8, Targets: both, Seed: 1})
	x := tm.Inputs(32, 2, dtypes.Float32)
	unmerged := tm.Run(t, pm.Store(), fn, x)
	base := tm.Snapshot(pm.Store())
	if err := pm.Merge(); err != nil {
		t.Fatal(err)
	}
	// Merged: the adapter is no longer applied, the plain model gives the same outputs.
	if d := tm.MaxRelDiff(tm.Run(t, pm.Store(), tm.MLP, x), unmerged); d > 1e-5 {
		t.Fatalf("merged differs from unmerged by %g", d)
	}
	if d := tm.MaxRelDiff(tm.Run(t, pm.Store(), fn, x), unmerged); d > 1e-5 {
		t.Fatalf("wrapped model after merge differs by %g (adapter applied twice?)", d)
	}
	if err := pm.Unmerge(); err != nil {
		t.Fatal(err)
	}
	after := tm.Snapshot(pm.Store())
	for path, v := range base {
		if d := tm.MaxRelDiff(after[path], v); d > 1e-6 {
			t.Errorf("unmerge left %s off by %g", path, d)
		}
	}
}

func TestMergeAndUnloadGivesPlainModel(t *testing.T) {
	pm, fn := trained(t, lora.Config{R: 4, Targets: both, Seed: 2})
	x := tm.Inputs(8, 3, dtypes.Float32)
	want := tm.Run(t, pm.Store(), fn, x)
	if err := pm.MergeAndUnload(); err != nil {
		t.Fatal(err)
	}
	for v := range pm.Store().IterVariables() {
		if strings.HasPrefix(v.Path(), "/peft") {
			t.Fatalf("adapter variable %s left after MergeAndUnload", v.Path())
		}
	}
	if d := tm.MaxRelDiff(tm.Run(t, pm.Store(), tm.MLP, x), want); d > 1e-5 {
		t.Fatalf("unloaded model differs by %g", d)
	}
}

func TestSaveLoadIsExact(t *testing.T) {
	pm, fn := trained(t, lora.Config{R: 4, Alpha: 16, Targets: both, RankPattern: map[string]int{"aware": 2}, Seed: 4})
	x := tm.Inputs(16, 5, dtypes.Float32)
	want := tm.Run(t, pm.Store(), fn, x)
	dir := t.TempDir()
	if err := pm.SaveAdapter(dir, "default"); err != nil {
		t.Fatal(err)
	}
	// The files follow Hugging Face PEFT's layout.
	var cfg map[string]any
	raw, _ := os.ReadFile(filepath.Join(dir, peft.ConfigFile))
	if err := json.Unmarshal(raw, &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg["peft_type"] != "LORA" || cfg["r"] != 4.0 || cfg["lora_alpha"] != 16.0 {
		t.Fatalf("adapter_config.json: %v", cfg)
	}
	file, err := safetensors.ReadFile(filepath.Join(dir, peft.WeightsFile))
	if err != nil {
		t.Fatal(err)
	}
	a := file.Tensors["base_model.model.plain.dense.lora_A.weight"]
	b := file.Tensors["base_model.model.aware.dense.lora_B.weight"]
	if len(a.Shape) != 2 || a.Shape[0] != 4 || a.Shape[1] != tm.In || b.Shape[0] != tm.Hidden || b.Shape[1] != 2 {
		t.Fatalf("lora_A %v (want [4 %d]), lora_B %v (want [%d 2])", a.Shape, tm.In, b.Shape, tm.Hidden)
	}
	// A fresh base with the adapter loaded gives the same outputs, bit for bit.
	pm2 := peft.New(backend.ForTests(), tm.NewStore(t, dtypes.Float32))
	if err := pm2.LoadAdapter(dir, "default"); err != nil {
		t.Fatal(err)
	}
	got := tm.Run(t, pm2.Store(), peft.Wrap(pm2, tm.MLP), x)
	if d := tm.MaxRelDiff(got, want); d != 0 {
		t.Fatalf("loaded adapter differs by %g", d)
	}
}

func TestLoadRejectsMismatchedFiles(t *testing.T) {
	pm, _ := newLoRA(t, dtypes.Float32, lora.Config{R: 4, Targets: both})
	dir := t.TempDir()
	if err := pm.SaveAdapter(dir); err != nil {
		t.Fatal(err)
	}
	weights := filepath.Join(dir, peft.WeightsFile)
	good, _ := os.ReadFile(weights)
	file, _ := safetensors.Parse(good)
	rewrite := func(f *safetensors.File) {
		var b bytes.Buffer
		if err := safetensors.Write(&b, f); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(weights, b.Bytes(), 0o644)
	}
	keyA := "base_model.model.plain.dense.lora_A.weight"
	cases := []struct {
		name, want string
		corrupt    func()
	}{
		{"wrong shape", "shape [3 6] in the file, the model needs [4 6]", func() {
			f := cloneFile(file)
			f.Tensors[keyA] = safetensors.FromFloat32s(make([]float32, 18), 3, 6)
			rewrite(f)
		}},
		{"missing tensor", "is missing", func() {
			f := cloneFile(file)
			delete(f.Tensors, keyA)
			rewrite(f)
		}},
		{"unexpected tensor", "no place for", func() {
			f := cloneFile(file)
			f.Tensors["base_model.model.other.lora_A.weight"] = f.Tensors[keyA]
			rewrite(f)
		}},
		{"truncated header", "exceeds the file", func() { os.WriteFile(weights, good[:40], 0o644) }},
		{"wrong dtype", "dtype F64 in the file", func() {
			f := cloneFile(file)
			st := f.Tensors[keyA]
			st.DType, st.Shape = "F64", []int{4, 3}
			f.Tensors[keyA] = st
			rewrite(f)
		}},
	}
	for _, c := range cases {
		c.corrupt()
		pm2 := peft.New(backend.ForTests(), tm.NewStore(t, dtypes.Float32))
		err := pm2.LoadAdapter(dir, "default")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error containing %q", c.name, err, c.want)
		}
		if len(pm2.Adapters()) != 0 {
			t.Errorf("%s: a failed load left adapter %v attached", c.name, pm2.Adapters())
		}
	}
}

func TestTwoAdaptersOnOneBase(t *testing.T) {
	store := tm.NewStore(t, dtypes.Float32)
	pm := peft.New(backend.ForTests(), store)
	fn := peft.Wrap(pm, tm.MLP)
	x := tm.Inputs(64, 1, dtypes.Float32)
	base := tm.Run(t, store, tm.MLP, x)
	for i, name := range []string{"task_a", "task_b"} {
		if err := pm.AddAdapter(name, lora.Config{R: 4, Targets: both, Seed: uint64(i)}); err != nil {
			t.Fatal(err)
		}
		tm.Train(t, store, fn, x, tm.Labels(x, i+1), 25, 0.05)
	}
	outputs := map[string][]float64{}
	for _, name := range []string{"task_a", "task_b"} {
		if err := pm.SetAdapter(name); err != nil {
			t.Fatal(err)
		}
		outputs[name] = tm.Run(t, store, fn, x)
	}
	if tm.MaxRelDiff(outputs["task_a"], outputs["task_b"]) < 1e-3 {
		t.Fatal("two adapters trained on different tasks give the same outputs")
	}
	// task_a must not have moved while task_b trained: rerun it alone after deleting task_b.
	pm.SetDisabled(true)
	if d := tm.MaxRelDiff(tm.Run(t, store, fn, x), base); d != 0 {
		t.Fatalf("disabled adapters still change outputs by %g", d)
	}
	pm.SetDisabled(false)
	if err := pm.DeleteAdapter("task_b"); err != nil {
		t.Fatal(err)
	}
	if err := pm.SetAdapter("task_b"); err == nil {
		t.Fatal("a deleted adapter can still be selected")
	}
	if err := pm.SetAdapter("task_a"); err != nil {
		t.Fatal(err)
	}
	if d := tm.MaxRelDiff(tm.Run(t, store, fn, x), outputs["task_a"]); d != 0 {
		t.Fatalf("task_a changed by %g after deleting task_b", d)
	}
}

func TestDropoutOnPlainLayerWarnsAndAwareLayerDrops(t *testing.T) {
	pm, fn := newLoRA(t, dtypes.Float32, lora.Config{R: 4, Dropout: 0.5, Targets: both})
	x := tm.Inputs(32, 1, dtypes.Float32)
	// Training works (dropout active on /aware); evaluation is deterministic.
	tm.Train(t, pm.Store(), fn, x, tm.Labels(x, 1), 3, 0.05)
	a, b := tm.Run(t, pm.Store(), fn, x), tm.Run(t, pm.Store(), fn, x)
	if tm.MaxRelDiff(a, b) != 0 {
		t.Fatal("dropout must be off at inference")
	}
}

func TestRSLoRAScaling(t *testing.T) {
	c := lora.Config{UseRSLoRA: true}
	if s := c.Scale(16, 8); math.Abs(s-2) > 1e-12 {
		t.Fatalf("rsLoRA scale alpha/sqrt(r) = %g, want 2", s)
	}
	if s := (lora.Config{}).Scale(16, 8); s != 0.5 {
		t.Fatalf("LoRA scale alpha/r = %g, want 0.5", s)
	}
}

func cloneFile(f *safetensors.File) *safetensors.File {
	out := &safetensors.File{Tensors: map[string]safetensors.Tensor{}, Metadata: f.Metadata}
	for k, v := range f.Tensors {
		out.Tensors[k] = v
	}
	return out
}

func TestLoRAOnTransformerBothForms(t *testing.T) {
	// r·(in+out) on query and value of both layers (8×8 each).
	for _, form := range []lora.Form{lora.FormWeight, lora.FormActivation} {
		tm.CheckMethod(t, tm.MethodSpec{
			Config: lora.Config{R: 2, Targets: peft.Modules("query", "value"), Form: form},
			Model:  tm.Transformer, Inputs: tm.SeqInputs, Identity: true, Mergeable: true,
			Params: 4 * 2 * (8 + 8),
		})
	}
}

// tokenModel embeds token ids derived from its float inputs (so it fits CheckMethod's
// float-input suite), mean-pools and classifies: LoRA on the "embed" table is tested like
// any dense target.
func tokenModel(scope *model.Scope, x *Node) *Node {
	const vocab = 13
	ids := ConvertDType(Floor(MulScalar(Abs(ReduceMean(x, -1)), 4*vocab)), dtypes.Int32)
	ids = ModScalar(ids, vocab)
	h := layers.Embedding(scope.In("embed"), ids, x.DType(), vocab, 8)
	return peft.Dense(scope.In("head"), ReduceMean(h, 1), true, tm.Classes)
}

func TestLoRAOnEmbedding(t *testing.T) {
	tm.CheckMethod(t, tm.MethodSpec{
		Config: lora.Config{R: 2, Targets: peft.Modules("embed")},
		Model:  tokenModel, Inputs: tm.SeqInputs, Identity: true, Mergeable: true,
		Params: 2 * (13 + 8),
	})
}
