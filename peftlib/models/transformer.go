package models

import (
	"fmt"
	"math"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/layers/activation"
	"github.com/gomlx/gomlx/ml/layers/norm"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/initializer"
	"github.com/peftlab/peftlab/peftlib/fastops"
	"github.com/peftlab/peftlab/peftlib/peft"
)

// TransformerConfig sizes a transformer stack. The zero value is 2 layers, width 64,
// 4 heads and an MLP of 4× the width.
type TransformerConfig struct {
	Layers  int     // default 2
	Dim     int     // model width d, default 64
	Heads   int     // attention heads, default 4 (Dim must divide evenly)
	MLPDim  int     // hidden size of the MLP, default 4·Dim
	Dropout float64 // dropout on sub-layer outputs while training, default 0
	// Activation of the MLP: "gelu" (exact, default), "gelu_tanh" (the tanh approximation
	// of GPT-2) or "relu".
	Activation string
}

// WithDefaults fills the zero fields.
func (c TransformerConfig) WithDefaults() TransformerConfig {
	if c.Layers == 0 {
		c.Layers = 2
	}
	if c.Dim == 0 {
		c.Dim = 64
	}
	if c.Heads == 0 {
		c.Heads = 4
	}
	if c.MLPDim == 0 {
		c.MLPDim = 4 * c.Dim
	}
	if c.Activation == "" {
		c.Activation = "gelu"
	}
	if _, ok := mlpActivations[c.Activation]; !ok {
		panic(fmt.Sprintf("models: unknown activation %q (use gelu, gelu_tanh or relu)", c.Activation))
	}
	if c.Dim%c.Heads != 0 {
		panic(fmt.Sprintf("models: width %d is not divisible by %d heads", c.Dim, c.Heads))
	}
	return c
}

// BlockParams is the parameter count of one transformer block of c.
func (c TransformerConfig) BlockParams() int {
	c = c.WithDefaults()
	d, f := c.Dim, c.MLPDim
	attn := 4 * (d*d + d)
	mlp := d*f + f + f*d + d
	return attn + mlp + 2*2*d // two layer norms with gain and offset
}

// Blocks runs the transformer blocks over x [batch, seq, Dim]. Each block is pre-norm:
//
//	h = x + Attn(LN(x));  y = h + MLP(LN(h))
//
// with the attention and MLP as peft-aware sub-layers ("layer_<i>/attn", "layer_<i>/mlp"),
// projections "query", "key", "value", "output", "up", "down" as peft.Dense, key/value
// prefixes and prompt slots per layer. keep is how many leading tokens (e.g. a CLS token)
// prompts are inserted after. The result has the same shape as x (prompts removed), after
// a final layer norm.
func Blocks(scope *model.Scope, cfg TransformerConfig, x *Node, causal bool, keep int) *Node {
	cfg = cfg.WithDefaults()
	var nPrompts int
	x, nPrompts = peft.InsertPrompts(scope.In("prompt"), x, keep, 0)
	for i := 0; i < cfg.Layers; i++ {
		ls := scope.In("layer_%d", i)
		x, nPrompts = peft.InsertPrompts(ls.In("prompt"), x, keep, nPrompts)
		x = Block(ls, cfg, x, causal)
	}
	x = peft.RemovePrompts(x, keep, nPrompts)
	return norm.LayerNorm(scope.In("final_norm"), x, -1).Done()
}

// Block is one pre-norm transformer block (see Blocks).
func Block(scope *model.Scope, cfg TransformerConfig, x *Node, causal bool) *Node {
	attnScope, mlpScope := scope.In("attn"), scope.In("mlp")
	attnIn := norm.LayerNorm(scope.In("ln_attn"), x, -1).Done()
	a := peft.Sublayer(attnScope, attnIn, func(in *Node) *Node {
		return Attention(attnScope, in, cfg.Heads, causal)
	})
	x = Add(x, layers.DropoutStatic(attnScope, a, cfg.Dropout))
	mlpIn := norm.LayerNorm(scope.In("ln_mlp"), x, -1).Done()
	m := peft.Sublayer(mlpScope, mlpIn, func(in *Node) *Node {
		return MLPBlock(mlpScope, in, cfg.MLPDim, mlpActivations[cfg.Activation])
	})
	return Add(x, layers.DropoutStatic(mlpScope, m, cfg.Dropout))
}

