package peft

import (
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// AdapterRoot is the top scope under which adapters keep their variables:
// /peft/<adapter name>/<target module>/<variable>.
const AdapterRoot = "peft"

// Config configures one PEFT method (lora.Config, ...). Each tuner package provides one.
type Config interface {
	// PeftType is the method's name in adapter_config.json, e.g. "LORA".
	PeftType() string
	// Build creates the adapter's variables on the model and returns the adapter.
	// Model.AddAdapter calls it once.
	Build(b *Builder) (Adapter, error)
}

// Adapter is one method instance attached to a model under a name.
type Adapter interface {
	// Apply injects the adapter into the graph being built: weight transforms and hooks.
	Apply(inj *Injection)
	// Variables are the adapter's own variables: trained, counted and saved.
	Variables() []*model.Variable
	// FileTensors maps the adapter's variables to tensor names in adapter_model.safetensors.
	FileTensors() []FileTensor
	// ConfigJSON is the method's part of adapter_config.json (besides peft_type and the
	// common keys written by SaveAdapter).
	ConfigJSON() map[string]any
}

// Merger is implemented by adapters whose effect is a change of weights, W' = W + ΔW (or
// another function of W): they can be merged into the base and taken out again.
type Merger interface {
	Adapter
	// MergeTargets are the weights the adapter changes.
	MergeTargets() []Target
	// MergedWeight returns W' for target t given its base value w (graph building).
	MergedWeight(t Target, w *Node) *Node
	// UnmergedWeight inverts MergedWeight: the base value given W'.
	UnmergedWeight(t Target, merged *Node) *Node
}

// BaseTrainer is implemented by methods that train some of the base model's own variables
// (BitFit's biases, a linear probe's head, full fine-tuning).
type BaseTrainer interface {
	TrainsBaseVariable(v *model.Variable) bool
}

// FileTensor maps an adapter variable to its tensor in adapter_model.safetensors.
type FileTensor struct {
	Key       string          // e.g. "base_model.model.enc.query.dense.lora_A.weight"
	Var       *model.Variable // the adapter variable
	Transpose bool            // the file holds the transpose of the 2-D variable (PyTorch layout)
	Shape     []int           // if set, the file's shape (same size, no transpose), e.g. IA³'s [out, 1]
}

// Builder is what Config.Build gets: the model, the adapter name and helpers to create
// variables under /peft/<name>.
type Builder struct {
	Model *Model
	Name  string
}

// Store is the model's variable store.
func (b *Builder) Store() *model.Store { return b.Model.store }

// Scope returns /peft/<adapter name><module>, where the adapter keeps the variables of one
// target module.
func (b *Builder) Scope(module string) *model.Scope {
	return b.Model.store.Scope(AdapterScope(b.Name) + module)
}

// AdapterScope is the scope path holding an adapter's variables: /peft/<name>.
func AdapterScope(name string) string { return "/" + AdapterRoot + "/" + name }

// Targeted is implemented by adapters that change specific weights (LoRA, IA³, ...).
type Targeted interface {
	Targets() []Target
}

// Targets lists the weights the named adapter adapts (nil for methods that only add
// tokens or sub-layer modules). Use it to check the selection before training.
func (m *Model) Targets(name string) []Target {
	if t, ok := m.Adapter(name).(Targeted); ok {
		return t.Targets()
	}
	return nil
}
