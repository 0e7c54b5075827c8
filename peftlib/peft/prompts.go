package peft

import (
	"fmt"

	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// PrefixHook returns learned key and value prefixes, each [batch, P, dim] in the attention's
// projected key/value space: prefix tuning (Li & Liang 2021).
type PrefixHook func(batch int) (keys, values *Node)

// PromptHook returns learned prompt tokens, [batch, P, dim], to insert into the token
// sequence: prompt tuning (Lester et al. 2021) and VPT-deep (Jia et al. 2022).
type PromptHook func(batch int) *Node

// OnAttention registers key/value prefixes for the peft-aware attention at scope path.
func (inj *Injection) OnAttention(path string, hook PrefixHook) {
	if inj.prefixes == nil {
		inj.prefixes = map[string][]PrefixHook{}
	}
	inj.prefixes[path] = append(inj.prefixes[path], hook)
}

// OnPrompt registers prompt tokens for the peft-aware prompt slot at scope path.
func (inj *Injection) OnPrompt(path string, hook PromptHook) {
	if inj.prompts == nil {
		inj.prompts = map[string][]PromptHook{}
	}
	inj.prompts[path] = append(inj.prompts[path], hook)
}

// AttentionPrefixes returns the key and value prefixes for the attention at scope ([batch,
// P, dim] each, several adapters' prefixes concatenated), or nil, nil if none. Peft-aware
// attention layers prepend them to their projected keys and values; prefix positions are
// visible to every query, causal masks included.
func AttentionPrefixes(scope *model.Scope, g *Graph, batch int) (keys, values *Node) {
	inj := Current(g)
	if inj == nil {
		return nil, nil
	}
	var ks, vs []*Node
	for _, h := range inj.prefixes[scope.Scope()] {
		k, v := h(batch)
		ks, vs = append(ks, k), append(vs, v)
	}
	if len(ks) == 0 {
		return nil, nil
	}
	return Concatenate(ks, 1), Concatenate(vs, 1)
}

// InsertPrompts is a peft-aware prompt slot: it inserts the prompts registered at scope
// into x [batch, seq, dim] after its first keep tokens (e.g. 1 to keep a CLS token first),
// replacing the previous prompt tokens (prev of them at the same place, as VPT-deep does at
// every layer). With no prompt registered it returns x and prev unchanged. It returns the
// new sequence and the number of prompt tokens in it.
func InsertPrompts(scope *model.Scope, x *Node, keep, prev int) (*Node, int) {
	inj := Current(x.Graph())
	if inj == nil || len(inj.prompts[scope.Scope()]) == 0 {
		return x, prev
	}
	batch := x.Shape().Dimensions[0]
	var ps []*Node
	for _, h := range inj.prompts[scope.Scope()] {
		ps = append(ps, h(batch))
	}
	prompts := Concatenate(ps, 1)
	n := prompts.Shape().Dimensions[1]
	x = RemovePrompts(x, keep, prev)
	parts := []*Node{}
	if keep > 0 {
		parts = append(parts, Slice(x, AxisRange(), AxisRange(0, keep)))
	}
	parts = append(parts, prompts)
	if seq := x.Shape().Dimensions[1]; seq > keep {
		parts = append(parts, Slice(x, AxisRange(), AxisRange(keep, seq)))
	}
	return Concatenate(parts, 1), n
}

// RemovePrompts drops the n prompt tokens that follow the first keep tokens of x.
func RemovePrompts(x *Node, keep, n int) *Node {
	if n == 0 {
		return x
	}
	seq := x.Shape().Dimensions[1]
	if keep+n > seq {
		panic(fmt.Sprintf("peft.RemovePrompts: %d prompts after %d kept tokens exceed the sequence of %d", n, keep, seq))
	}
	var parts []*Node
	if keep > 0 {
		parts = append(parts, Slice(x, AxisRange(), AxisRange(0, keep)))
	}
	if keep+n < seq {
		parts = append(parts, Slice(x, AxisRange(), AxisRange(keep+n, seq)))
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return Concatenate(parts, 1)
}
