package models

import (
	"fmt"

	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/initializer"
	"github.com/peftlab/peftlab/peftlib/peft"
)

// ASTConfig is an audio spectrogram transformer (Gong, Chung & Glass 2021, arXiv
// 2104.01778) for log-mel spectrograms [batch, frames, mels]: non-overlapping patches over
// time × frequency, a CLS token, learned position embeddings and the transformer encoder.
// The zero value: 8×8 patches, the default TransformerConfig, 10 classes. (The paper uses
// overlapping 16×16 patches and an ImageNet-initialised ViT; this is its reduced form.)
type ASTConfig struct {
	PatchTime, PatchFreq int // default 8 and 8
	Transformer          TransformerConfig
	Classes              int // default 10
}

// WithDefaults fills the zero fields.
func (c ASTConfig) WithDefaults() ASTConfig {
	if c.PatchTime == 0 {
		c.PatchTime = 8
	}
	if c.PatchFreq == 0 {
		c.PatchFreq = 8
	}
	if c.Classes == 0 {
		c.Classes = 10
	}
	c.Transformer = c.Transformer.WithDefaults()
	return c
}

// Params is the parameter count for spectrograms of frames × mels.
func (c ASTConfig) Params(frames, mels int) int {
	c = c.WithDefaults()
	d := c.Transformer.Dim
	patches := (frames / c.PatchTime) * (mels / c.PatchFreq)
	embed := c.PatchTime*c.PatchFreq*d + d + d + (patches+1)*d
	return embed + c.Transformer.Layers*c.Transformer.BlockParams() + 2*d + d*c.Classes + c.Classes
}

// Features returns the CLS features [batch, Dim] of spectrograms [batch, frames, mels]
// (frames and mels multiples of the patch sides). Scopes: "patch_embed", "cls",
// "pos_embed", "encoder".
func (c ASTConfig) Features(scope *model.Scope, spec *Node) *Node {
	c = c.WithDefaults()
	d := spec.Shape().Dimensions
	if len(d) != 3 || d[1]%c.PatchTime != 0 || d[2]%c.PatchFreq != 0 {
		panic(fmt.Sprintf("models: AST needs [batch, frames, mels] with frames a multiple of %d and mels of %d, got %s",
			c.PatchTime, c.PatchFreq, spec.Shape()))
	}
	b, t, f, pt, pf := d[0], d[1], d[2], c.PatchTime, c.PatchFreq
	x := Reshape(spec, b, t/pt, pt, f/pf, pf)
	x = TransposeAllDims(x, 0, 1, 3, 2, 4)
	x = Reshape(x, b, (t/pt)*(f/pf), pt*pf)
	dim := c.Transformer.Dim
	x = peft.Dense(scope.In("patch_embed"), x, true, dim)
	cls := scope.In("cls").WithInitializer(initializer.RandomNormalFn(scope, 0.02)).
		VariableWithShape("token", shapes.Make(x.DType(), dim)).NodeValue(x.Graph())
	x = Concatenate([]*Node{BroadcastToDims(Reshape(cls, 1, 1, dim), b, 1, dim), x}, 1)
	x = PositionEmbedding(scope.In("pos_embed"), x, x.Shape().Dimensions[1])
	x = Blocks(scope.In("encoder"), c.Transformer, x, false, 1)
	return Squeeze(Slice(x, AxisRange(), AxisRange(0, 1)), 1)
}

// Logits is Features followed by the linear "head".
func (c ASTConfig) Logits(scope *model.Scope, spec *Node) *Node {
	c = c.WithDefaults()
	return peft.Dense(scope.In("head"), c.Features(scope, spec), true, c.Classes)
}
