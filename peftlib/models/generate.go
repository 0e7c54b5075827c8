package models

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// Generator decodes from a causal language model with a simple loop in Go around one
// compiled step (no KV cache): each step runs the model on the whole padded window
// [batch, Context] and reads the logits at each row's last position.
type Generator struct {
	exec    *model.ExecOneOutput
	context int
	batch   int
	// OnBatch, if set, is called after each batch of prompts with the prompts done so far.
	OnBatch func(done, total int)
}

// NewGenerator compiles logits (e.g. DecoderConfig.Logits, or it wrapped with peft.Wrap)
// for batches of batch sequences of up to context tokens.
func NewGenerator(backend compute.Backend, store *model.Store, logits func(*model.Scope, *Node) *Node, context, batch int) (*Generator, error) {
	step := func(scope *model.Scope, tokens, last *Node) *Node {
		l := logits(scope, tokens) // [batch, context, vocab]
		sel := OneHot(last, context, l.DType())
		return Einsum("bsv,bs->bv", l, sel)
	}
	exec, err := model.NewExec1(backend, store, step)
	if err != nil {
		return nil, fmt.Errorf("models: %w", err)
	}
	return &Generator{exec: exec, context: context, batch: batch}, nil
}

// Pick chooses the next token from a row of logits.
type Pick func(logits []float32) int32

// Greedy picks the most likely token.
func Greedy(logits []float32) int32 {
	best := 0
	for i, v := range logits {
		if v > logits[best] {
			best = i
		}
	}
	return int32(best)
}

// Sampler samples from softmax(logits/temperature) with rng.
func Sampler(rng *rand.Rand, temperature float64) Pick {
	return func(logits []float32) int32 {
		m := float64(logits[Greedy(logits)])
		probs := make([]float64, len(logits))
		var sum float64
		for i, v := range logits {
			probs[i] = math.Exp((float64(v) - m) / temperature)
			sum += probs[i]
		}
		u := rng.Float64() * sum
		for i, p := range probs {
			if u -= p; u <= 0 {
				return int32(i)
			}
		}
		return int32(len(probs) - 1)
	}
}

// Generate extends each prompt by up to maxNew tokens, stopping a row at stop (if ≥ 0,
// kept in the output) or when the context is full. It returns only the new tokens.
func (g *Generator) Generate(prompts [][]int32, maxNew int, stop int32, pick Pick) ([][]int32, error) {
	out := make([][]int32, len(prompts))
	for start := 0; start < len(prompts); start += g.batch {
		end := min(start+g.batch, len(prompts))
		if err := g.generateBatch(prompts[start:end], out[start:end], maxNew, stop, pick); err != nil {
			return nil, err
		}
		if g.OnBatch != nil {
			g.OnBatch(end, len(prompts))
		}
	}
	return out, nil
}

func (g *Generator) generateBatch(prompts, out [][]int32, maxNew int, stop int32, pick Pick) error {
	seqs := make([][]int32, len(prompts))
	done := make([]bool, len(prompts))
	for i, p := range prompts {
		if len(p) == 0 || len(p) >= g.context {
			return fmt.Errorf("models: prompt %d has %d tokens; it needs 1 to %d", i, len(p), g.context-1)
		}
		seqs[i] = append([]int32(nil), p...)
	}
	tokens := make([]int32, g.batch*g.context)
	last := make([]int32, g.batch)
	for step := 0; step < maxNew; step++ {
		active := false
		clear(tokens)
		for i, s := range seqs {
			copy(tokens[i*g.context:], s)
			last[i] = int32(len(s) - 1)
			active = active || !done[i]
		}
		if !active {
			break
		}
		logits, err := g.exec.Call(tensors.FromFlatDataAndDimensions(tokens, g.batch, g.context),
			tensors.FromFlatDataAndDimensions(last, g.batch))
		if err != nil {
			return fmt.Errorf("models: generate: %w", err)
		}
		flat := tensors.MustCopyFlatData[float32](logits)
		logits.FinalizeAll()
		vocab := len(flat) / g.batch
		for i := range seqs {
			if done[i] {
				continue
			}
			next := pick(flat[i*vocab : (i+1)*vocab])
			seqs[i] = append(seqs[i], next)
			out[i] = append(out[i], next)
			if next == stop || len(seqs[i]) >= g.context {
				done[i] = true
			}
		}
	}
	return nil
}
