package fit

import (
	"testing"

	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/peftlab/peftlab/peftlib/backend"
)

func TestPredictPadsLastBatch(t *testing.T) {
	// A model that doubles its input: outputs must come back in order, padding dropped.
	fn := func(_ *model.Scope, x *Node) *Node { return MulScalar(x, 2) }
	p, err := NewPredictor(backend.ForTests(), model.NewStore(), fn, []int{2}, 4)
	if err != nil {
		t.Fatal(err)
	}
	x := []float32{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14}
	out, width, err := p.Predict(x)
	if err != nil {
		t.Fatal(err)
	}
	if width != 2 || len(out) != len(x) {
		t.Fatalf("width %d, %d outputs", width, len(out))
	}
	for i := range x {
		if out[i] != 2*x[i] {
			t.Fatalf("out[%d]=%g want %g", i, out[i], 2*x[i])
		}
	}
	if _, _, err := p.Predict([]float32{1, 2, 3}); err == nil {
		t.Fatal("a partial example must be an error")
	}
}

func TestAccuracy(t *testing.T) {
	logits := []float32{0.1, 0.9, 0.8, 0.2, 0.3, 0.7}
	if got := Accuracy(logits, 2, []int32{1, 0, 0}); got != 2.0/3 {
		t.Fatalf("accuracy %g, want 2/3", got)
	}
}