var mlpActivations = map[string]func(*Node) *Node{
	"gelu": fastops.Gelu, "gelu_tanh": activation.GeluApproximate, "relu": activation.Relu,
}

// MLPBlock is the transformer's feed-forward sub-layer: down(act(up(x))).
func MLPBlock(scope *model.Scope, x *Node, hidden int, act func(*Node) *Node) *Node {
	d := x.Shape().Dimensions[x.Rank()-1]
	h := act(peft.Dense(scope.In("up"), x, true, hidden))
	return peft.Dense(scope.In("down"), h, true, d)
}

// Attention is multi-head self-attention over x [batch, seq, d], scaled by 1/√d_head,
// with optional causal masking and peft key/value prefixes (always visible).
func Attention(scope *model.Scope, x *Node, heads int, causal bool) *Node {
	g := x.Graph()
	dims := x.Shape().Dimensions
	batch, seq, d := dims[0], dims[1], dims[2]
	dh := d / heads
	q := peft.Dense(scope.In("query"), x, true, d)
	k := peft.Dense(scope.In("key"), x, true, d)
	v := peft.Dense(scope.In("value"), x, true, d)
	prefix := 0
	if pk, pv := peft.AttentionPrefixes(scope, g, batch); pk != nil {
		prefix = pk.Shape().Dimensions[1]
		k = Concatenate([]*Node{ConvertDType(pk, x.DType()), k}, 1)
		v = Concatenate([]*Node{ConvertDType(pv, x.DType()), v}, 1)
	}
	keys := seq + prefix
	split := func(t *Node, n int) *Node { return Reshape(t, batch, n, heads, dh) }
	// bqhd,bkhd->bhqk and bhqk,bkhd->bqhd, as DotGenerals with lean gradients.
	scores := fastops.DotGeneral(split(q, seq), []int{3}, []int{0, 2}, split(k, keys), []int{3}, []int{0, 2})
	scores = MulScalar(scores, 1/math.Sqrt(float64(dh)))
	if causal {
		scores = Add(scores, causalMask(g, x.DType(), seq, prefix))
	}
	weights := fastops.Softmax(scores, -1)
	out := fastops.DotGeneral(weights, []int{3}, []int{0, 1}, split(v, keys), []int{1}, []int{0, 2}) // [b, h, q, d]
	out = TransposeAllAxes(out, 0, 2, 1, 3)
	return peft.Dense(scope.In("output"), Reshape(out, batch, seq, d), true, d)
}

// causalMask is 0 where query i may see key j (a prefix, or j ≤ i) and -1e9 elsewhere,
// shaped [1, 1, seq, prefix+seq].
func causalMask(g *Graph, dtype dtypes.DType, seq, prefix int) *Node {
	vals := make([]float32, seq*(seq+prefix))
	for i := 0; i < seq; i++ {
		for j := prefix + i + 1; j < seq+prefix; j++ {
			vals[i*(seq+prefix)+j] = -1e9
		}
	}
	m := Reshape(Const(g, vals), 1, 1, seq, seq+prefix)
	return ConvertDType(m, dtype)
}

// PositionEmbedding adds learned position embeddings ([maxLen, d], N(0, 0.02)) to x
// [batch, seq, d].
func PositionEmbedding(scope *model.Scope, x *Node, maxLen int) *Node {
	dims := x.Shape().Dimensions
	seq, d := dims[1], dims[2]
	if seq > maxLen {
		panic(fmt.Sprintf("models: sequence of %d exceeds the %d positions of %s", seq, maxLen, scope.Scope()))
	}
	s := scope.WithInitializer(initializer.RandomNormalFn(scope, 0.02))
	table := s.VariableWithShape("embeddings", shapes.Make(x.DType(), maxLen, d)).NodeValue(x.Graph())
	pos := Slice(table, AxisRange(0, seq))
	return Add(x, ExpandLeftToRank(pos, 3))
}
