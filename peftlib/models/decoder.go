package models

import (
	"fmt"

	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/initializer"
	"github.com/peftlab/peftlab/peftlib/peft"
)

// DecoderConfig is a causal transformer language model over a small vocabulary (e.g.
// bytes). The zero value: vocabulary 128, context 128, the default TransformerConfig.
type DecoderConfig struct {
	Vocab       int // default 128
	Context     int // maximum sequence length, default 128
	Transformer TransformerConfig
	DType       dtypes.DType // default Float32
}

// WithDefaults fills the zero fields.
func (c DecoderConfig) WithDefaults() DecoderConfig {
	if c.Vocab == 0 {
		c.Vocab = 128
	}
	if c.Context == 0 {
		c.Context = 128
	}
	if c.DType == dtypes.InvalidDType {
		c.DType = dtypes.Float32
	}
	c.Transformer = c.Transformer.WithDefaults()
	return c
}

// Params is the parameter count.
func (c DecoderConfig) Params() int {
	c = c.WithDefaults()
	d := c.Transformer.Dim
	return c.Vocab*d + c.Context*d + c.Transformer.Layers*c.Transformer.BlockParams() + 2*d + d*c.Vocab + c.Vocab
}

// Logits maps tokens [batch, seq] (int32) to next-token logits [batch, seq, Vocab].
// Scopes: "embed", "pos_embed", "decoder" (the blocks, causal), "head".
func (c DecoderConfig) Logits(scope *model.Scope, tokens *Node) *Node {
	c = c.WithDefaults()
	if !tokens.DType().IsInt() || tokens.Rank() != 2 {
		panic(fmt.Sprintf("models: decoder tokens must be int [batch, seq], got %s", tokens.Shape()))
	}
	es := scope.In("embed").WithInitializer(initializer.RandomNormalFn(scope, 0.02))
	x := layers.Embedding(es, tokens, c.DType, c.Vocab, c.Transformer.Dim)
	x = PositionEmbedding(scope.In("pos_embed"), x, c.Context)
	x = Blocks(scope.In("decoder"), c.Transformer, x, true, 0)
	return peft.Dense(scope.In("head"), x, true, c.Vocab)
}
