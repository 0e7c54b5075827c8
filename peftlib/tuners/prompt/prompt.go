package prompt

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/peftlab/peftlab/peftlib/peft"
)

// PeftType is prompt tuning's peft_type in adapter_config.json.
const PeftType = "PROMPT_TUNING"

// ParamNumVirtualTokens is the Store hyperparameter for the number of prompt tokens P when
// Config.NumVirtualTokens is 0. Default 10.
const ParamNumVirtualTokens = "prompt_num_virtual_tokens"

// Config configures prompt tuning. The zero value: 10 prompt tokens at the input of the
// model's only transformer stack, N(0, 0.02²) initialisation.
type Config struct {
	NumVirtualTokens int     // P (ParamNumVirtualTokens if 0)
	Deep             bool    // VPT-deep: prompts at every layer
	Stack            string  // scope of the transformer stack (e.g. "/encoder"); found if the model has one
	InitStd          float64 // default 0.02
	Seed             uint64
}

// PeftType implements peft.Config.
func (c Config) PeftType() string { return PeftType }

var layerScope = regexp.MustCompile(`^(.*)/layer_(\d+)/`)

// stacks finds transformer stacks: scopes holding layer_<i> children, with their layer
// count and width (the smallest dimension of layer_0's attention weights).
func stacks(store *model.Store) map[string][2]int {
	out := map[string][2]int{}
	for v := range store.IterVariables() {
		m := layerScope.FindStringSubmatch(v.Path())
		if m == nil || strings.HasPrefix(v.Path(), "/"+peft.AdapterRoot+"/") {
			continue
		}
		i, _ := strconv.Atoi(m[2])
		s := out[m[1]]
		s[0] = max(s[0], i+1)
		if i == 0 && strings.Contains(v.Path(), "/attn/") && v.Shape().Rank() == 2 && v.Name() == "weights" {
			w := min(v.Shape().Dimensions[0], v.Shape().Dimensions[1])
			if s[1] == 0 || w < s[1] {
				s[1] = w
			}
		}
		out[m[1]] = s
	}
	return out
}

// Adapter is a built prompt-tuning adapter.
type Adapter struct {
	cfg     Config
	stack   string
	layers  int
	dim     int
	prompts *model.Variable // [P, d] or [layers·P, d]
}

// Build implements peft.Config.
func (c Config) Build(b *peft.Builder) (peft.Adapter, error) {
	if c.NumVirtualTokens == 0 {
		c.NumVirtualTokens = model.GetParamOr(b.Store().RootScope(), ParamNumVirtualTokens, 10)
	}
	if c.InitStd == 0 {
		c.InitStd = 0.02
	}
	if c.NumVirtualTokens <= 0 {
		return nil, fmt.Errorf("prompt: %d virtual tokens: must be positive", c.NumVirtualTokens)
	}
	all := stacks(b.Store())
	if c.Stack == "" {
		if len(all) != 1 {
			var names []string
			for s := range all {
				names = append(names, s)
			}
			sort.Strings(names)
			return nil, fmt.Errorf("prompt: the model has %d transformer stacks (%q): set Config.Stack", len(all), names)
		}
		for s := range all {
			c.Stack = s
		}
	}
	info, ok := all[c.Stack]
	if !ok || info[1] == 0 {
		return nil, fmt.Errorf("prompt: %q is not a transformer stack of the model (layer_<i>/attn weights expected)", c.Stack)
	}
	ad := &Adapter{cfg: c, stack: c.Stack, layers: info[0], dim: info[1]}
	rows := c.NumVirtualTokens
	if c.Deep {
		rows *= ad.layers
	}
	dtype := b.Store().GetVariable(firstFloat(b.Store(), c.Stack)).DType()
	rng := peft.RNG(c.Seed, b.Name+"prompt")
	ad.prompts = b.NewVariable("", "prompt_embeddings", dtype, []int{rows, ad.dim}, peft.Normal(rng, rows*ad.dim, c.InitStd))
	return ad, nil
}

func firstFloat(store *model.Store, scope string) string {
	for v := range store.IterVariables() {
		if strings.HasPrefix(v.Path(), scope+"/") && v.DType().IsFloat() {
			return v.Path()
		}
	}
	panic("prompt: no float variable under " + scope)
}

// Apply implements peft.Adapter.
func (ad *Adapter) Apply(inj *peft.Injection) {
	g := inj.Graph()
	P, d := ad.cfg.NumVirtualTokens, ad.dim
	slot := func(path string, rows int) {
		inj.OnPrompt(path, func(batch int) *Node {
			p := Slice(ad.prompts.NodeValue(g), AxisRange(rows, rows+P))
			return BroadcastToDims(InsertAxes(p, 0), batch, P, d)
		})
	}
	if !ad.cfg.Deep {
		slot(ad.stack+"/prompt", 0)
		return
	}
	for i := 0; i < ad.layers; i++ {
		slot(fmt.Sprintf("%s/layer_%d/prompt", ad.stack, i), i*P)
	}
}

// Variables implements peft.Adapter.
func (ad *Adapter) Variables() []*model.Variable { return []*model.Variable{ad.prompts} }

// FileTensors implements peft.Adapter.
func (ad *Adapter) FileTensors() []peft.FileTensor {
	return []peft.FileTensor{{Key: "prompt_embeddings", Var: ad.prompts}}
}

type fileConfig struct {
	NumVirtualTokens int     `json:"num_virtual_tokens"`
	TokenDim         int     `json:"token_dim"`
	Deep             bool    `json:"peftlab_deep"`
	Stack            string  `json:"peftlab_stack"`
	InitStd          float64 `json:"peftlab_init_std"`
}

// ConfigJSON implements peft.Adapter.
func (ad *Adapter) ConfigJSON() map[string]any {
	return map[string]any{"num_virtual_tokens": ad.cfg.NumVirtualTokens, "token_dim": ad.dim,
		"num_transformer_submodules": 1, "num_layers": ad.layers, "prompt_tuning_init": "RANDOM",
		"peftlab_deep": ad.cfg.Deep, "peftlab_stack": peft.ModulePath(ad.stack), "peftlab_init_std": ad.cfg.InitStd}
}

// ParseConfig reads a prompt-tuning adapter_config.json.
func ParseConfig(raw []byte) (peft.Config, error) {
	var f fileConfig
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, fmt.Errorf("prompt: %w", err)
	}
	c := Config{NumVirtualTokens: f.NumVirtualTokens, Deep: f.Deep, InitStd: f.InitStd}
	if f.Stack != "" {
		c.Stack = "/" + strings.ReplaceAll(f.Stack, ".", "/")
	}
	return c, nil
}

func init() { peft.Register(PeftType, ParseConfig) }
