package lora

import (
	"fmt"
	"slices"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/peftlab/peftlab/peftlib/peft"
)

// AddWeighted adds a LoRA adapter name whose update is the weighted sum of existing LoRA
// adapters' updates, ΔW = Σ wᵢ·ΔWᵢ, exactly: its A concatenates the Aᵢ along the rank and its
// B stacks the wᵢ·sᵢ·Bᵢ (Hugging Face PEFT's add_weighted_adapter with combination_type
// "cat"), so its rank is the sum of the ranks and its scaling 1. The adapters must adapt the
// same weights. The new adapter becomes the active one.
func AddWeighted(pm *peft.Model, name string, adapters []string, weights []float64) error {
	if len(adapters) == 0 || len(adapters) != len(weights) {
		return fmt.Errorf("lora: AddWeighted needs as many weights (%d) as adapters (%d), at least one", len(weights), len(adapters))
	}
	var srcs []*Adapter
	for _, n := range adapters {
		a, ok := pm.Adapter(n).(*Adapter)
		if !ok {
			return fmt.Errorf("lora: %q is not a LoRA adapter", n)
		}
		srcs = append(srcs, a)
	}
	modulesOf := func(a *Adapter) []string {
		var ms []string
		for _, m := range a.modules {
			ms = append(ms, m.target.Module)
		}
		return ms
	}
	ref := modulesOf(srcs[0])
	for i, a := range srcs[1:] {
		if !slices.Equal(modulesOf(a), ref) {
			return fmt.Errorf("lora: adapters %q and %q adapt different weights", adapters[0], adapters[i+1])
		}
	}
	cfg := Config{Targets: peft.Targets{}, RankPattern: map[string]int{}, AlphaPattern: map[string]float64{}, Form: srcs[0].cfg.Form}
	for j, module := range ref {
		r := 0
		for _, a := range srcs {
			r += a.modules[j].rank
		}
		cfg.Targets.Modules = append(cfg.Targets.Modules, module)
		cfg.RankPattern[module] = r
		cfg.AlphaPattern[module] = float64(r) // scaling 1: the wᵢ·sᵢ go into B
	}
	cfg.R, cfg.Alpha = cfg.RankPattern[ref[0]], cfg.AlphaPattern[ref[0]]
	if err := pm.AddAdapter(name, cfg); err != nil {
		return err
	}
	dst := pm.Adapter(name).(*Adapter)
	for j, m := range dst.modules {
		in, out := m.target.In, m.target.Out
		a := make([]float64, 0, in*m.rank)
		aCols := make([][]float64, 0) // per source, [in, rᵢ]
		var b []float64
		for i, src := range srcs {
			sm := src.modules[j]
			aCols = append(aCols, floats(sm.a.MustValue()))
			for _, v := range floats(sm.b.MustValue()) { // rows of Bᵢ, scaled
				b = append(b, weights[i]*sm.scale*v)
			}
		}
		for row := 0; row < in; row++ {
			for i, src := range srcs {
				r := src.modules[j].rank
				a = append(a, aCols[i][row*r:(row+1)*r]...)
			}
		}
		if err := setFloats(m.a, a, in, m.rank); err != nil {
			return err
		}
		if err := setFloats(m.b, b, m.rank, out); err != nil {
			return err
		}
	}
	return nil
}

func floats(t *tensors.Tensor) []float64 {
	switch v := t.Value().(type) {
	case [][]float32:
		var out []float64
		for _, row := range v {
			for _, x := range row {
				out = append(out, float64(x))
			}
		}
		return out
	case [][]float64:
		var out []float64
		for _, row := range v {
			out = append(out, row...)
		}
		return out
	}
	panic(fmt.Sprintf("lora: unexpected tensor %s", t.Shape()))
}

func setFloats(v interface {
	DType() dtypes.DType
	SetValue(*tensors.Tensor) error
}, vals []float64, rows, cols int) error {
	var t *tensors.Tensor
	if v.DType() == dtypes.Float64 {
		t = tensors.FromFlatDataAndDimensions(vals, rows, cols)
	} else {
		f := make([]float32, len(vals))
		for i, x := range vals {
			f[i] = float32(x)
		}
		t = tensors.FromFlatDataAndDimensions(f, rows, cols)
	}
	return v.SetValue(t)
}
