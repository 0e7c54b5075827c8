package peft

import (
	"fmt"

	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// Merge folds the named adapters (default: the active ones) into the base weights, so the
// model runs without them at no extra cost; they stay attached and Unmerge takes them out.
// Only methods whose effect is a weight change (LoRA, IA³, ...) can merge.
func (m *Model) Merge(names ...string) error {
	return m.mergeOrUnmerge(names, true)
}

// Unmerge takes merged adapters back out of the base weights (W = W' − ΔW; exact up to
// float rounding).
func (m *Model) Unmerge(names ...string) error {
	return m.mergeOrUnmerge(names, false)
}

func (m *Model) mergeOrUnmerge(names []string, merge bool) error {
	if len(names) == 0 {
		if merge {
			names = m.active
		} else {
			for _, e := range m.adapters {
				if e.merged {
					names = append(names, e.name)
				}
			}
		}
	}
	var todo []*entry
	for _, n := range names {
		e := m.entry(n)
		if e == nil {
			return fmt.Errorf("peft: no adapter %q (have %q)", n, m.Adapters())
		}
		if _, ok := e.adapter.(Merger); !ok {
			return fmt.Errorf("peft: %s adapter %q cannot be merged into the weights", e.config.PeftType(), n)
		}
		if e.merged == merge {
			continue
		}
		todo = append(todo, e)
	}
	if len(todo) == 0 {
		return nil
	}
	if !merge { // undo in reverse order of merging
		for i, j := 0, len(todo)-1; i < j; i, j = i+1, j-1 {
			todo[i], todo[j] = todo[j], todo[i]
		}
	}
	exec, err := model.NewExec(m.backend, m.store, func(scope *model.Scope, g *Graph) {
		for _, e := range todo {
			mg := e.adapter.(Merger)
			for _, t := range mg.MergeTargets() {
				w := t.Var.NodeValue(g)
				if merge {
					t.Var.SetNodeValue(mg.MergedWeight(t, w))
				} else {
					t.Var.SetNodeValue(mg.UnmergedWeight(t, w))
				}
			}
		}
	})
	if err != nil {
		return fmt.Errorf("peft: merge: %w", err)
	}
	if _, err := exec.Call(); err != nil {
		return fmt.Errorf("peft: merge: %w", err)
	}
	exec.Finalize()
	for _, e := range todo {
		e.merged = merge
	}
	return nil
}

// Merged reports whether the named adapter is merged into the base weights.
func (m *Model) Merged(name string) bool {
	e := m.entry(name)
	return e != nil && e.merged
}

// MergeAndUnload merges the named adapters (default: the active ones) and removes every
// adapter, leaving a plain GoMLX model that needs no adapter code to run: Hugging Face
// PEFT's merge_and_unload.
func (m *Model) MergeAndUnload(names ...string) error {
	if err := m.Merge(names...); err != nil {
		return err
	}
	for _, e := range m.adapters {
		e.merged = false // the merge is now part of the base: deleting must not unmerge
	}
	for _, n := range m.Adapters() {
		if err := m.DeleteAdapter(n); err != nil {
			return err
		}
	}
	return nil
}
