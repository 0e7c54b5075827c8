package testmodel

import (
	"math"
	"strings"
	"testing"

	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/peftlab/peftlab/peftlib/backend"
	"github.com/peftlab/peftlab/peftlib/peft"
)

// MethodSpec describes a PEFT method for CheckMethod, the test suite every tuner runs.
type MethodSpec struct {
	Config peft.Config
	// Model is MLP or Transformer; Inputs makes its inputs (Inputs or SeqInputs).
	Model  func(*model.Scope, *Node) *Node
	Inputs func(n int, seed uint64, dtype dtypes.DType) *tensors.Tensor
	// Identity: a new adapter leaves the outputs unchanged.
	Identity bool
	// Params is the expected trainable parameter count (the method's formula).
	Params int
	// Mergeable: Merge must reproduce the unmerged outputs.
	Mergeable bool
}

func (s MethodSpec) newModel(t *testing.T, dtype dtypes.DType) (*peft.Model, func(*model.Scope, *Node) *Node) {
	store := NewStoreFor(t, s.Model, s.Inputs(2, 0, dtype))
	pm := peft.New(backend.ForTests(), store)
	if err := pm.AddAdapter("default", s.Config); err != nil {
		t.Fatal(err)
	}
	return pm, peft.Wrap(pm, s.Model)
}

// CheckMethod runs the properties every PEFT method must have: identity at initialisation
// (where the method defines one), only its own variables train, the trainable count matches
// its formula, save→load is exact, merged equals unmerged (if mergeable), and its gradients
// match central finite differences.
func CheckMethod(t *testing.T, s MethodSpec) {
	t.Run("identity", func(t *testing.T) {
		if !s.Identity {
			t.Skip("the method defines no identity initialisation")
		}
		pm, fn := s.newModel(t, dtypes.Float32)
		x := s.Inputs(8, 1, dtypes.Float32)
		if d := MaxRelDiff(Run(t, pm.Store(), fn, x), Run(t, pm.Store(), s.Model, x)); d != 0 {
			t.Fatalf("a new adapter changed the outputs by %g", d)
		}
	})
	t.Run("trains only its variables", func(t *testing.T) {
		pm, fn := s.newModel(t, dtypes.Float32)
		if c := pm.CountParameters(); c.Trainable != s.Params {
			t.Fatalf("%d trainable parameters, the formula gives %d", c.Trainable, s.Params)
		}
		x := s.Inputs(32, 1, dtypes.Float32)
		before := Snapshot(pm.Store())
		Train(t, pm.Store(), fn, x, Labels(x, 1), 8, 0.02)
		after := Snapshot(pm.Store())
		moved := 0
		for path, v := range before {
			changed := MaxRelDiff(after[path], v) != 0
			if changed && !strings.HasPrefix(path, "/peft/") {
				t.Errorf("base variable %s changed", path)
			}
			if changed {
				moved++
			}
		}
		if moved == 0 {
			t.Fatal("no adapter variable moved")
		}
	})
	t.Run("save load exact", func(t *testing.T) {
		pm, fn := s.newModel(t, dtypes.Float32)
		x := s.Inputs(16, 2, dtypes.Float32)
		Train(t, pm.Store(), fn, x, Labels(x, 1), 5, 0.02)
		want := Run(t, pm.Store(), fn, x)
		dir := t.TempDir()
		if err := pm.SaveAdapter(dir); err != nil {
			t.Fatal(err)
		}
		pm2 := peft.New(backend.ForTests(), NewStoreFor(t, s.Model, s.Inputs(2, 0, dtypes.Float32)))
		if err := pm2.LoadAdapter(dir, "default"); err != nil {
			t.Fatal(err)
		}
		if d := MaxRelDiff(Run(t, pm2.Store(), peft.Wrap(pm2, s.Model), x), want); d != 0 {
			t.Fatalf("the reloaded adapter differs by %g", d)
		}
	})
	t.Run("merge", func(t *testing.T) {
		pm, fn := s.newModel(t, dtypes.Float32)
		if !s.Mergeable {
			if err := pm.Merge(); err == nil {
				t.Fatal("Merge must refuse a method that cannot merge")
			}
			return
		}
		x := s.Inputs(16, 3, dtypes.Float32)
		Train(t, pm.Store(), fn, x, Labels(x, 1), 5, 0.02)
		want := Run(t, pm.Store(), fn, x)
		if err := pm.Merge(); err != nil {
			t.Fatal(err)
		}
		if d := MaxRelDiff(Run(t, pm.Store(), s.Model, x), want); d > 1e-5 {
			t.Fatalf("merged differs from unmerged by %g", d)
		}
		if err := pm.Unmerge(); err != nil {
			t.Fatal(err)
		}
		if d := MaxRelDiff(Run(t, pm.Store(), fn, x), want); d > 1e-5 {
			t.Fatalf("unmerged differs by %g", d)
		}
	})
	t.Run("finite differences", func(t *testing.T) {
		pm, fn := s.newModel(t, dtypes.Float64)
		x := s.Inputs(3, 4, dtypes.Float64)
		// Move every variable off its initial value, so zero-initialised ones give signal.
		vars := pm.Adapter("default").Variables()
		for _, v := range vars {
			vals := Floats(v.MustValue())
			for i := range vals {
				vals[i] += 0.05 * math.Sin(float64(3*i+1))
			}
			v.MustSetValue(tensors.FromFlatDataAndDimensions(vals, v.Shape().Dimensions...))
		}
		CheckGradients(t, pm.Store(), fn, x, vars)
	})
}

// CheckGradients compares d(sum of squared outputs)/d(var) with central finite differences
// at three coordinates of each variable, in float64.
func CheckGradients(t *testing.T, store *model.Store, fn func(*model.Scope, *Node) *Node, x *tensors.Tensor, vars []*model.Variable) {
	t.Helper()
	lossFn := func(scope *model.Scope, x *Node) *Node { return ReduceAllSum(Square(fn(scope, x))) }
	grads, err := model.MustNewExec(backend.ForTests(), store, func(scope *model.Scope, x *Node) []*Node {
		l := lossFn(scope, x)
		nodes := make([]*Node, len(vars))
		for i, v := range vars {
			nodes[i] = v.NodeValue(x.Graph())
		}
		return Gradient(l, nodes...)
	}).Exec(x)
	if err != nil {
		t.Fatal(err)
	}
	lossExec := model.MustNewExec(backend.ForTests(), store, lossFn)
	const eps = 1e-6
	for i, v := range vars {
		analytic := Floats(grads[i])
		vals := Floats(v.MustValue())
		for _, k := range []int{0, len(vals) / 2, len(vals) - 1} {
			orig := vals[k]
			eval := func(val float64) float64 {
				vals[k] = val
				v.MustSetValue(tensors.FromFlatDataAndDimensions(append([]float64(nil), vals...), v.Shape().Dimensions...))
				out, err := lossExec.Exec(x)
				if err != nil {
					t.Fatal(err)
				}
				return Floats(out[0])[0]
			}
			numeric := (eval(orig+eps) - eval(orig-eps)) / (2 * eps)
			eval(orig)
			if d := math.Abs(numeric-analytic[k]) / max(1, math.Abs(numeric)); d > 1e-6 {
				t.Errorf("%s[%d]: analytic %g, finite differences %g", v.Path(), k, analytic[k], numeric)
			}
		}
	}
}
