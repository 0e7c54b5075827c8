package lora

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/gomlx/gomlx/ml/model"
	"github.com/peftlab/peftlab/peftlib/peft"
)

// PeftType is LoRA's peft_type in adapter_config.json.
const PeftType = "LORA"

// Hyperparameter keys read from the Store (model.GetParamOr on the root scope) when the
// corresponding Config field is zero.
const (
	// ParamRank is the rank r. Default 8.
	ParamRank = "lora_rank"
	// ParamAlpha is lora_alpha. Default: the rank (scaling 1).
	ParamAlpha = "lora_alpha"
	// ParamDropout is the input dropout rate (peft-aware layers only). Default 0.
	ParamDropout = "lora_dropout"
)

// Config configures a LoRA adapter. The zero value is rank 8, alpha 8, no dropout, but
// Targets must be set.
type Config struct {
	R       int     // rank r (ParamRank if 0)
	Alpha   float64 // lora_alpha (ParamAlpha if 0)
	Dropout float64 // input dropout (ParamDropout if 0)
	// UseRSLoRA scales by alpha/√r instead of alpha/r, which keeps high ranks stable.
	UseRSLoRA bool
	// InitGaussian draws A from N(0, 1/r²) instead of Kaiming-uniform (init_lora_weights="gaussian").
	InitGaussian bool
	Targets      peft.Targets
	// RankPattern and AlphaPattern override R and Alpha for the modules they match (same
	// rule as Targets.Modules): rank_pattern and alpha_pattern.
	RankPattern  map[string]int
	AlphaPattern map[string]float64
	// Seed makes the initial A reproducible.
	Seed uint64
	// Form chooses how LoRA runs on peft-aware layers (plain GoMLX layers always use the
	// weight form). Default FormAuto.
	Form Form
}

// Form is how LoRA is computed on peft-aware layers; both are the same function.
type Form int

const (
	// FormAuto uses the activation form when dropout is on (the only form where it can
	// apply) and the weight form otherwise: on the Go backend the weight form measured
	// faster for our small models (ViT d=64, batch 64: 82 vs 109 ms per step), because its
	// rank-r matrix products are few and tiny.
	FormAuto Form = iota
	// FormWeight always computes x·(W + s·A·B).
	FormWeight
	// FormActivation always computes x·W + s·dropout(x)·A·B, which is cheaper for large
	// layers, where W's gradient would dominate.
	FormActivation
)

func (c Config) activationForm() bool {
	switch c.Form {
	case FormWeight:
		return false
	case FormActivation:
		return true
	}
	return c.Dropout > 0
}

// PeftType implements peft.Config.
func (c Config) PeftType() string { return PeftType }

// resolved fills zero fields from the store's params and defaults.
func (c Config) resolved(store *model.Store) Config {
	root := store.RootScope()
	if c.R == 0 {
		c.R = model.GetParamOr(root, ParamRank, 8)
	}
	if c.Alpha == 0 {
		c.Alpha = model.GetParamOr(root, ParamAlpha, float64(c.R))
	}
	if c.Dropout == 0 {
		c.Dropout = model.GetParamOr(root, ParamDropout, 0.0)
	}
	return c
}

// Scale returns the scaling s of a module of rank r and alpha.
func (c Config) Scale(r int, alpha float64) float64 {
	if c.UseRSLoRA {
		return alpha / math.Sqrt(float64(r))
	}
	return alpha / float64(r)
}

func (c Config) validate() error {
	if c.R <= 0 {
		return fmt.Errorf("lora: rank %d must be positive", c.R)
	}
	for k, r := range c.RankPattern {
		if r <= 0 {
			return fmt.Errorf("lora: rank_pattern %q: rank %d must be positive", k, r)
		}
	}
	if c.Dropout < 0 || c.Dropout >= 1 {
		return fmt.Errorf("lora: dropout %g must be in [0, 1)", c.Dropout)
	}
	return nil
}

