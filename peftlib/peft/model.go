package peft

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
)

// Model is a GoMLX model (its Store) with named PEFT adapters attached: the equivalent of
// Hugging Face PEFT's PeftModel. The base model function is wrapped with Wrap.
type Model struct {
	backend  compute.Backend
	store    *model.Store
	adapters []*entry
	active   []string
	disabled bool
	// ModulesToSave are scope prefixes of base variables that train and save with the
	// adapters, e.g. a classifier head ("/head"): Hugging Face PEFT's modules_to_save.
	ModulesToSave []string
	// warned records one-time warnings already printed (e.g. dropout on weight-level LoRA).
	warned map[string]bool
}

type entry struct {
	name    string
	config  Config
	adapter Adapter
	merged  bool
}

// New attaches PEFT to the model whose variables are in store. The base weights must exist
// (trained, loaded with a checkpoint's Immediate(), or created with Materialize) before
// adapters that target them are added.
func New(backend compute.Backend, store *model.Store) *Model {
	return &Model{backend: backend, store: store, warned: map[string]bool{}}
}

// Store returns the model's variable store.
func (m *Model) Store() *model.Store { return m.store }

// Backend returns the backend used for merges and initialisation.
func (m *Model) Backend() compute.Backend { return m.backend }

var adapterName = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)

// AddAdapter builds an adapter from cfg under name and makes it the only active one (as
// Hugging Face PEFT's add_adapter + set_adapter).
func (m *Model) AddAdapter(name string, cfg Config) error {
	if !adapterName.MatchString(name) {
		return fmt.Errorf("peft: adapter name %q: use letters, digits, '_', '-' and '.'", name)
	}
	if m.entry(name) != nil {
		return fmt.Errorf("peft: adapter %q already exists (DeleteAdapter it first)", name)
	}
	if cfg == nil {
		return fmt.Errorf("peft: adapter %q: nil config", name)
	}
	for v := range m.store.IterVariables() {
		if hasScopePrefix(v.Path(), AdapterScope(name)) {
			return fmt.Errorf("peft: the store already holds variables of an adapter named %q (%s), probably from "+
				"another peft.Model on the same store: delete them (DeleteAdapter) or choose another name", name, v.Path())
		}
	}
	a, err := cfg.Build(&Builder{Model: m, Name: name})
	if err != nil {
		_ = m.store.DeleteVariablesInScope(AdapterScope(name))
		return fmt.Errorf("peft: adding %s adapter %q: %w", cfg.PeftType(), name, err)
	}
	m.adapters = append(m.adapters, &entry{name: name, config: cfg, adapter: a})
	m.active = []string{name}
	return nil
}

func (m *Model) entry(name string) *entry {
	for _, e := range m.adapters {
		if e.name == name {
			return e
		}
	}
	return nil
}

// Adapter returns the named adapter, or nil.
func (m *Model) Adapter(name string) Adapter {
	if e := m.entry(name); e != nil {
		return e.adapter
	}
	return nil
}

// AdapterConfig returns the config the named adapter was built from, or nil.
func (m *Model) AdapterConfig(name string) Config {
	if e := m.entry(name); e != nil {
		return e.config
	}
	return nil
}

// Adapters lists the adapter names in the order they were added.
func (m *Model) Adapters() []string {
	names := make([]string, len(m.adapters))
	for i, e := range m.adapters {
		names[i] = e.name
	}
	return names
}

// SetAdapter makes the named adapters the active ones: they are applied (in the order
// given) and they train. No names deactivates all adapters.
func (m *Model) SetAdapter(names ...string) error {
	for _, n := range names {
		if m.entry(n) == nil {
			return fmt.Errorf("peft: no adapter %q (have %q)", n, m.Adapters())
		}
	}
	m.active = slices.Clone(names)
	return nil
}

// Active lists the active adapters.
func (m *Model) Active() []string { return slices.Clone(m.active) }

// SetDisabled turns all adapters off (true) or back on: Hugging Face PEFT's
// disable_adapter(). Graphs built while disabled run the base model alone; already
// compiled executors keep what they were built with.
func (m *Model) SetDisabled(disabled bool) { m.disabled = disabled }

// Disabled reports whether adapters are turned off.
func (m *Model) Disabled() bool { return m.disabled }

