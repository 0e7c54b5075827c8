package fit

import (
	"fmt"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/dataset"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/loss"
	"github.com/gomlx/gomlx/ml/train/optimizer"
	"github.com/peftlab/peftlab/peftlib/datasets"
	"github.com/peftlab/peftlab/peftlib/nb"
)

// ClassifierRun configures TrainClassifier; zero fields take the defaults shown.
type ClassifierRun struct {
	Steps        int     // default 1000
	BatchSize    int     // default 64
	LearningRate float64 // Adam, default 1e-3
	Seed         int64   // shuffling seed
	Title        string  // progress bar title ("" hides it)
	EvalEvery    int     // evaluate on the test set every so many steps (default Steps/10)
	EvalLimit    int     // evaluate during training on the first EvalLimit test images (default 2000)
}

// TrainClassifier trains fn (images [batch, H, W, C] → logits) on trainSet with Adam and
// softmax cross-entropy, evaluating accuracy on (the first EvalLimit images of) testSet
// during training ("test_acc" in the history). The store's Trainable flags decide what trains (see peft.Model).
func TrainClassifier(b compute.Backend, store *model.Store, fn func(*model.Scope, *Node) *Node,
	trainSet, testSet *datasets.Images, run ClassifierRun) (*History, error) {
	if run.Steps == 0 {
		run.Steps = 1000
	}
	if run.BatchSize == 0 {
		run.BatchSize = 64
	}
	if run.LearningRate == 0 {
		run.LearningRate = 1e-3
	}
	if run.EvalEvery == 0 {
		run.EvalEvery = max(run.Steps/10, 1)
	}
	if run.EvalLimit == 0 {
		run.EvalLimit = 2000
	}
	if testSet.Len() > run.EvalLimit {
		testSet = testSet.Subset(testSet.Name, seq(run.EvalLimit))
	}
	x, labels := trainSet.Tensors()
	ds, err := dataset.InMemoryFromData(b, "train-images", []any{x}, []any{labels})
	if err != nil {
		return nil, fmt.Errorf("fit: %w", err)
	}
	batches := ds.WithRand(nb.Rand(run.Seed)).Shuffle().BatchSize(run.BatchSize, true).Infinite(true)
	trainer := train.NewTrainer(b, store, fn, loss.SparseCategoricalCrossEntropyLogits,
		optimizer.Adam().LearningRate(run.LearningRate).Done(), nil, nil)
	pred, err := NewPredictor(b, store, fn, []int{testSet.H, testSet.W, testSet.C}, 250)
	if err != nil {
		return nil, err
	}
	eval := func() (map[string]float64, error) {
		acc, err := pred.Accuracy(testSet)
		return map[string]float64{"test_acc": acc}, err
	}
	return Run(trainer, batches, run.Steps, Options{Title: run.Title, EvalEvery: run.EvalEvery, Eval: eval})
}

// Accuracy is the fraction of set's images the predictor classifies correctly.
func (p *Predictor) Accuracy(set *datasets.Images) (float64, error) {
	logits, width, err := p.Predict(set.X)
	if err != nil {
		return 0, err
	}
	return Accuracy(logits, width, set.Labels), nil
}

// ImageAccuracy compiles fn once and returns its accuracy on each of the sets.
func ImageAccuracy(b compute.Backend, store *model.Store, fn func(*model.Scope, *Node) *Node, sets ...*datasets.Images) ([]float64, error) {
	if len(sets) == 0 {
		return nil, nil
	}
	pred, err := NewPredictor(b, store, fn, []int{sets[0].H, sets[0].W, sets[0].C}, 250)
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(sets))
	for i, s := range sets {
		if out[i], err = pred.Accuracy(s); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func seq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}
