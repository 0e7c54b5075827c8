package prefix

import (
	"encoding/json"
	"fmt"
	"strings"

	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/peftlab/peftlab/peftlib/fastops"
	"github.com/peftlab/peftlab/peftlib/peft"
)

// PeftType is prefix tuning's peft_type in adapter_config.json.
const PeftType = "PREFIX_TUNING"

// ParamNumVirtualTokens is the Store hyperparameter for the number of prefix tokens L when
// Config.NumVirtualTokens is 0. Default 10.
const ParamNumVirtualTokens = "prefix_num_virtual_tokens"

// Config configures prefix tuning. The zero value: 10 prefix tokens on every peft-aware
// attention layer named "attn", no reparameterisation.
type Config struct {
	NumVirtualTokens int      // L (ParamNumVirtualTokens if 0)
	Attention        []string // attention sub-layer names, default {"attn"}
	Projection       bool     // reparameterise through an MLP
	ProjectionHidden int      // hidden size of the MLP, default the width d
	InitStd          float64  // std of the initial prefixes (or embedding), default 1 (nn.Embedding's)
	Dim              int      // width d, inferred if 0
	Seed             uint64
}

// PeftType implements peft.Config.
func (c Config) PeftType() string { return PeftType }

// Adapter is a built prefix-tuning adapter.
type Adapter struct {
	cfg     Config
	layers  []peft.SublayerTarget
	dim     int
	prompts *model.Variable // [L, layers·2·d] without projection
	// With projection:
	embedding, w1, b1, w2, b2 *model.Variable
}

// Build implements peft.Config.
func (c Config) Build(b *peft.Builder) (peft.Adapter, error) {
	if c.NumVirtualTokens == 0 {
		c.NumVirtualTokens = model.GetParamOr(b.Store().RootScope(), ParamNumVirtualTokens, 10)
	}
	if c.Attention == nil {
		c.Attention = []string{"attn"}
	}
	if c.InitStd == 0 {
		c.InitStd = 1
	}
	if c.NumVirtualTokens <= 0 {
		return nil, fmt.Errorf("prefix: %d virtual tokens: must be positive", c.NumVirtualTokens)
	}
	layers, err := peft.MatchSublayers(b.Store(), c.Attention, c.Dim)
	if err != nil {
		return nil, err
	}
	d := layers[0].Dim
	for _, l := range layers {
		if l.Dim != d {
			return nil, fmt.Errorf("prefix: attention layers of different widths (%d at %s, %d at %s)", d, layers[0].Path, l.Dim, l.Path)
		}
	}
	if c.ProjectionHidden == 0 {
		c.ProjectionHidden = d
	}
	dtype := b.Store().GetVariable(weightUnder(b.Store(), layers[0].Path)).DType()
	ad := &Adapter{cfg: c, layers: layers, dim: d}
	L, n, h := c.NumVirtualTokens, len(layers)*2*d, c.ProjectionHidden
	rng := peft.RNG(c.Seed, b.Name+"prefix")
	if !c.Projection {
		ad.prompts = b.NewVariable("", "prompt_embeddings", dtype, []int{L, n}, peft.Normal(rng, L*n, c.InitStd))
		return ad, nil
	}
	ad.embedding = b.NewVariable("/prompt_encoder", "embedding", dtype, []int{L, d}, peft.Normal(rng, L*d, c.InitStd))
	ad.w1 = b.NewVariable("/prompt_encoder", "transform_0", dtype, []int{d, h}, peft.Uniform(rng, d*h, peft.KaimingUniformBound(d)))
	ad.b1 = b.NewVariable("/prompt_encoder", "transform_0_bias", dtype, []int{h}, make([]float64, h))
	ad.w2 = b.NewVariable("/prompt_encoder", "transform_2", dtype, []int{h, n}, peft.Uniform(rng, h*n, peft.KaimingUniformBound(h)))
	ad.b2 = b.NewVariable("/prompt_encoder", "transform_2_bias", dtype, []int{n}, make([]float64, n))
	return ad, nil
}

func weightUnder(store *model.Store, scope string) string {
	for v := range store.IterVariables() {
		if strings.HasPrefix(v.Path(), scope+"/") && v.DType().IsFloat() {
			return v.Path()
		}
	}
	panic("prefix: no float variable under " + scope)
}

