package fit

import (
	"fmt"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/peftlab/peftlab/peftlib/datasets"
	"github.com/peftlab/peftlab/peftlib/peft"
)

// MethodRun is one PEFT method in a comparison.
type MethodRun struct {
	Name         string
	Config       peft.Config // nil: evaluate the frozen backbone without training
	LearningRate float64     // overrides the comparison's learning rate if > 0
}

// MethodResult is what a comparison measured for one method.
type MethodResult struct {
	Name           string
	Trainable      int     // trainable parameters
	Total          int     // all parameters (backbone + adapter)
	Accuracy       float64 // on the whole test set, after training
	StepsPerSecond float64
	LossCurve      []float64 `json:",omitempty"` // smoothed training loss
}

// CompareOnImages trains each method from a fresh copy of the backbone (newBackbone) on
// trainSet with the same recipe and reports test accuracy, trainable parameters and speed.
func CompareOnImages(b compute.Backend, newBackbone func() (*model.Store, error), fn func(*model.Scope, *Node) *Node,
	methods []MethodRun, trainSet, testSet *datasets.Images, run ClassifierRun) ([]MethodResult, error) {
	var out []MethodResult
	for i, m := range methods {
		store, err := newBackbone()
		if err != nil {
			return nil, err
		}
		pm := peft.New(b, store)
		wrapped := fn
		res := MethodResult{Name: m.Name}
		if m.Config != nil {
			if err := pm.AddAdapter("default", m.Config); err != nil {
				return nil, fmt.Errorf("fit: %s: %w", m.Name, err)
			}
			wrapped = peft.Wrap(pm, fn)
			r := run
			r.Title = fmt.Sprintf("[%d/%d] %s", i+1, len(methods), m.Name)
			if m.LearningRate > 0 {
				r.LearningRate = m.LearningRate
			}
			h, err := TrainClassifier(b, store, wrapped, trainSet, testSet, r)
			if err != nil {
				return nil, fmt.Errorf("fit: %s: %w", m.Name, err)
			}
			res.StepsPerSecond = h.StepsPerSecond()
			res.LossCurve = h.SmoothedLoss(0.05)
		}
		counts := pm.CountParameters()
		res.Trainable, res.Total = counts.Trainable, counts.Total
		acc, err := ImageAccuracy(b, store, wrapped, testSet)
		if err != nil {
			return nil, fmt.Errorf("fit: %s: %w", m.Name, err)
		}
		res.Accuracy = acc[0]
		out = append(out, res)
	}
	return out, nil
}
