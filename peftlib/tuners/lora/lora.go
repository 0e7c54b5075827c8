package lora

import (
	"fmt"

	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/peftlab/peftlab/peftlib/fastops"
	"github.com/peftlab/peftlab/peftlib/peft"
)

// module is LoRA on one target weight.
type module struct {
	target peft.Target
	a, b   *model.Variable // A: [in, r], B: [r, out]
	rank   int
	alpha  float64
	scale  float64
}

// Adapter is a built LoRA adapter.
type Adapter struct {
	cfg     Config
	name    string
	modules []module
}

// Build implements peft.Config: it matches the targets and creates A and B for each.
func (c Config) Build(b *peft.Builder) (peft.Adapter, error) {
	c = c.resolved(b.Store())
	if err := c.validate(); err != nil {
		return nil, err
	}
	targets, err := c.Targets.Match(b.Store())
	if err != nil {
		return nil, err
	}
	ad := &Adapter{cfg: c, name: b.Name}
	for _, t := range targets {
		r := peft.PatternValue(c.RankPattern, t.Module, c.R)
		alpha := peft.PatternValue(c.AlphaPattern, t.Module, c.Alpha)
		dtype := t.Var.DType()
		rng := peft.RNG(c.Seed, b.Name+t.Module)
		var aInit, bInit []float64
		if t.Kind == peft.EmbeddingWeight {
			// Hugging Face PEFT initialises embeddings the other way round: A = 0, B ~ N(0, 1).
			aInit, bInit = make([]float64, t.In*r), peft.Normal(rng, r*t.Out, 1)
		} else {
			if c.InitGaussian {
				aInit = peft.Normal(rng, t.In*r, 1/float64(r))
			} else {
				aInit = peft.Uniform(rng, t.In*r, peft.KaimingUniformBound(t.In))
			}
			bInit = make([]float64, r*t.Out)
		}
		ad.modules = append(ad.modules, module{
			target: t, rank: r, alpha: alpha, scale: c.Scale(r, alpha),
			a: b.NewVariable(t.Module, "lora_A", dtype, []int{t.In, r}, aInit),
			b: b.NewVariable(t.Module, "lora_B", dtype, []int{r, t.Out}, bInit),
		})
	}
	return ad, nil
}

// Targets lists the adapted weights.
func (ad *Adapter) Targets() []peft.Target {
	out := make([]peft.Target, len(ad.modules))
	for i, m := range ad.modules {
		out[i] = m.target
	}
	return out
}

// Config returns the resolved configuration.
func (ad *Adapter) Config() Config { return ad.cfg }

func (m module) delta(g *Graph) *Node {
	return MulScalar(fastops.MatMul(m.a.NodeValue(g), m.b.NodeValue(g)), m.scale)
}

// Apply implements peft.Adapter.
func (ad *Adapter) Apply(inj *peft.Injection) {
	g := inj.Graph()
	for _, m := range ad.modules {
		m := m
		inj.TransformWeight(m.target.Var, func(w *Node) *Node { return Add(w, m.delta(g)) })
		if m.target.Kind != peft.DenseWeight || !ad.cfg.activationForm() {
			continue
		}
		note := ""
		if ad.cfg.Dropout > 0 {
			note = fmt.Sprintf("lora_dropout=%g is not applied", ad.cfg.Dropout)
		}
		dropScope := inj.Scope().Store().Scope(peft.AdapterScope(ad.name) + m.target.Module)
		inj.OnLinear(m.target.Var, func(x, y *Node) *Node {
			x = layers.DropoutStatic(dropScope, x, ad.cfg.Dropout)
			h := peft.Linear(x, m.a.NodeValue(g))
			return Add(y, MulScalar(peft.Linear(h, m.b.NodeValue(g)), m.scale))
		}, note)
	}
}

// Variables implements peft.Adapter.
func (ad *Adapter) Variables() []*model.Variable {
	var out []*model.Variable
	for _, m := range ad.modules {
		out = append(out, m.a, m.b)
	}
	return out
}

// FileTensors implements peft.Adapter: PEFT's names and [r, in] / [out, r] layouts.
func (ad *Adapter) FileTensors() []peft.FileTensor {
	var out []peft.FileTensor
	for _, m := range ad.modules {
		aKey, bKey := "lora_A.weight", "lora_B.weight"
		if m.target.Kind == peft.EmbeddingWeight {
			aKey, bKey = "lora_embedding_A", "lora_embedding_B"
		}
		out = append(out,
			peft.FileTensor{Key: peft.FileKey(m.target.Module, aKey), Var: m.a, Transpose: true},
			peft.FileTensor{Key: peft.FileKey(m.target.Module, bKey), Var: m.b, Transpose: true})
	}
	return out
}

// ConfigJSON implements peft.Adapter.
func (ad *Adapter) ConfigJSON() map[string]any {
	c := ad.cfg
	var targets any
	switch {
	case c.Targets.AllLinear:
		targets = "all-linear"
	case c.Targets.Regex != "":
		targets = c.Targets.Regex
	default:
		var mods []string
		for _, m := range c.Targets.Modules {
			mods = append(mods, slashesToDots(m))
		}
		targets = mods
	}
	var exact, exclude []string
	for _, m := range ad.modules {
		exact = append(exact, peft.ModulePath(m.target.Module))
	}
	for _, m := range c.Targets.Exclude {
		exclude = append(exclude, slashesToDots(m))
	}
	init := any(true)
	if c.InitGaussian {
		init = "gaussian"
	}
	return map[string]any{
		"r": c.R, "lora_alpha": c.Alpha, "lora_dropout": c.Dropout, "target_modules": targets,
		"exclude_modules": exclude, "use_rslora": c.UseRSLoRA, "use_dora": false, "fan_in_fan_out": false,
		"bias": "none", "init_lora_weights": init, "rank_pattern": orEmpty(c.RankPattern),
		"alpha_pattern": orEmpty(c.AlphaPattern), "layers_to_transform": nil, "layers_pattern": nil,
		"peftlab_target_modules": exact, "peftlab_form": formNames[c.Form],
	}
}

func orEmpty[T any](m map[string]T) map[string]T {
	if m == nil {
		return map[string]T{}
	}
	return m
}

// MergeTargets implements peft.Merger.
func (ad *Adapter) MergeTargets() []peft.Target { return ad.Targets() }

func (ad *Adapter) moduleOf(t peft.Target) module {
	for _, m := range ad.modules {
		if m.target.Var == t.Var {
			return m
		}
	}
	panic(fmt.Sprintf("lora: %s is not a target of this adapter", t.Module))
}

// MergedWeight implements peft.Merger: W + s·A·B.
func (ad *Adapter) MergedWeight(t peft.Target, w *Node) *Node {
	return Add(w, ad.moduleOf(t).delta(w.Graph()))
}

// UnmergedWeight implements peft.Merger: W' − s·A·B.
func (ad *Adapter) UnmergedWeight(t peft.Target, merged *Node) *Node {
	return Sub(merged, ad.moduleOf(t).delta(merged.Graph()))
}