// Layers lists the attention layers the prefixes are attached to.
func (ad *Adapter) Layers() []peft.SublayerTarget { return ad.layers }

// prefixes returns the [L, layers·2·d] prefix matrix for graph g.
func (ad *Adapter) prefixes(g *Graph) *Node {
	if ad.prompts != nil {
		return ad.prompts.NodeValue(g)
	}
	h := Tanh(Add(fastops.MatMul(ad.embedding.NodeValue(g), ad.w1.NodeValue(g)), InsertAxes(ad.b1.NodeValue(g), 0)))
	return Add(fastops.MatMul(h, ad.w2.NodeValue(g)), InsertAxes(ad.b2.NodeValue(g), 0))
}

// Apply implements peft.Adapter.
func (ad *Adapter) Apply(inj *peft.Injection) {
	g := inj.Graph()
	L, d := ad.cfg.NumVirtualTokens, ad.dim
	var all *Node // computed once per graph, shared by every layer
	for i, layer := range ad.layers {
		i := i
		inj.OnAttention(layer.Path, func(batch int) (k, v *Node) {
			if all == nil {
				all = Reshape(ad.prefixes(g), L, len(ad.layers), 2, d)
			}
			pick := func(kv int) *Node {
				p := Reshape(Slice(all, AxisRange(), AxisElem(i), AxisElem(kv), AxisRange()), 1, L, d)
				return BroadcastToDims(p, batch, L, d)
			}
			return pick(0), pick(1)
		})
	}
}

// Variables implements peft.Adapter.
func (ad *Adapter) Variables() []*model.Variable {
	if ad.prompts != nil {
		return []*model.Variable{ad.prompts}
	}
	return []*model.Variable{ad.embedding, ad.w1, ad.b1, ad.w2, ad.b2}
}

// FileTensors implements peft.Adapter.
func (ad *Adapter) FileTensors() []peft.FileTensor {
	if ad.prompts != nil {
		return []peft.FileTensor{{Key: "prompt_embeddings", Var: ad.prompts}}
	}
	return []peft.FileTensor{
		{Key: "prompt_encoder.embedding.weight", Var: ad.embedding},
		{Key: "prompt_encoder.transform.0.weight", Var: ad.w1, Transpose: true},
		{Key: "prompt_encoder.transform.0.bias", Var: ad.b1},
		{Key: "prompt_encoder.transform.2.weight", Var: ad.w2, Transpose: true},
		{Key: "prompt_encoder.transform.2.bias", Var: ad.b2},
	}
}

type fileConfig struct {
	NumVirtualTokens  int      `json:"num_virtual_tokens"`
	NumLayers         int      `json:"num_layers"`
	TokenDim          int      `json:"token_dim"`
	PrefixProjection  bool     `json:"prefix_projection"`
	EncoderHiddenSize int      `json:"encoder_hidden_size"`
	Attention         []string `json:"peftlab_attention"`
	InitStd           float64  `json:"peftlab_init_std"`
}

// ConfigJSON implements peft.Adapter.
func (ad *Adapter) ConfigJSON() map[string]any {
	var paths []string
	for _, l := range ad.layers {
		paths = append(paths, peft.ModulePath(l.Path))
	}
	return map[string]any{"num_virtual_tokens": ad.cfg.NumVirtualTokens, "num_layers": len(ad.layers),
		"token_dim": ad.dim, "prefix_projection": ad.cfg.Projection, "encoder_hidden_size": ad.cfg.ProjectionHidden,
		"num_transformer_submodules": 1, "peftlab_attention": paths, "peftlab_init_std": ad.cfg.InitStd}
}

// ParseConfig reads a prefix-tuning adapter_config.json.
func ParseConfig(raw []byte) (peft.Config, error) {
	var f fileConfig
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, fmt.Errorf("prefix: %w", err)
	}
	c := Config{NumVirtualTokens: f.NumVirtualTokens, Projection: f.PrefixProjection,
		ProjectionHidden: f.EncoderHiddenSize, Dim: f.TokenDim, InitStd: f.InitStd}
	for _, p := range f.Attention {
		c.Attention = append(c.Attention, "/"+strings.ReplaceAll(p, ".", "/"))
	}
	if len(c.Attention) == 0 {
		c.Attention = []string{"attn"}
	}
	return c, nil
}

func init() { peft.Register(PeftType, ParseConfig) }
