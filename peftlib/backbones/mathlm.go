package backbones

import (
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/peftlab/peftlab/peftlib/datasets"
	"github.com/peftlab/peftlab/peftlib/fit"
	"github.com/peftlab/peftlab/peftlib/models"
	"github.com/peftlab/peftlab/peftlib/nb"
)

// MathMaxOperand bounds the quantities of the llm_adapters problems. LLM-Adapters' plan uses
// operands up to 99; at the model size two CPU cores can train (MathLM), two-digit operands
// split into digits were not learnt (accuracy near 0% in a full run), so the quantities are
// scaled to ≤ 20 and numbers are single tokens.
const MathMaxOperand = 20

// MathGenerator returns the problem generator of the llm_adapters notebooks (seeded).
func MathGenerator(seed uint64) *datasets.MathGenerator {
	g := datasets.NewMathGenerator(seed)
	g.MaxOperand = MathMaxOperand
	return g
}

// MathTokenizer is the word-level tokenizer of the math word problems (whole numbers as
// single tokens), built from a fixed sample of the generators, so its ids never change.
func MathTokenizer() *datasets.WordTokenizer {
	g := MathGenerator(424242)
	var samples []string
	for i := 0; i < 6000; i++ {
		samples = append(samples, g.Problem(datasets.MathFamilies[i%len(datasets.MathFamilies)]).Text())
	}
	samples = append(samples, g.MathCorpus(3000, 150)...)
	return datasets.NewWholeNumberTokenizer(samples, 300)
}

// MathContext is the token context of MathLM: every problem fits.
const MathContext = 64

// MathLM is the small decoder LM that stands in for LLaMA in the llm_adapters notebooks:
// 2 pre-norm layers, width 64, 4 heads, GELU, over the word tokens of MathTokenizer
// (about 0.1 M parameters). The size is set by the Go backend's speed on 2 cores: a training
// step of batch 16 takes about 0.14 s (4 layers of width 128, batch 32: 0.9 s).
func MathLM() models.DecoderConfig {
	return models.DecoderConfig{Vocab: MathTokenizer().Vocab(), Context: MathContext,
		Transformer: models.TransformerConfig{Layers: 2, Dim: 64, Heads: 4}}
}

// PretrainedMathLM returns MathLM pretrained on a generic synthetic corpus — arithmetic
// facts ("23 + 41 = 64."), statements with the problems' vocabulary, and short narratives
// followed by the arithmetic they imply; no questions and no "The answer is" —
// for the given number of steps (batch 16, Adam 1e-3), from the cache when possible.
func PretrainedMathLM(b compute.Backend, steps int) (*model.Store, error) {
	cfg := MathLM()
	n := nb.Pick(64, 20000)
	key := map[string]any{"config": cfg, "corpus": "math-corpus-v3-max20-wholenumbers", "n": n, "steps": steps, "seed": 7}
	return cached("math LM", "math-lm", key, func(store *model.Store) error {
		store.SetParam(model.ParamInitialSeed, int64(7))
		texts := MathGenerator(7).MathCorpus(n, 150)
		data, err := fit.NewLMData(MathTokenizer(), texts, MathContext)
		if err != nil {
			return err
		}
		_, err = fit.TrainLM(b, store, cfg.Logits, data, fit.LMRun{Steps: steps, BatchSize: 16, LearningRate: 1e-3,
			Seed: 7, Title: "pretraining the math LM"})
		return err
	})
}
