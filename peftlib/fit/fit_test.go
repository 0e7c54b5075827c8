package fit

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/dataset"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/loss"
	"github.com/gomlx/gomlx/ml/train/optimizer"
	"github.com/peftlab/peftlab/peftlib/backend"
)

func linearData(n int, poison bool) ([][]float32, [][]float32) {
	rng := rand.New(rand.NewPCG(1, 2))
	xs, ys := make([][]float32, n), make([][]float32, n)
	for i := range xs {
		a, b := float32(rng.NormFloat64()), float32(rng.NormFloat64())
		xs[i] = []float32{a, b}
		ys[i] = []float32{3*a - 2*b + 1}
		if poison && i == 0 {
			xs[i][0] = float32(math.NaN())
		}
	}
	return xs, ys
}

func newTrainer(t *testing.T, poison bool) (*train.Trainer, train.Dataset) {
	b := backend.ForTests()
	xs, ys := linearData(64, poison)
	ds, err := dataset.InMemoryFromData(b, "linear", []any{xs}, []any{ys})
	if err != nil {
		t.Fatal(err)
	}
	fn := func(scope *model.Scope, x *Node) *Node { return layers.Dense(scope.In("out"), x, true, 1) }
	tr := train.NewTrainer(b, model.NewStore(), fn, loss.MeanSquaredError,
		optimizer.Adam().LearningRate(0.2).Done(), nil, nil)
	return tr, ds.BatchSize(64, true).Infinite(true)
}

func TestRunLowersLossAndRecordsHistory(t *testing.T) {
	tr, ds := newTrainer(t, false)
	evals := 0
	h, err := Run(tr, ds, 60, Options{EvalEvery: 20, Eval: func() (map[string]float64, error) {
		evals++
		return map[string]float64{"n": float64(evals)}, nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Loss) != 60 || h.Steps[59] != 60 {
		t.Fatalf("history has %d losses, last step %d", len(h.Loss), h.Steps[len(h.Steps)-1])
	}
	if !(h.Loss[59] < h.Loss[0]/10) {
		t.Fatalf("loss did not fall: %g -> %g", h.Loss[0], h.Loss[59])
	}
	if len(h.Evals) != 3 || h.Last()["n"] != 3 {
		t.Fatalf("want 3 evaluations, got %v", h.Evals)
	}
	if h.StepsPerSecond() <= 0 {
		t.Fatal("no throughput measured")
	}
}

func TestRunStopsOnNaN(t *testing.T) {
	tr, ds := newTrainer(t, true)
	_, err := Run(tr, ds, 10, Options{})
	var nanErr *NaNError
	if !errors.As(err, &nanErr) || nanErr.Step != 1 {
		t.Fatalf("want a NaNError at step 1, got %v", err)
	}
}
