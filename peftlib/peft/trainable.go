package peft

import (
	"fmt"
	"os"
	"strings"

	"github.com/gomlx/gomlx/ml/model"
)

// RefreshTrainable sets every variable's Trainable flag: the active adapters' variables and
// ModulesToSave train, base variables train only if an active method asks for them
// (BitFit, linear probing, full fine-tuning), everything else is frozen — including state
// restored from checkpoints, which GoMLX loads as trainable. Wrapped model functions call
// it at the end of every graph build, so freezing survives loading a checkpoint.
func (m *Model) RefreshTrainable() {
	applied := m.applied()
	for v := range m.store.IterVariables() {
		v.Trainable = m.isTrainable(v, applied)
	}
}

func (m *Model) isTrainable(v *model.Variable, applied []*entry) bool {
	path := v.Path()
	if hasScopePrefix(path, "/"+AdapterRoot) {
		for _, e := range applied {
			if hasScopePrefix(path, AdapterScope(e.name)) {
				return true
			}
		}
		return false
	}
	if IsBookkeeping(path) || !v.Shape().DType.IsFloat() {
		return false
	}
	for _, p := range m.ModulesToSave {
		if hasScopePrefix(path, p) {
			return true
		}
	}
	for _, e := range applied {
		if bt, ok := e.adapter.(BaseTrainer); ok && bt.TrainsBaseVariable(v) {
			return true
		}
	}
	return false
}

// IsBookkeeping reports GoMLX's non-model state: RNG, optimizer, trainer and metric variables.
func IsBookkeeping(path string) bool {
	for _, p := range []string{"/#", "/AdamOptimizer", "/optimizers", "/trainer", "/metrics", "/global_step"} {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return strings.Contains(path, "/#")
}

// Counts is the parameter accounting of a model with adapters.
type Counts struct {
	Trainable int // parameters that train with the active adapters
	Total     int // all model parameters: base plus every adapter
	Adapter   int // parameters of the active adapters alone
}

// Percent is Trainable as a percentage of Total.
func (c Counts) Percent() float64 {
	if c.Total == 0 {
		return 0
	}
	return 100 * float64(c.Trainable) / float64(c.Total)
}

func (c Counts) String() string {
	return fmt.Sprintf("trainable params: %d || all params: %d || trainable%%: %.4f", c.Trainable, c.Total, c.Percent())
}

// CountParameters counts model parameters (optimizer, metric and RNG state excluded).
func (m *Model) CountParameters() Counts {
	applied := m.applied()
	var c Counts
	for _, v := range sortedVariables(m.store) {
		if IsBookkeeping(v.Path()) {
			continue
		}
		n := v.Shape().Size()
		c.Total += n
		if m.isTrainable(v, applied) {
			c.Trainable += n
			if hasScopePrefix(v.Path(), "/"+AdapterRoot) {
				c.Adapter += n
			}
		}
	}
	return c
}

// PrintTrainableParameters prints the counts the way Hugging Face PEFT does.
func (m *Model) PrintTrainableParameters() { fmt.Fprintln(os.Stdout, m.CountParameters()) }
