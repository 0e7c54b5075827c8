package ia3

import (
	"encoding/json"
	"fmt"
	"strings"

	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/peftlab/peftlab/peftlib/peft"
)

// PeftType is (IA)³'s peft_type in adapter_config.json.
const PeftType = "IA3"

// Config configures (IA)³. The zero value targets the keys, the values and the MLP's down
// projection (scaled on its input), as in the paper.
type Config struct {
	Targets peft.Targets // default Modules("key", "value", "down")
	// FeedForward are the targets whose input is scaled (default {"down"}); the others
	// scale their output.
	FeedForward []string
}

// PeftType implements peft.Config.
func (c Config) PeftType() string { return PeftType }

func (c Config) resolved() Config {
	if c.Targets.IsZero() {
		c.Targets = peft.Modules("key", "value", "down")
		if c.FeedForward == nil {
			c.FeedForward = []string{"down"}
		}
	}
	return c
}

type module struct {
	target      peft.Target
	feedForward bool
	scale       *model.Variable // [out] or [in]
	bias        *model.Variable // the layer's bias, scaled with attention targets (may be nil)
}

// Adapter is a built (IA)³ adapter.
type Adapter struct {
	cfg     Config
	modules []module
}

// Build implements peft.Config.
func (c Config) Build(b *peft.Builder) (peft.Adapter, error) {
	c = c.resolved()
	targets, err := c.Targets.Match(b.Store())
	if err != nil {
		return nil, err
	}
	ad := &Adapter{cfg: c}
	for _, t := range targets {
		if t.Kind != peft.DenseWeight {
			return nil, fmt.Errorf("ia3: %s is not a dense weight", t.Module)
		}
		ff := peft.MatchesAny(t.Module, c.FeedForward)
		n := t.Out
		if ff {
			n = t.In
		}
		m := module{target: t, feedForward: ff,
			scale: b.NewVariable(t.Module, "ia3_l", t.Var.DType(), []int{n}, peft.Fill(n, 1))}
		if !ff {
			m.bias = b.Store().GetVariable(t.Module + "/biases")
		}
		ad.modules = append(ad.modules, m)
	}
	return ad, nil
}

// Targets implements peft.Targeted.
func (ad *Adapter) Targets() []peft.Target {
	out := make([]peft.Target, len(ad.modules))
	for i, m := range ad.modules {
		out[i] = m.target
	}
	return out
}

func (m module) scaled(w, l *Node) *Node {
	if m.feedForward {
		return Mul(w, InsertAxes(l, -1)) // rows: [in, 1]
	}
	return Mul(w, InsertAxes(l, 0)) // columns: [1, out]
}

// Apply implements peft.Adapter.
func (ad *Adapter) Apply(inj *peft.Injection) {
	g := inj.Graph()
	for _, m := range ad.modules {
		m := m
		l := m.scale.NodeValue(g)
		inj.TransformWeight(m.target.Var, func(w *Node) *Node { return m.scaled(w, l) })
		if m.bias != nil {
			inj.TransformWeight(m.bias, func(b *Node) *Node { return Mul(b, l) })
		}
	}
}

// Variables implements peft.Adapter.
func (ad *Adapter) Variables() []*model.Variable {
	var out []*model.Variable
	for _, m := range ad.modules {
		out = append(out, m.scale)
	}
	return out
}

// FileTensors implements peft.Adapter.
func (ad *Adapter) FileTensors() []peft.FileTensor {
	var out []peft.FileTensor
	for _, m := range ad.modules {
		shape := []int{m.target.Out, 1}
		if m.feedForward {
			shape = []int{1, m.target.In}
		}
		out = append(out, peft.FileTensor{Key: peft.FileKey(m.target.Module, "ia3_l"), Var: m.scale, Shape: shape})
	}
	return out
}

// ConfigJSON implements peft.Adapter.
func (ad *Adapter) ConfigJSON() map[string]any {
	var targets, ff []string
	for _, m := range ad.modules {
		targets = append(targets, peft.ModulePath(m.target.Module))
		if m.feedForward {
			ff = append(ff, peft.ModulePath(m.target.Module))
		}
	}
	return map[string]any{"target_modules": targets, "feedforward_modules": orEmpty(ff),
		"fan_in_fan_out": false, "init_ia3_weights": true}
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// MergeTargets implements peft.Merger.
func (ad *Adapter) MergeTargets() []peft.Target {
	var out []peft.Target
	for _, m := range ad.modules {
		out = append(out, m.target)
		if m.bias != nil {
			out = append(out, peft.Target{Module: m.target.Module, Var: m.bias})
		}
	}
	return out
}

func (ad *Adapter) find(t peft.Target) (module, bool) {
	for _, m := range ad.modules {
		if m.target.Var == t.Var {
			return m, false
		}
		if m.bias == t.Var {
			return m, true
		}
	}
	panic(fmt.Sprintf("ia3: %s is not a target of this adapter", t.Var.Path()))
}

// MergedWeight implements peft.Merger.
func (ad *Adapter) MergedWeight(t peft.Target, w *Node) *Node {
	m, isBias := ad.find(t)
	l := m.scale.NodeValue(w.Graph())
	if isBias {
		return Mul(w, l)
	}
	return m.scaled(w, l)
}

// UnmergedWeight implements peft.Merger: divides by l (as Hugging Face PEFT, it cannot undo
// a zero scale).
func (ad *Adapter) UnmergedWeight(t peft.Target, merged *Node) *Node {
	m, isBias := ad.find(t)
	inv := Inverse(m.scale.NodeValue(merged.Graph()))
	if isBias {
		return Mul(merged, inv)
	}
	return m.scaled(merged, inv)
}

type fileConfig struct {
	TargetModules      any      `json:"target_modules"`
	FeedforwardModules []string `json:"feedforward_modules"`
	FanInFanOut        bool     `json:"fan_in_fan_out"`
}

// ParseConfig reads an (IA)³ adapter_config.json.
func ParseConfig(raw []byte) (peft.Config, error) {
	var f fileConfig
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, fmt.Errorf("ia3: %w", err)
	}
	if f.FanInFanOut {
		return nil, fmt.Errorf("ia3: fan_in_fan_out=true is not supported")
	}
	c := Config{FeedForward: []string{}}
	switch tm := f.TargetModules.(type) {
	case string:
		c.Targets.Regex = tm
	case []any:
		for _, m := range tm {
			s, _ := m.(string)
			c.Targets.Modules = append(c.Targets.Modules, "/"+strings.ReplaceAll(s, ".", "/"))
		}
	default:
		return nil, fmt.Errorf("ia3: target_modules must be a string or a list")
	}
	for _, m := range f.FeedforwardModules {
		c.FeedForward = append(c.FeedForward, "/"+strings.ReplaceAll(m, ".", "/"))
	}
	return c, nil
}

func init() { peft.Register(PeftType, ParseConfig) }
