package fit

import (
	"fmt"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/peftlab/peftlab/peftlib/datasets"
	"github.com/peftlab/peftlab/peftlib/models"
	"github.com/peftlab/peftlab/peftlib/nb"
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
//
// If rec is not nil, each method is recorded as a run (loss curve, test accuracy curve,
// final accuracy and trainable parameters).
func CompareOnImages(b compute.Backend, newBackbone func() (*model.Store, error), fn func(*model.Scope, *Node) *Node,
	methods []MethodRun, trainSet, testSet *datasets.Images, run ClassifierRun, rec Recorder) ([]MethodResult, error) {
	var out []MethodResult
	rec = recorderOr(rec)
	for i, m := range methods {
		res, err := compareOneImage(b, newBackbone, fn, i, len(methods), m, trainSet, testSet, run, rec)
		if err != nil {
			return nil, err
		}
		out = append(out, res)
	}
	return out, nil
}

func compareOneImage(b compute.Backend, newBackbone func() (*model.Store, error), fn func(*model.Scope, *Node) *Node,
	i, n int, m MethodRun, trainSet, testSet *datasets.Images, run ClassifierRun, rec Recorder) (res MethodResult, err error) {
	r, done, err := startMethod(rec, m, run.LearningRate)
	if err != nil {
		return res, err
	}
	defer done(&err)
	{
		store, err := newBackbone()
		if err != nil {
			return res, err
		}
		pm := peft.New(b, store)
		wrapped := fn
		res = MethodResult{Name: m.Name}
		if m.Config != nil {
			if err := pm.AddAdapter("default", m.Config); err != nil {
				return res, fmt.Errorf("fit: %s: %w", m.Name, err)
			}
			wrapped = peft.Wrap(pm, fn)
			cr := run
			cr.Title = fmt.Sprintf("[%d/%d] %s", i+1, n, m.Name)
			if m.LearningRate > 0 {
				cr.LearningRate = m.LearningRate
			}
			h, err := TrainClassifier(b, store, wrapped, trainSet, testSet, cr)
			if err != nil {
				return res, fmt.Errorf("fit: %s: %w", m.Name, err)
			}
			res.StepsPerSecond = h.StepsPerSecond()
			res.LossCurve = h.SmoothedLoss(0.05)
			if err := r.LogCurve("loss", h.Steps, h.Loss); err != nil {
				return res, err
			}
			if err := r.LogCurve("test_acc", h.EvalSteps, nb.Column(h.Evals, "test_acc")); err != nil {
				return res, err
			}
			if err := r.LogFinal("steps_per_second", res.StepsPerSecond); err != nil {
				return res, err
			}
		}
		counts := pm.CountParameters()
		res.Trainable, res.Total = counts.Trainable, counts.Total
		acc, err := ImageAccuracy(b, store, wrapped, testSet)
		if err != nil {
			return res, fmt.Errorf("fit: %s: %w", m.Name, err)
		}
		res.Accuracy = acc[0]
		if err := r.LogFinal("accuracy", res.Accuracy); err != nil {
			return res, err
		}
		if err := r.LogFinal("trainable_parameters", float64(res.Trainable)); err != nil {
			return res, err
		}
	}
	return res, nil
}

// methodConfig describes a method for the results database: its PEFT type and config.
func methodConfig(m MethodRun, lr float64) map[string]any {
	c := map[string]any{"method": m.Name, "learning_rate": lr}
	if m.LearningRate > 0 {
		c["learning_rate"] = m.LearningRate
	}
	if m.Config != nil {
		c["peft_type"] = m.Config.PeftType()
		c["peft_config"] = m.Config
	}
	return c
}

// MathResult is what CompareOnMath measured for one method.
type MathResult struct {
	Name           string
	Trainable      int
	ByFamily       map[string]float64 // accuracy per problem family
	Average        float64            // mean over families
	StepsPerSecond float64
	FinalLoss      float64  // smoothed training loss at the end
	Samples        []string // one generated answer per family
}

// MathCompare is the recipe of CompareOnMath.
type MathCompare struct {
	Logits    func(*model.Scope, *Node) *Node // the decoder LM: tokens [B, S] → logits [B, S, V]
	Context   int
	Tokenizer Tokenizer
	Stop      int32 // the token that ends an answer
	Train     *LMData
	Test      []datasets.MathProblem
	Run       LMRun
	MaxNew    int              // tokens generated per answer (default 40)
	GenBatch  int              // prompts decoded at once (default 64)
	OnResult  func(MathResult) // called after each method, e.g. to save partial results
	Recorder  Recorder         // records each method as a run (nil: not recorded)
}

// CompareOnMath fine-tunes each method from a fresh copy of the backbone on the training
// texts (loss on all tokens) and evaluates greedy decoding on the test problems by family.
func CompareOnMath(b compute.Backend, newBackbone func() (*model.Store, error), methods []MethodRun, c MathCompare) ([]MathResult, error) {
	if c.MaxNew == 0 {
		c.MaxNew = 40
	}
	if c.GenBatch == 0 {
		c.GenBatch = 64
	}
	rec := recorderOr(c.Recorder)
	var out []MathResult
	for i, m := range methods {
		res, err := compareOneMath(b, newBackbone, i, len(methods), m, c, rec)
		if err != nil {
			return nil, err
		}
		out = append(out, res)
		if c.OnResult != nil {
			c.OnResult(res)
		}
	}
	return out, nil
}

func compareOneMath(b compute.Backend, newBackbone func() (*model.Store, error), i, n int, m MethodRun, c MathCompare, rec Recorder) (res MathResult, err error) {
	r, done, err := startMethod(rec, m, c.Run.LearningRate)
	if err != nil {
		return res, err
	}
	defer done(&err)
	store, err := newBackbone()
	if err != nil {
		return res, err
	}
	pm := peft.New(b, store)
	fn := c.Logits
	res = MathResult{Name: m.Name, ByFamily: map[string]float64{}}
	if m.Config != nil {
		if err := pm.AddAdapter("default", m.Config); err != nil {
			return res, fmt.Errorf("fit: %s: %w", m.Name, err)
		}
		fn = peft.Wrap(pm, c.Logits)
		run := c.Run
		run.Title = fmt.Sprintf("[%d/%d] %s", i+1, n, m.Name)
		if m.LearningRate > 0 {
			run.LearningRate = m.LearningRate
		}
		h, err := TrainLM(b, store, fn, c.Train, run)
		if err != nil {
			return res, fmt.Errorf("fit: %s: %w", m.Name, err)
		}
		res.StepsPerSecond = h.StepsPerSecond()
		if sm := h.SmoothedLoss(0.05); len(sm) > 0 {
			res.FinalLoss = sm[len(sm)-1]
		}
		if err := r.LogCurve("loss", h.Steps, h.Loss); err != nil {
			return res, err
		}
	}
	res.Trainable = pm.CountParameters().Trainable
	gen, err := models.NewGenerator(b, store, fn, c.Context, c.GenBatch)
	if err != nil {
		return res, err
	}
	ev, err := EvaluateMath(gen, c.Tokenizer, c.Stop, c.Test, c.MaxNew, "evaluating "+m.Name)
	if err != nil {
		return res, fmt.Errorf("fit: %s: %w", m.Name, err)
	}
	for f, a := range ev.ByFamily {
		res.ByFamily[string(f)] = a
		if err := r.LogFinal("accuracy/"+string(f), a); err != nil {
			return res, err
		}
	}
	res.Average, res.Samples = ev.Average, ev.Samples
	for _, kv := range []struct {
		k string
		v float64
	}{{"accuracy", res.Average}, {"trainable_parameters", float64(res.Trainable)}, {"steps_per_second", res.StepsPerSecond}} {
		if err := r.LogFinal(kv.k, kv.v); err != nil {
			return res, err
		}
	}
	return res, nil
}
