package selective

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/peftlab/peftlab/peftlib/peft"
)

// PeftType values of the three baselines in adapter_config.json (peftlab's own).
const (
	BitFitType      = "BITFIT"
	LinearProbeType = "LINEAR_PROBE"
	FullType        = "FULL_FINETUNE"
)

// BitFit trains the bias terms: every variable named "biases" (dense layers) and "offset"
// (layer and group normalisation), optionally only under the modules matched by Modules
// (Modules rule).
type BitFit struct{ Modules []string }

// LinearProbe trains the output head: the variables of the modules named by Heads
// (default peft.DefaultHeads).
type LinearProbe struct{ Heads []string }

// Full trains every float parameter of the model.
type Full struct{}

// PeftType implements peft.Config.
func (BitFit) PeftType() string { return BitFitType }

// PeftType implements peft.Config.
func (LinearProbe) PeftType() string { return LinearProbeType }

// PeftType implements peft.Config.
func (Full) PeftType() string { return FullType }

// Build implements peft.Config.
func (c BitFit) Build(b *peft.Builder) (peft.Adapter, error) {
	return build(b, BitFitType, map[string]any{"peftlab_modules": c.Modules}, func(v *model.Variable) bool {
		isBias := v.Name() == "biases" || v.Name() == "offset"
		return isBias && (len(c.Modules) == 0 || peft.MatchesAny(v.Scope(), c.Modules))
	})
}

// Build implements peft.Config.
func (c LinearProbe) Build(b *peft.Builder) (peft.Adapter, error) {
	heads := c.Heads
	if heads == nil {
		heads = peft.DefaultHeads
	}
	return build(b, LinearProbeType, map[string]any{"peftlab_heads": heads}, func(v *model.Variable) bool {
		return peft.MatchesAny(v.Scope(), heads)
	})
}

// Build implements peft.Config.
func (c Full) Build(b *peft.Builder) (peft.Adapter, error) {
	return build(b, FullType, map[string]any{}, func(*model.Variable) bool { return true })
}

type delta struct {
	base, delta *model.Variable
}

// Adapter is a built selective adapter.
type Adapter struct {
	peftType string
	config   map[string]any
	deltas   []delta
}

func build(b *peft.Builder, peftType string, config map[string]any, selected func(*model.Variable) bool) (*Adapter, error) {
	var vars []*model.Variable
	for v := range b.Store().IterVariables() {
		path := v.Path()
		if peft.IsBookkeeping(path) || strings.HasPrefix(path, "/"+peft.AdapterRoot+"/") || !v.DType().IsFloat() {
			continue
		}
		if selected(v) {
			vars = append(vars, v)
		}
	}
	if len(vars) == 0 {
		return nil, fmt.Errorf("selective: %s selects none of the model's variables", peftType)
	}
	sort.Slice(vars, func(i, j int) bool { return vars[i].Path() < vars[j].Path() })
	ad := &Adapter{peftType: peftType, config: config}
	for _, v := range vars {
		dims := v.Shape().Dimensions
		d := b.NewVariable(v.Scope(), v.Name()+"_delta", v.DType(), dims, make([]float64, v.Shape().Size()))
		ad.deltas = append(ad.deltas, delta{base: v, delta: d})
	}
	return ad, nil
}

// Selected lists the base variables the adapter trains.
func (ad *Adapter) Selected() []*model.Variable {
	out := make([]*model.Variable, len(ad.deltas))
	for i, d := range ad.deltas {
		out[i] = d.base
	}
	return out
}

// Apply implements peft.Adapter.
func (ad *Adapter) Apply(inj *peft.Injection) {
	for _, d := range ad.deltas {
		dv := d.delta.NodeValue(inj.Graph())
		inj.TransformWeight(d.base, func(w *Node) *Node { return Add(w, dv) })
	}
}

// Variables implements peft.Adapter.
func (ad *Adapter) Variables() []*model.Variable {
	out := make([]*model.Variable, len(ad.deltas))
	for i, d := range ad.deltas {
		out[i] = d.delta
	}
	return out
}

// FileTensors implements peft.Adapter.
func (ad *Adapter) FileTensors() []peft.FileTensor {
	out := make([]peft.FileTensor, len(ad.deltas))
	for i, d := range ad.deltas {
		out[i] = peft.FileTensor{Key: peft.FileKey(d.base.Scope(), d.base.Name()+".delta"), Var: d.delta}
	}
	return out
}

// ConfigJSON implements peft.Adapter.
func (ad *Adapter) ConfigJSON() map[string]any { return ad.config }

// MergeTargets implements peft.Merger.
func (ad *Adapter) MergeTargets() []peft.Target {
	out := make([]peft.Target, len(ad.deltas))
	for i, d := range ad.deltas {
		out[i] = peft.Target{Module: d.base.Scope(), Var: d.base}
	}
	return out
}

func (ad *Adapter) deltaOf(t peft.Target) *model.Variable {
	for _, d := range ad.deltas {
		if d.base == t.Var {
			return d.delta
		}
	}
	panic(fmt.Sprintf("selective: %s is not selected by this adapter", t.Var.Path()))
}

// MergedWeight implements peft.Merger.
func (ad *Adapter) MergedWeight(t peft.Target, w *Node) *Node {
	return Add(w, ad.deltaOf(t).NodeValue(w.Graph()))
}

// UnmergedWeight implements peft.Merger.
func (ad *Adapter) UnmergedWeight(t peft.Target, merged *Node) *Node {
	return Sub(merged, ad.deltaOf(t).NodeValue(merged.Graph()))
}

func init() {
	peft.Register(BitFitType, func(raw []byte) (peft.Config, error) {
		var f struct {
			Modules []string `json:"peftlab_modules"`
		}
		err := json.Unmarshal(raw, &f)
		return BitFit{Modules: f.Modules}, err
	})
	peft.Register(LinearProbeType, func(raw []byte) (peft.Config, error) {
		var f struct {
			Heads []string `json:"peftlab_heads"`
		}
		err := json.Unmarshal(raw, &f)
		return LinearProbe{Heads: f.Heads}, err
	})
	peft.Register(FullType, func([]byte) (peft.Config, error) { return Full{}, nil })
}
