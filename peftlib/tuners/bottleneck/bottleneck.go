package bottleneck

import (
	"encoding/json"
	"fmt"

	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/layers/activation"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/peftlab/peftlab/peftlib/fastops"
	"github.com/peftlab/peftlab/peftlib/peft"
)

// PeftType is the peft_type of bottleneck adapters in adapter_config.json.
const PeftType = "BOTTLENECK"

// Hyperparameter keys read from the Store when the Config field is zero.
const (
	// ParamReductionFactor sets the bottleneck size to width/factor. Default 16.
	ParamReductionFactor = "bottleneck_reduction_factor"
	// ParamScaling is the output scaling s. Default 1.
	ParamScaling = "bottleneck_scaling"
)

// Residual selects the residual connection inside the adapter.
type Residual int

const (
	// ResidualDefault is on for sequential adapters, off for parallel ones.
	ResidualDefault Residual = iota
	ResidualOn
	ResidualOff
)

// Config configures bottleneck adapters. The zero value is a Pfeiffer adapter: sequential,
// after the MLP block, size width/16, ReLU, scaling 1.
type Config struct {
	Sublayers       []string // sub-layer names, default {"mlp"}; Houlsby: {"attn", "mlp"}
	Parallel        bool     // beside the sub-layer instead of after it
	Size            int      // bottleneck size b (overrides ReductionFactor)
	ReductionFactor int      // b = width / ReductionFactor (ParamReductionFactor if 0)
	Activation      string   // "relu" (default), "tanh", "gelu", "swish"
	Residual        Residual
	LayerNorm       bool    // layer norm on the adapter's input
	Scaling         float64 // s (ParamScaling if 0)
	InitBERT        bool    // both projections N(0, 0.02) instead of Kaiming-uniform down, zero up
	Dim             int     // sub-layer width, inferred from its weights if 0
	Seed            uint64
}

// PeftType implements peft.Config.
func (c Config) PeftType() string { return PeftType }

func (c Config) resolved(store *model.Store) Config {
	root := store.RootScope()
	if c.Sublayers == nil {
		c.Sublayers = []string{"mlp"}
	}
	if c.ReductionFactor == 0 {
		c.ReductionFactor = model.GetParamOr(root, ParamReductionFactor, 16)
	}
	if c.Scaling == 0 {
		c.Scaling = model.GetParamOr(root, ParamScaling, 1.0)
	}
	if c.Activation == "" {
		c.Activation = "relu"
	}
	if c.Residual == ResidualDefault {
		c.Residual = ResidualOn
		if c.Parallel {
			c.Residual = ResidualOff
		}
	}
	return c
}

func (c Config) size(dim int) int {
	if c.Size > 0 {
		return c.Size
	}
	return max(1, dim/c.ReductionFactor)
}

var activations = map[string]func(*Node) *Node{
	"relu": activation.Relu, "tanh": Tanh, "gelu": fastops.Gelu, "swish": activation.Swish,
}

type module struct {
	target         peft.SublayerTarget
	down, downBias *model.Variable // [d, b], [b]
	up, upBias     *model.Variable // [b, d], [d]
	gain, offset   *model.Variable // [d] each, with LayerNorm
}

// Adapter is a built set of bottleneck adapters.
type Adapter struct {
	cfg     Config
	modules []module
}

// Build implements peft.Config.
func (c Config) Build(b *peft.Builder) (peft.Adapter, error) {
	c = c.resolved(b.Store())
	if _, ok := activations[c.Activation]; !ok {
		return nil, fmt.Errorf("bottleneck: unknown activation %q (use relu, tanh, gelu or swish)", c.Activation)
	}
	if c.ReductionFactor <= 0 || c.Size < 0 {
		return nil, fmt.Errorf("bottleneck: size %d / reduction factor %d must be positive", c.Size, c.ReductionFactor)
	}
	targets, err := peft.MatchSublayers(b.Store(), c.Sublayers, c.Dim)
	if err != nil {
		return nil, err
	}
	ad := &Adapter{cfg: c}
	for _, t := range targets {
		d, bs := t.Dim, c.size(t.Dim)
		dtype := b.Store().GetVariable(firstWeight(b.Store(), t.Path)).DType()
		rng := peft.RNG(c.Seed, b.Name+t.Path)
		var downInit, upInit []float64
		if c.InitBERT {
			downInit, upInit = peft.Normal(rng, d*bs, 0.02), peft.Normal(rng, bs*d, 0.02)
		} else {
			downInit, upInit = peft.Uniform(rng, d*bs, peft.KaimingUniformBound(d)), make([]float64, bs*d)
		}
		m := module{target: t,
			down:     b.NewVariable(t.Path, "adapter_down", dtype, []int{d, bs}, downInit),
			downBias: b.NewVariable(t.Path, "adapter_down_bias", dtype, []int{bs}, make([]float64, bs)),
			up:       b.NewVariable(t.Path, "adapter_up", dtype, []int{bs, d}, upInit),
			upBias:   b.NewVariable(t.Path, "adapter_up_bias", dtype, []int{d}, make([]float64, d)),
		}
		if c.LayerNorm {
			m.gain = b.NewVariable(t.Path, "adapter_norm_gain", dtype, []int{d}, peft.Fill(d, 1))
			m.offset = b.NewVariable(t.Path, "adapter_norm_offset", dtype, []int{d}, make([]float64, d))
		}
		ad.modules = append(ad.modules, m)
	}
	return ad, nil
}

