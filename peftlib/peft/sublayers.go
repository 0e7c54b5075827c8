package peft

import (
	"fmt"
	"sort"
	"strings"

	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// SublayerTarget is a peft-aware sub-layer (see Sublayer) that a method attaches to.
type SublayerTarget struct {
	Path string // scope path, e.g. "/encoder/layer_0/mlp"
	Dim  int    // width of its input and output
}

// MatchSublayers finds the sub-layers whose scope's last name is one of names (e.g. "attn",
// "mlp"), or whose path matches a name under the Modules rule, among the scopes that hold
// the store's variables. The width is the smallest dimension of the 2-D weights under the
// scope (d for a transformer's attention and MLP blocks), unless dim > 0 is given.
func MatchSublayers(store *model.Store, names []string, dim int) ([]SublayerTarget, error) {
	widths := map[string]int{}
	for v := range store.IterVariables() {
		if IsBookkeeping(v.Path()) || hasScopePrefix(v.Path(), "/"+AdapterRoot) {
			continue
		}
		parts := strings.Split(strings.Trim(v.Scope(), "/"), "/")
		for i := 1; i <= len(parts); i++ {
			scope := "/" + strings.Join(parts[:i], "/")
			if _, ok := widths[scope]; !ok {
				widths[scope] = 0
			}
			if s := v.Shape(); s.Rank() == 2 && v.Name() == "weights" {
				w := min(s.Dimensions[0], s.Dimensions[1])
				if widths[scope] == 0 || w < widths[scope] {
					widths[scope] = w
				}
			}
		}
	}
	var out []SublayerTarget
	var all []string
	for scope, w := range widths {
		all = append(all, scope)
		last := scope[strings.LastIndex(scope, "/")+1:]
		hit := false
		for _, n := range names {
			if last == n || (strings.Contains(n, "/") && matchesName(scope, n)) {
				hit = true
			}
		}
		if !hit {
			continue
		}
		if dim > 0 {
			w = dim
		}
		if w == 0 {
			return nil, fmt.Errorf("peft: sub-layer %s holds no dense weights to infer its width from: set the width", scope)
		}
		out = append(out, SublayerTarget{Path: scope, Dim: w})
	}
	if len(out) == 0 {
		sort.Strings(all)
		return nil, fmt.Errorf("peft: sub-layers %q match no scope of the model; scopes are:\n  %s",
			names, strings.Join(all, "\n  "))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

// LayerNormWith normalises x over its last axis and applies gain and offset ([dim] each).
func LayerNormWith(x, gain, offset *Node) *Node {
	axis := x.Rank() - 1
	mean := ReduceAndKeep(x, ReduceMean, axis)
	centred := Sub(x, mean)
	variance := ReduceAndKeep(Square(centred), ReduceMean, axis)
	normed := Div(centred, Sqrt(AddScalar(variance, 1e-5)))
	return Add(Mul(normed, ExpandLeftToRank(gain, x.Rank())), ExpandLeftToRank(offset, x.Rank()))
}
