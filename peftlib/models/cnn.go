package models

import (
	"fmt"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/layers/activation"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/initializer"
	"github.com/peftlab/peftlab/peftlib/peft"
)

// CNNConfig is a small convolutional network: blocks of 3×3 convolution, group
// normalisation, ReLU and 2×2 max pooling, then global average pooling and a head. The zero
// value: channels {32, 64}, 8 groups, 10 classes.
//
// Convolutions are written as im2col (the 9 shifted copies of the input concatenated on
// the channel axis, then a peft.Dense [9·C_in, C_out]): GoMLX v0.28.8's convolution op runs
// near 1 GFLOP/s on the Go backend, this form about 12× faster, with exact gradients. As a
// bonus every convolution is a dense weight that LoRA and friends can target.
// Group normalisation (Wu & He 2018) replaces batch normalisation: it needs no running
// statistics, so training and inference compute the same function.
type CNNConfig struct {
	Channels []int // output channels of each block, default {32, 64}
	Groups   int   // group-norm groups (each block's channels must divide), default 8
	Classes  int   // default 10
}

// WithDefaults fills the zero fields.
func (c CNNConfig) WithDefaults() CNNConfig {
	if c.Channels == nil {
		c.Channels = []int{32, 64}
	}
	if c.Groups == 0 {
		c.Groups = 8
	}
	if c.Classes == 0 {
		c.Classes = 10
	}
	return c
}

// Params is the parameter count for inputs with ch channels.
func (c CNNConfig) Params(ch int) int {
	c = c.WithDefaults()
	n, prev := 0, ch
	for _, out := range c.Channels {
		n += 9*prev*out + out + 2*out
		prev = out
	}
	return n + prev*c.Classes + c.Classes
}

// Features maps images [batch, H, W, C] (H, W divisible by 2^blocks) to pooled features
// [batch, last channels]. Blocks are "block_<i>" with "conv" and "norm".
func (c CNNConfig) Features(scope *model.Scope, x *Node) *Node {
	c = c.WithDefaults()
	for i, out := range c.Channels {
		bs := scope.In("block_%d", i)
		x = Conv3x3(bs.In("conv"), x, out)
		x = GroupNorm(bs.In("norm"), x, c.Groups)
		// ReLU and max pooling commute (both monotone); pooling first runs ReLU and its
		// gradient on a 4× smaller tensor.
		x = activation.Relu(MaxPool2x2(x))
	}
	return ReduceMean(x, 1, 2)
}

// Logits is Features followed by the linear "head".
func (c CNNConfig) Logits(scope *model.Scope, x *Node) *Node {
	c = c.WithDefaults()
	return peft.Dense(scope.In("head"), c.Features(scope, x), true, c.Classes)
}

// Conv3x3 is a 3×3 convolution with stride 1 and zero "same" padding, x [b, H, W, C] →
// [b, H, W, out], computed as im2col + peft.Dense (weights [9·C, out] under scope/dense).
func Conv3x3(scope *model.Scope, x *Node, out int) *Node {
	dims := x.Shape().Dimensions
	if len(dims) != 4 {
		panic(fmt.Sprintf("models: Conv3x3 needs [batch, H, W, C], got %s", x.Shape()))
	}
	h, w := dims[1], dims[2]
	zero := ScalarZero(x.Graph(), x.DType())
	padded := Pad(x, zero, compute.PadAxis{}, compute.PadAxis{Start: 1, End: 1}, compute.PadAxis{Start: 1, End: 1}, compute.PadAxis{})
	patches := make([]*Node, 0, 9)
	for dy := 0; dy < 3; dy++ {
		for dx := 0; dx < 3; dx++ {
			patches = append(patches, Slice(padded, AxisRange(), AxisRange(dy, dy+h), AxisRange(dx, dx+w), AxisRange()))
		}
	}
	return peft.Dense(scope, Concatenate(patches, -1), true, out)
}

// MaxPool2x2 halves H and W with a 2×2 max (reshape and reduce: cheap, exact gradients).
func MaxPool2x2(x *Node) *Node {
	d := x.Shape().Dimensions
	if d[1]%2 != 0 || d[2]%2 != 0 {
		panic(fmt.Sprintf("models: MaxPool2x2 needs even H and W, got %s", x.Shape()))
	}
	return ReduceMax(Reshape(x, d[0], d[1]/2, 2, d[2]/2, 2, d[3]), 2, 4)
}

// GroupNorm normalises x [b, H, W, C] over H, W and groups of C/groups channels, then
// applies a learned per-channel gain ("gain", ones) and offset ("offset", zeros).
func GroupNorm(scope *model.Scope, x *Node, groups int) *Node {
	d := x.Shape().Dimensions
	b, h, w, ch := d[0], d[1], d[2], d[3]
	if ch%groups != 0 {
		panic(fmt.Sprintf("models: %d channels are not divisible into %d groups", ch, groups))
	}
	g := Reshape(x, b, h, w, groups, ch/groups)
	mean := ReduceAndKeep(g, ReduceMean, 1, 2, 4)
	centred := Sub(g, mean)
	variance := ReduceAndKeep(Square(centred), ReduceMean, 1, 2, 4)
	normed := Reshape(Div(centred, Sqrt(AddScalar(variance, 1e-5))), b, h, w, ch)
	gain := scope.WithInitializer(initializer.One).VariableWithShape("gain", shapes.Make(x.DType(), ch)).NodeValue(x.Graph())
	offset := scope.WithInitializer(initializer.Zero).VariableWithShape("offset", shapes.Make(x.DType(), ch)).NodeValue(x.Graph())
	return Add(Mul(normed, ExpandLeftToRank(gain, 4)), ExpandLeftToRank(offset, 4))
}