// firstWeight returns the path of a float variable under scope, for its dtype.
func firstWeight(store *model.Store, scope string) string {
	for v := range store.IterVariables() {
		if len(v.Path()) > len(scope) && v.Path()[:len(scope)+1] == scope+"/" && v.DType().IsFloat() {
			return v.Path()
		}
	}
	panic("bottleneck: no float variable under " + scope)
}

// Sublayers lists the sub-layers the adapter is attached to.
func (ad *Adapter) Sublayers() []peft.SublayerTarget {
	out := make([]peft.SublayerTarget, len(ad.modules))
	for i, m := range ad.modules {
		out[i] = m.target
	}
	return out
}

// Apply implements peft.Adapter.
func (ad *Adapter) Apply(inj *peft.Injection) {
	g := inj.Graph()
	act := activations[ad.cfg.Activation]
	for _, m := range ad.modules {
		m := m
		f := func(in *Node) *Node {
			if m.gain != nil {
				in = peft.LayerNormWith(in, m.gain.NodeValue(g), m.offset.NodeValue(g))
			}
			h := Add(peft.Linear(in, m.down.NodeValue(g)), ExpandLeftToRank(m.downBias.NodeValue(g), in.Rank()))
			h = act(h)
			h = Add(peft.Linear(h, m.up.NodeValue(g)), ExpandLeftToRank(m.upBias.NodeValue(g), in.Rank()))
			return MulScalar(h, ad.cfg.Scaling)
		}
		residual := ad.cfg.Residual == ResidualOn
		if ad.cfg.Parallel {
			inj.OnSublayer(m.target.Path, func(x, y *Node) *Node {
				out := Add(y, f(x))
				if residual {
					out = Add(out, x)
				}
				return out
			})
		} else {
			inj.OnSublayer(m.target.Path, func(_, y *Node) *Node {
				if residual {
					return Add(y, f(y))
				}
				return f(y)
			})
		}
	}
}

// Variables implements peft.Adapter.
func (ad *Adapter) Variables() []*model.Variable {
	var out []*model.Variable
	for _, m := range ad.modules {
		out = append(out, m.down, m.downBias, m.up, m.upBias)
		if m.gain != nil {
			out = append(out, m.gain, m.offset)
		}
	}
	return out
}

// FileTensors implements peft.Adapter.
func (ad *Adapter) FileTensors() []peft.FileTensor {
	var out []peft.FileTensor
	for _, m := range ad.modules {
		p := m.target.Path
		out = append(out,
			peft.FileTensor{Key: peft.FileKey(p, "adapter_down.weight"), Var: m.down, Transpose: true},
			peft.FileTensor{Key: peft.FileKey(p, "adapter_down.bias"), Var: m.downBias},
			peft.FileTensor{Key: peft.FileKey(p, "adapter_up.weight"), Var: m.up, Transpose: true},
			peft.FileTensor{Key: peft.FileKey(p, "adapter_up.bias"), Var: m.upBias})
		if m.gain != nil {
			out = append(out,
				peft.FileTensor{Key: peft.FileKey(p, "adapter_norm.weight"), Var: m.gain},
				peft.FileTensor{Key: peft.FileKey(p, "adapter_norm.bias"), Var: m.offset})
		}
	}
	return out
}

type fileConfig struct {
	Sublayers       []string `json:"peftlab_sublayers"`
	Parallel        bool     `json:"use_parallel_adapter"`
	Size            int      `json:"bottleneck_size"`
	ReductionFactor int      `json:"reduction_factor"`
	Activation      string   `json:"non_linearity"`
	Residual        bool     `json:"residual"`
	LayerNorm       bool     `json:"adapter_layernorm"`
	Scaling         float64  `json:"scaling"`
	InitBERT        bool     `json:"init_bert"`
	Dim             int      `json:"peftlab_dim"`
	Paths           []string `json:"target_modules"`
}

// ConfigJSON implements peft.Adapter.
func (ad *Adapter) ConfigJSON() map[string]any {
	c := ad.cfg
	var paths []string
	for _, m := range ad.modules {
		paths = append(paths, peft.ModulePath(m.target.Path))
	}
	f := fileConfig{Sublayers: c.Sublayers, Parallel: c.Parallel, Size: c.Size, ReductionFactor: c.ReductionFactor,
		Activation: c.Activation, Residual: c.Residual == ResidualOn, LayerNorm: c.LayerNorm, Scaling: c.Scaling,
		InitBERT: c.InitBERT, Dim: c.Dim, Paths: paths}
	raw, _ := json.Marshal(f)
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	return out
}

// ParseConfig reads a bottleneck adapter_config.json written by SaveAdapter.
func ParseConfig(raw []byte) (peft.Config, error) {
	var f fileConfig
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, fmt.Errorf("bottleneck: %w", err)
	}
	c := Config{Parallel: f.Parallel, Size: f.Size, ReductionFactor: f.ReductionFactor, Activation: f.Activation,
		LayerNorm: f.LayerNorm, Scaling: f.Scaling, InitBERT: f.InitBERT, Dim: f.Dim, Residual: ResidualOff}
	if f.Residual {
		c.Residual = ResidualOn
	}
	for _, p := range f.Paths { // the exact sub-layers the adapter was saved for
		c.Sublayers = append(c.Sublayers, "/"+peftPathToScope(p))
	}
	if len(c.Sublayers) == 0 {
		c.Sublayers = f.Sublayers
	}
	return c, nil
}

func peftPathToScope(p string) string {
	b := []byte(p)
	for i := range b {
		if b[i] == '.' {
			b[i] = '/'
		}
	}
	return string(b)
}

func init() { peft.Register(PeftType, ParseConfig) }