// DeleteAdapter removes an adapter and its variables. A merged adapter is unmerged first.
func (m *Model) DeleteAdapter(name string) error {
	e := m.entry(name)
	if e == nil {
		return fmt.Errorf("peft: no adapter %q (have %q)", name, m.Adapters())
	}
	if e.merged {
		if err := m.Unmerge(name); err != nil {
			return err
		}
	}
	if err := m.store.DeleteVariablesInScope(AdapterScope(name)); err != nil {
		return fmt.Errorf("peft: deleting adapter %q: %w", name, err)
	}
	m.adapters = slices.DeleteFunc(m.adapters, func(x *entry) bool { return x == e })
	m.active = slices.DeleteFunc(m.active, func(x string) bool { return x == name })
	return nil
}

// applied returns the adapters that the next graph applies: active, not merged, not disabled.
func (m *Model) applied() []*entry {
	if m.disabled {
		return nil
	}
	var out []*entry
	for _, n := range m.active {
		if e := m.entry(n); e != nil && !e.merged {
			out = append(out, e)
		}
	}
	return out
}

// Apply runs build with the active adapters injected into graph g, then restores the
// weights' graph values and refreshes which variables are trainable. Model functions
// wrapped with Wrap call it; call it directly for signatures Wrap does not know.
func (m *Model) Apply(scope *model.Scope, g *Graph, build func()) {
	inj := newInjection(m, scope, g)
	attach(g, inj)
	for _, e := range m.applied() {
		inj.adapter = e.name
		e.adapter.Apply(inj)
	}
	inj.adapter = ""
	build()
	inj.finish()
	detach(g)
	m.RefreshTrainable()
}

// Wrap returns a model function that runs fn with the model's active adapters injected.
// It keeps fn's signature, so the result goes straight to train.NewTrainer or model.NewExec.
// Supported signatures: train.ModelFn and func(*model.Scope, ...) with 1 to 3 *Node inputs
// or a []*Node, returning one *Node or a []*Node.
func Wrap[F any](m *Model, fn F) F {
	var out any
	switch f := any(fn).(type) {
	case train.ModelFn:
		out = train.ModelFn(func(s *model.Scope, spec any, in []*Node) (y []*Node) {
			m.Apply(s, in[0].Graph(), func() { y = f(s, spec, in) })
			return
		})
	case func(*model.Scope, any, []*Node) []*Node:
		out = func(s *model.Scope, spec any, in []*Node) (y []*Node) {
			m.Apply(s, in[0].Graph(), func() { y = f(s, spec, in) })
			return
		}
	case func(*model.Scope, *Node) *Node:
		out = func(s *model.Scope, x *Node) (y *Node) {
			m.Apply(s, x.Graph(), func() { y = f(s, x) })
			return
		}
	case func(*model.Scope, *Node, *Node) *Node:
		out = func(s *model.Scope, x0, x1 *Node) (y *Node) {
			m.Apply(s, x0.Graph(), func() { y = f(s, x0, x1) })
			return
		}
	case func(*model.Scope, *Node, *Node, *Node) *Node:
		out = func(s *model.Scope, x0, x1, x2 *Node) (y *Node) {
			m.Apply(s, x0.Graph(), func() { y = f(s, x0, x1, x2) })
			return
		}
	case func(*model.Scope, []*Node) *Node:
		out = func(s *model.Scope, in []*Node) (y *Node) {
			m.Apply(s, in[0].Graph(), func() { y = f(s, in) })
			return
		}
	case func(*model.Scope, []*Node) []*Node:
		out = func(s *model.Scope, in []*Node) (y []*Node) {
			m.Apply(s, in[0].Graph(), func() { y = f(s, in) })
			return
		}
	default:
		panic(fmt.Sprintf("peft.Wrap: unsupported model function type %T; call Model.Apply inside your function instead", fn))
	}
	return out.(F)
}

// sortedVariables returns the store's variables sorted by path.
func sortedVariables(store *model.Store) []*model.Variable {
	var vars []*model.Variable
	for v := range store.IterVariables() {
		vars = append(vars, v)
	}
	sort.Slice(vars, func(i, j int) bool { return vars[i].Path() < vars[j].Path() })
	return vars
}

func hasScopePrefix(path, prefix string) bool {
	prefix = strings.TrimSuffix(prefix, "/")
	return path == prefix || strings.HasPrefix(path, prefix+"/")
}
