package backbones

import (
	"fmt"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/peftlab/peftlab/peftlib/datasets"
	"github.com/peftlab/peftlab/peftlib/fit"
	"github.com/peftlab/peftlab/peftlib/models"
	"github.com/peftlab/peftlab/peftlib/nb"
)

// MathTokenizer is the word-level tokenizer of the math word problems (numbers as digits),
// built from a fixed sample of the generators, so its ids never change.
func MathTokenizer() *datasets.WordTokenizer {
	g := datasets.NewMathGenerator(424242)
	var samples []string
	for i := 0; i < 3000; i++ {
		samples = append(samples, g.Problem(datasets.MathFamilies[i%len(datasets.MathFamilies)]).Text())
	}
	samples = append(samples, g.MathCorpus(500, 150)...)
	return datasets.NewWordTokenizer(samples)
}

// MathContext is the token context of MathLM: every problem fits (at most 77 tokens).
const MathContext = 80

// MathLM is the small decoder LM that stands in for LLaMA in the llm_adapters notebooks:
// 2 pre-norm layers, width 64, 4 heads, GELU, over the word tokens of MathTokenizer
// (about 0.1 M parameters). The size is set by the Go backend's speed on 2 cores: a training
// step of batch 16 takes about 0.14 s (4 layers of width 128, batch 32: 0.9 s).
func MathLM() models.DecoderConfig {
	return models.DecoderConfig{Vocab: MathTokenizer().Vocab(), Context: MathContext,
		Transformer: models.TransformerConfig{Layers: 2, Dim: 64, Heads: 4}}
}

// PretrainedMathLM returns MathLM pretrained on a generic synthetic corpus — arithmetic
// facts ("23 + 41 = 64.") and statements with the problems' vocabulary, no questions —
// for the given number of steps (batch 16, Adam 1e-3), from the cache when possible.
func PretrainedMathLM(b compute.Backend, steps int) (*model.Store, error) {
	cfg := MathLM()
	n := nb.Pick(64, 20000)
	key := map[string]any{"config": cfg, "corpus": "math-corpus-v1", "n": n, "steps": steps, "seed": 7}
	store, info, err := models.Cached("math-lm", key, func(store *model.Store) error {
		store.SetParam(model.ParamInitialSeed, int64(7))
		texts := datasets.NewMathGenerator(7).MathCorpus(n, 150)
		data, err := fit.NewLMData(MathTokenizer(), texts, MathContext)
		if err != nil {
			return err
		}
		_, err = fit.TrainLM(b, store, cfg.Logits, data, fit.LMRun{Steps: steps, BatchSize: 16, LearningRate: 1e-3,
			Seed: 7, Title: "pretraining the math LM"})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("backbones: %w", err)
	}
	if info.FromCache {
		fmt.Println("pretrained math LM loaded from the cache:", info.Dir)
	} else {
		fmt.Println("pretrained math LM trained and cached in", info.Dir)
	}
	return store, nil
}
