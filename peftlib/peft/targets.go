package peft

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/gomlx/gomlx/ml/model"
)

// Targets selects the weights a method adapts, as Hugging Face PEFT's target_modules does.
//
// A weight is a 2-D float variable named "weights" (layers.Dense and peft.Dense, stored
// [in, out]) or "embeddings" (layers.Embedding, [vocab, dim]). Its module is its scope path,
// e.g. "/encoder/layer_0/attention/query/dense". Module names match if
//
//   - Modules: the module path equals a name or ends with "/"+name; the trailing "/dense"
//     that layers.Dense adds may be left out ("query" matches ".../query/dense");
//   - Regex: the regular expression matches the whole module path;
//   - AllLinear: every Dense weight except output heads (modules whose last name, before
//     "/dense", is one of Heads).
//
// Exclude removes modules matched by any of its names (same rule as Modules).
// The zero value matches nothing, which AddAdapter reports as an error.
type Targets struct {
	Modules   []string
	Regex     string
	AllLinear bool
	Exclude   []string
	Heads     []string // output-head names for AllLinear; default DefaultHeads.
}

// DefaultHeads are the module names AllLinear treats as output heads.
var DefaultHeads = []string{"head", "lm_head", "logits", "classifier"}

// Modules is a shorthand for Targets{Modules: names}.
func Modules(names ...string) Targets { return Targets{Modules: names} }

// Regex is a shorthand for Targets{Regex: expr}.
func Regex(expr string) Targets { return Targets{Regex: expr} }

// AllLinear is a shorthand for Targets{AllLinear: true}.
func AllLinear() Targets { return Targets{AllLinear: true} }

// IsZero reports whether no selection was given.
func (t Targets) IsZero() bool { return len(t.Modules) == 0 && t.Regex == "" && !t.AllLinear }

// WeightKind says how a target weight is used.
type WeightKind int

const (
	// DenseWeight is a [in, out] matrix multiplied on the right of the input.
	DenseWeight WeightKind = iota
	// EmbeddingWeight is a [vocab, dim] table indexed by token ids.
	EmbeddingWeight
)

// Target is one weight a method adapts.
type Target struct {
	Module string          // scope path of the layer, e.g. "/enc/layer_0/attn/query/dense"
	Var    *model.Variable // the weight variable
	Kind   WeightKind
	In     int // rows: input features (Dense) or vocabulary size (Embedding)
	Out    int // columns: output features (Dense) or embedding size
}

func (t Target) String() string {
	kind := "dense"
	if t.Kind == EmbeddingWeight {
		kind = "embedding"
	}
	return fmt.Sprintf("%s (%s %d×%d)", t.Module, kind, t.In, t.Out)
}

// Candidates lists every weight of the store that a method could target, sorted by module.
func Candidates(store *model.Store) []Target {
	var out []Target
	for v := range store.IterVariables() {
		if v.Name() != "weights" && v.Name() != "embeddings" {
			continue
		}
		shape := v.Shape()
		if shape.Rank() != 2 || !shape.DType.IsFloat() {
			continue
		}
		if strings.HasPrefix(v.Scope(), "/"+AdapterRoot+"/") || strings.HasPrefix(v.Scope(), "/"+AdapterRoot+"_") {
			continue
		}
		kind := DenseWeight
		if v.Name() == "embeddings" {
			kind = EmbeddingWeight
		}
		out = append(out, Target{Module: v.Scope(), Var: v, Kind: kind, In: shape.Dimensions[0], Out: shape.Dimensions[1]})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Module < out[j].Module })
	return out
}

// matchesName applies the Modules rule to one name.
func matchesName(module, name string) bool {
	name = strings.TrimSuffix(strings.Trim(name, "/"), "/dense")
	m := strings.TrimSuffix(module, "/dense")
	return m == "/"+name || strings.HasSuffix(m, "/"+name) || module == "/"+name || strings.HasSuffix(module, "/"+name)
}

// MatchesAny reports whether module matches any of names under the Modules rule.
func MatchesAny(module string, names []string) bool {
	for _, n := range names {
		if matchesName(module, n) {
			return true
		}
	}
	return false
}

// Match returns the store's weights selected by t, sorted by module. A selection that
// matches nothing is an error listing the candidates, so a typo never trains nothing.
func (t Targets) Match(store *model.Store) ([]Target, error) {
	cands := Candidates(store)
	if len(cands) == 0 {
		return nil, fmt.Errorf("peft: the store holds no dense or embedding weights: build or load the base model " +
			"first (e.g. peft.Materialize, or a checkpoint loaded with Immediate())")
	}
	if t.IsZero() {
		return nil, fmt.Errorf("peft: no targets given (set Modules, Regex or AllLinear); candidates are:\n%s", listModules(cands))
	}
	var re *regexp.Regexp
	if t.Regex != "" {
		var err error
		if re, err = regexp.Compile("^(?:" + t.Regex + ")$"); err != nil {
			return nil, fmt.Errorf("peft: target regex %q: %w", t.Regex, err)
		}
	}
	heads := t.Heads
	if heads == nil {
		heads = DefaultHeads
	}
	var out []Target
	for _, c := range cands {
		selected := MatchesAny(c.Module, t.Modules) ||
			(re != nil && re.MatchString(c.Module)) ||
			(t.AllLinear && c.Kind == DenseWeight && !isHead(c.Module, heads))
		if selected && !MatchesAny(c.Module, t.Exclude) {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("peft: targets %s match none of the model's weights; candidates are:\n%s", t, listModules(cands))
	}
	return out, nil
}

func isHead(module string, heads []string) bool {
	parts := strings.Split(strings.TrimSuffix(module, "/dense"), "/")
	last := parts[len(parts)-1]
	for _, h := range heads {
		if last == h {
			return true
		}
	}
	return false
}

func listModules(ts []Target) string {
	var b strings.Builder
	for _, t := range ts {
		b.WriteString("  " + t.String() + "\n")
	}
	return b.String()
}

func (t Targets) String() string {
	var parts []string
	if len(t.Modules) > 0 {
		parts = append(parts, fmt.Sprintf("modules %q", t.Modules))
	}
	if t.Regex != "" {
		parts = append(parts, fmt.Sprintf("regex %q", t.Regex))
	}
	if t.AllLinear {
		parts = append(parts, "all-linear")
	}
	if len(t.Exclude) > 0 {
		parts = append(parts, fmt.Sprintf("excluding %q", t.Exclude))
	}
	return strings.Join(parts, ", ")
}

// PatternValue returns the value of the first pattern (Modules rule, in sorted key order)
// matching module, or def: Hugging Face PEFT's rank_pattern / alpha_pattern.
func PatternValue[T any](patterns map[string]T, module string, def T) T {
	keys := make([]string, 0, len(patterns))
	for k := range patterns {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if matchesName(module, k) {
			return patterns[k]
		}
	}
	return def
}

// ModulePath turns a GoMLX scope path into the dotted module path used in Hugging Face
// PEFT files: "/enc/layer_0/attn/query/dense" → "enc.layer_0.attn.query.dense".
func ModulePath(scope string) string {
	return strings.ReplaceAll(strings.Trim(scope, "/"), "/", ".")
}

// FileKey is the tensor name of an adapter tensor in adapter_model.safetensors:
// "base_model.model." + ModulePath(scope) + "." + suffix.
func FileKey(scope, suffix string) string {
	return "base_model.model." + ModulePath(scope) + "." + suffix
}