// fileConfig is the LoRA part of adapter_config.json, in Hugging Face PEFT's keys.
type fileConfig struct {
	R              int                `json:"r"`
	LoraAlpha      float64            `json:"lora_alpha"`
	LoraDropout    float64            `json:"lora_dropout"`
	TargetModules  any                `json:"target_modules"`
	ExcludeModules []string           `json:"exclude_modules"`
	UseRSLoRA      bool               `json:"use_rslora"`
	UseDoRA        bool               `json:"use_dora"`
	FanInFanOut    bool               `json:"fan_in_fan_out"`
	Bias           string             `json:"bias"`
	InitLoraWts    any                `json:"init_lora_weights"`
	RankPattern    map[string]int     `json:"rank_pattern"`
	AlphaPattern   map[string]float64 `json:"alpha_pattern"`
	// Peftlab's own keys: the exact modules adapted, and the head names of all-linear.
	PeftlabModules []string `json:"peftlab_target_modules,omitempty"`
	PeftlabForm    string   `json:"peftlab_form,omitempty"`
}

var formNames = map[Form]string{FormAuto: "auto", FormWeight: "weight", FormActivation: "activation"}

// ParseConfig reads a LoRA adapter_config.json. Hugging Face PEFT options peftlab does not
// implement (DoRA, fan_in_fan_out, trained biases) are refused with a clear error.
func ParseConfig(raw []byte) (peft.Config, error) {
	var f fileConfig
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, fmt.Errorf("lora: %w", err)
	}
	switch {
	case f.UseDoRA:
		return nil, fmt.Errorf("lora: use_dora=true: DoRA is not implemented")
	case f.FanInFanOut:
		return nil, fmt.Errorf("lora: fan_in_fan_out=true (GPT-2 Conv1D layout) is not supported")
	case f.Bias != "" && f.Bias != "none":
		return nil, fmt.Errorf("lora: bias=%q: trained biases are not supported", f.Bias)
	}
	c := Config{R: f.R, Alpha: f.LoraAlpha, Dropout: f.LoraDropout, UseRSLoRA: f.UseRSLoRA,
		RankPattern: f.RankPattern, AlphaPattern: f.AlphaPattern}
	for form, name := range formNames {
		if f.PeftlabForm == name {
			c.Form = form
		}
	}
	if s, ok := f.InitLoraWts.(string); ok && s == "gaussian" {
		c.InitGaussian = true
	}
	switch tm := f.TargetModules.(type) {
	case string:
		if tm == "all-linear" {
			c.Targets.AllLinear = true
		} else {
			c.Targets.Regex = tm
		}
	case []any:
		for _, m := range tm {
			s, ok := m.(string)
			if !ok {
				return nil, fmt.Errorf("lora: target_modules must be strings, got %v", m)
			}
			c.Targets.Modules = append(c.Targets.Modules, s)
		}
	case nil:
	default:
		return nil, fmt.Errorf("lora: target_modules must be a string or a list, got %T", tm)
	}
	// Module paths in files are dotted; Targets work on scope paths.
	for i, m := range c.Targets.Modules {
		c.Targets.Modules[i] = dotsToSlashes(m)
	}
	for _, m := range f.ExcludeModules {
		c.Targets.Exclude = append(c.Targets.Exclude, dotsToSlashes(m))
	}
	if len(f.PeftlabModules) > 0 { // exact modules win over the patterns they came from
		c.Targets = peft.Targets{}
		for _, m := range f.PeftlabModules {
			c.Targets.Modules = append(c.Targets.Modules, "/"+dotsToSlashes(m))
		}
	}
	return c, nil
}

func dotsToSlashes(s string) string {
	out := []byte(s)
	for i, ch := range out {
		if ch == '.' {
			out[i] = '/'
		}
	}
	return string(out)
}

func slashesToDots(s string) string { return peft.ModulePath(s) }

func init() { peft.Register(PeftType, ParseConfig) }
