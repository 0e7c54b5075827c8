package fit

import (
	"fmt"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/dataset"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/optimizer"
	"github.com/peftlab/peftlab/peftlib/fastops"
	"github.com/peftlab/peftlab/peftlib/nb"
)

// Tokenizer maps text to token ids and back (datasets.WordTokenizer, or Bytes).
type Tokenizer interface {
	Encode(s string) ([]int32, error)
	Decode(ids []int32) string
}

// Bytes is the character-level tokenizer: one token per byte (vocabulary 128 for ASCII).
type Bytes struct{}

// Encode implements Tokenizer.
func (Bytes) Encode(s string) ([]int32, error) { return EncodeBytes(s), nil }

// Decode implements Tokenizer.
func (Bytes) Decode(ids []int32) string { return DecodeBytes(ids) }

// EncodeBytes turns text into byte tokens (a character-level vocabulary of 128 for ASCII).
func EncodeBytes(s string) []int32 {
	out := make([]int32, len(s))
	for i := 0; i < len(s); i++ {
		out[i] = int32(s[i])
	}
	return out
}

// DecodeBytes turns byte tokens back into text.
func DecodeBytes(tokens []int32) string {
	b := make([]byte, len(tokens))
	for i, t := range tokens {
		b[i] = byte(t)
	}
	return string(b)
}

// LMData holds next-token training examples: inputs [N, Context], targets [N, Context]
// (inputs shifted by one) and a mask [N, Context] that is 1 on real tokens, 0 on padding.
type LMData struct {
	Tokens, Targets []int32
	Mask            []float32
	N, Context      int
}

// NewLMData encodes texts with tok, cut or zero-padded to context tokens; every real
// next-token position is trained (loss on all tokens, as LLM-Adapters' train_on_inputs).
func NewLMData(tokenizer Tokenizer, texts []string, context int) (*LMData, error) {
	d := &LMData{N: len(texts), Context: context,
		Tokens: make([]int32, len(texts)*context), Targets: make([]int32, len(texts)*context),
		Mask: make([]float32, len(texts)*context)}
	for i, t := range texts {
		tok, err := tokenizer.Encode(t)
		if err != nil {
			return nil, fmt.Errorf("fit: text %d: %w", i, err)
		}
		if len(tok) > context+1 {
			tok = tok[:context+1]
		}
		for j := 0; j+1 < len(tok); j++ {
			d.Tokens[i*context+j] = tok[j]
			d.Targets[i*context+j] = tok[j+1]
			d.Mask[i*context+j] = 1
		}
	}
	return d, nil
}

// NewPromptedLMData is NewLMData for prompt–target pairs: with trainOnInputs false, only the
// target's tokens are trained (LLM-Adapters' --train_on_inputs False); with true, every token.
func NewPromptedLMData(tokenizer Tokenizer, prompts, targets []string, context int, trainOnInputs bool) (*LMData, error) {
	if len(prompts) != len(targets) {
		return nil, fmt.Errorf("fit: %d prompts for %d targets", len(prompts), len(targets))
	}
	texts := make([]string, len(prompts))
	for i := range prompts {
		texts[i] = prompts[i] + targets[i]
	}
	d, err := NewLMData(tokenizer, texts, context)
	if err != nil || trainOnInputs {
		return d, err
	}
	for i, p := range prompts {
		ids, err := tokenizer.Encode(p)
		if err != nil {
			return nil, fmt.Errorf("fit: prompt %d: %w", i, err)
		}
		// Position j predicts token j+1: the prompt's tokens are predicted at j < len(ids)-1.
		for j := 0; j < len(ids)-1 && j < context; j++ {
			d.Mask[i*context+j] = 0
		}
	}
	return d, nil
}

// Dataset returns an infinite, shuffled (by seed) GoMLX dataset of batches.
func (d *LMData) Dataset(b compute.Backend, batch int, seed int64) (train.Dataset, error) {
	ds, err := dataset.InMemoryFromData(b, "lm-data",
		[]any{tensors.FromFlatDataAndDimensions(d.Tokens, d.N, d.Context)},
		[]any{tensors.FromFlatDataAndDimensions(d.Targets, d.N, d.Context),
			tensors.FromFlatDataAndDimensions(d.Mask, d.N, d.Context)})
	if err != nil {
		return nil, fmt.Errorf("fit: %w", err)
	}
	return ds.WithRand(nb.Rand(seed)).Shuffle().BatchSize(batch, true).Infinite(true), nil
}

// LMLoss is the mean next-token cross-entropy over unmasked positions: labels are
// {targets [B, S] int32, mask [B, S] float}, logits [B, S, V].
func LMLoss(labels, logits []*Node) *Node {
	l := logits[0]
	logp := fastops.LogSoftmax(l, -1) // no math.Exp in the step (fastops)
	nll := Neg(ReduceSum(Mul(logp, OneHot(labels[0], l.Shape().Dimensions[2], l.DType())), -1))
	mask := ConvertDType(labels[1], l.DType())
	return Div(ReduceAllSum(Mul(nll, mask)), Max(ReduceAllSum(mask), OnesLike(ReduceAllSum(mask))))
}

// LMRun configures TrainLM; zero fields take the defaults shown.
type LMRun struct {
	Steps        int     // default 1000
	BatchSize    int     // default 32
	LearningRate float64 // Adam, default 3e-4
	Seed         int64
	Title        string
}

// TrainLM trains logits (tokens [B, S] → logits [B, S, V]) on data with Adam and LMLoss.
func TrainLM(b compute.Backend, store *model.Store, logits func(*model.Scope, *Node) *Node, data *LMData, run LMRun) (*History, error) {
	if run.Steps == 0 {
		run.Steps = 1000
	}
	if run.BatchSize == 0 {
		run.BatchSize = 32
	}
	if run.LearningRate == 0 {
		run.LearningRate = 3e-4
	}
	ds, err := data.Dataset(b, run.BatchSize, run.Seed)
	if err != nil {
		return nil, err
	}
	trainer := train.NewTrainer(b, store, logits, LMLoss, optimizer.Adam().LearningRate(run.LearningRate).Done(), nil, nil)
	return Run(trainer, ds, run.Steps, Options{Title: run.Title})
}
