package peft

import (
	"fmt"
	"os"
	"sort"

	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// LinearHook changes the output y of a peft-aware dense layer given its input x (both
// [..., features]); e.g. LoRA returns y + s·dropout(x)·A·B.
type LinearHook func(x, y *Node) *Node

// SublayerHook changes the output y of a peft-aware sub-layer (an attention or MLP block,
// before its residual connection) given its input x: bottleneck adapters use it.
type SublayerHook func(x, y *Node) *Node

// Injection is the state of one graph being built with adapters: the weights' original
// graph values and the hooks peft-aware layers apply. Adapters receive it in Apply.
type Injection struct {
	model    *Model
	scope    *model.Scope
	g        *Graph
	adapter  string // adapter being applied
	original map[string]*Node
	vars     map[string]*model.Variable
	// transforms counts weight transforms per variable path; linear hooks can replace them
	// only if every transform of that weight has its hook.
	transforms map[string]int
	linear     map[string][]linearHook
	sublayer   map[string][]SublayerHook
	prefixes   map[string][]PrefixHook
	prompts    map[string][]PromptHook
	consumed   map[string]bool
}

type linearHook struct {
	adapter string
	hook    LinearHook
	// weightOnly notes a limitation to report when the layer is not peft-aware (e.g. dropout).
	weightOnly string
}

func newInjection(m *Model, scope *model.Scope, g *Graph) *Injection {
	return &Injection{model: m, scope: scope, g: g,
		original: map[string]*Node{}, vars: map[string]*model.Variable{}, transforms: map[string]int{},
		linear: map[string][]linearHook{}, sublayer: map[string][]SublayerHook{},
		consumed: map[string]bool{}}
}

// Graph is the graph being built.
func (inj *Injection) Graph() *Graph { return inj.g }

// Scope is the model function's scope.
func (inj *Injection) Scope() *model.Scope { return inj.scope }

// Adapter is the name of the adapter being applied.
func (inj *Injection) Adapter() string { return inj.adapter }

// Training reports whether the graph is a training graph (dropout on).
func (inj *Injection) Training() bool { return inj.scope.IsTraining(inj.g) }

// Value returns v's graph value: the variable's (adapter variables, frozen base weights).
func (inj *Injection) Value(v *model.Variable) *Node { return v.NodeValue(inj.g) }

// TransformWeight replaces the graph value W of weight v by fn(W) while the model is built
// (weight-level injection, for any GoMLX layer). Transforms of several adapters compose in
// the order they are applied. The stored variable is never changed.
func (inj *Injection) TransformWeight(v *model.Variable, fn func(w *Node) *Node) {
	path := v.Path()
	w := v.NodeValue(inj.g)
	if _, ok := inj.original[path]; !ok {
		inj.original[path] = w
		inj.vars[path] = v
	}
	inj.transforms[path]++
	v.SetNodeValue(fn(w))
}

// OnLinear registers a hook for the peft-aware dense layer whose weight is v, as the
// activation form of a weight transform the same adapter registered. If the layer that
// reads v is a plain GoMLX layer, or another adapter transforms v without a hook, the
// weight-level transforms apply instead and, if weightOnlyNote is not empty, it is printed
// once as a warning (e.g. "dropout is not applied").
func (inj *Injection) OnLinear(v *model.Variable, hook LinearHook, weightOnlyNote string) {
	inj.linear[v.Path()] = append(inj.linear[v.Path()], linearHook{adapter: inj.adapter, hook: hook, weightOnly: weightOnlyNote})
}

// OnSublayer registers a hook for the peft-aware sub-layer at scope path.
func (inj *Injection) OnSublayer(path string, hook SublayerHook) {
	inj.sublayer[path] = append(inj.sublayer[path], hook)
}

// finish restores every transformed weight to its original graph value, so that
// model.Exec does not write W' back into the base, and reports unusable hooks.
func (inj *Injection) finish() {
	paths := make([]string, 0, len(inj.original))
	for p := range inj.original {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		inj.vars[p].SetNodeValue(inj.original[p])
		if inj.consumed[p] {
			continue
		}
		for _, h := range inj.linear[p] {
			if h.weightOnly != "" {
				key := h.adapter + p
				if !inj.model.warned[key] {
					inj.model.warned[key] = true
					fmt.Fprintf(os.Stderr, "peft: adapter %q on %s: %s (the layer is not peft-aware, so the weight-level form is used)\n",
						h.adapter, p, h.weightOnly)
				}
			}
		}
	}
}

type injectionKey struct{}

func attach(g *Graph, inj *Injection) {
	if g.State(injectionKey{}) != nil {
		panic("peft: adapters are already being applied to this graph: do not nest Model.Apply (or Wrap) calls")
	}
	g.AttachState(injectionKey{}, inj)
}

func detach(g *Graph) { g.AttachState(injectionKey{}, nil) }

// Current returns the injection of the graph being built, or nil outside Model.Apply.
// Peft-aware layers use it.
func Current(g *Graph) *Injection {
	s := g.State(injectionKey{})
	if s == nil {
		return nil
	}
	inj, _ := s.(*Injection)
	return inj
}
