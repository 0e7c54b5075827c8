package models

import (
	"fmt"

	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/initializer"
	"github.com/peftlab/peftlab/peftlib/peft"
)

// ViTConfig is a vision transformer (Dosovitskiy et al. 2021, arXiv 2010.11929) for small
// images. The zero value: 7×7 patches, the default TransformerConfig, 10 classes.
type ViTConfig struct {
	Patch       int // patch side, default 7 (28×28 images give 16 patches)
	Transformer TransformerConfig
	Classes     int // default 10
}

// WithDefaults fills the zero fields.
func (c ViTConfig) WithDefaults() ViTConfig {
	if c.Patch == 0 {
		c.Patch = 7
	}
	if c.Classes == 0 {
		c.Classes = 10
	}
	c.Transformer = c.Transformer.WithDefaults()
	return c
}

// Params is the parameter count for images of h×w×ch.
func (c ViTConfig) Params(h, w, ch int) int {
	c = c.WithDefaults()
	d := c.Transformer.Dim
	patches := (h / c.Patch) * (w / c.Patch)
	embed := c.Patch*c.Patch*ch*d + d + d /*cls*/ + (patches+1)*d
	return embed + c.Transformer.Layers*c.Transformer.BlockParams() + 2*d + d*c.Classes + c.Classes
}

// Features returns the encoder's CLS features [batch, Dim] for images [batch, H, W, C]
// (H and W multiples of Patch). Scopes: "patch_embed", "cls", "pos_embed", "encoder".
func (c ViTConfig) Features(scope *model.Scope, images *Node) *Node {
	c = c.WithDefaults()
	dims := images.Shape().Dimensions
	if len(dims) != 4 || dims[1]%c.Patch != 0 || dims[2]%c.Patch != 0 {
		panic(fmt.Sprintf("models: ViT needs [batch, H, W, C] images with H and W multiples of %d, got %s",
			c.Patch, images.Shape()))
	}
	b, h, w, ch, p := dims[0], dims[1], dims[2], dims[3], c.Patch
	d := c.Transformer.Dim
	x := Reshape(images, b, h/p, p, w/p, p, ch)
	x = TransposeAllDims(x, 0, 1, 3, 2, 4, 5)
	x = Reshape(x, b, (h/p)*(w/p), p*p*ch)
	x = peft.Dense(scope.In("patch_embed"), x, true, d)
	cls := scope.In("cls").WithInitializer(initializer.RandomNormalFn(scope, 0.02)).
		VariableWithShape("token", shapes.Make(x.DType(), d)).NodeValue(x.Graph())
	cls = BroadcastToDims(Reshape(cls, 1, 1, d), b, 1, d)
	x = Concatenate([]*Node{cls, x}, 1)
	x = PositionEmbedding(scope.In("pos_embed"), x, x.Shape().Dimensions[1])
	x = Blocks(scope.In("encoder"), c.Transformer, x, false, 1)
	return Squeeze(Slice(x, AxisRange(), AxisRange(0, 1)), 1)
}

// Logits is the classifier: Features followed by the linear "head" [batch, Classes].
func (c ViTConfig) Logits(scope *model.Scope, images *Node) *Node {
	c = c.WithDefaults()
	return peft.Dense(scope.In("head"), c.Features(scope, images), true, c.Classes)
}
