package peft_test

import (
	"strings"
	"testing"

	"github.com/gomlx/compute/dtypes"
	tm "github.com/peftlab/peftlab/peftlib/internal/testmodel"
	"github.com/peftlab/peftlab/peftlib/peft"
)

func modules(ts []peft.Target) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Module)
	}
	return out
}

func TestTargetsMatch(t *testing.T) {
	store := tm.NewStore(t, dtypes.Float32)
	cases := []struct {
		name    string
		targets peft.Targets
		want    string
	}{
		{"suffix without /dense", peft.Modules("aware"), "/aware/dense"},
		{"suffix with /dense", peft.Modules("plain/dense"), "/plain/dense"},
		{"regex", peft.Regex("/(plain|head)/dense"), "/head/dense,/plain/dense"},
		{"all-linear skips the head", peft.AllLinear(), "/aware/dense,/plain/dense"},
		{"exclude", peft.Targets{AllLinear: true, Exclude: []string{"plain"}}, "/aware/dense"},
		{"custom heads", peft.Targets{AllLinear: true, Heads: []string{"aware"}}, "/head/dense,/plain/dense"},
	}
	for _, c := range cases {
		got, err := c.targets.Match(store)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if s := strings.Join(modules(got), ","); s != c.want {
			t.Errorf("%s: matched %s, want %s", c.name, s, c.want)
		}
	}
}

func TestTargetsMatchingNothingListCandidates(t *testing.T) {
	store := tm.NewStore(t, dtypes.Float32)
	_, err := peft.Modules("query").Match(store)
	if err == nil || !strings.Contains(err.Error(), "/aware/dense (dense 8×8)") {
		t.Fatalf("want an error listing the candidates, got %v", err)
	}
	if _, err := (peft.Targets{}).Match(store); err == nil {
		t.Fatal("empty targets must be an error")
	}
	if _, err := peft.Regex("(").Match(store); err == nil {
		t.Fatal("a bad regex must be an error")
	}
}

func TestPatternValue(t *testing.T) {
	p := map[string]int{"aware": 2, "layer_1/query": 16}
	if v := peft.PatternValue(p, "/enc/layer_1/query/dense", 8); v != 16 {
		t.Fatalf("got %d want 16", v)
	}
	if v := peft.PatternValue(p, "/enc/layer_0/query/dense", 8); v != 8 {
		t.Fatalf("got %d want the default 8", v)
	}
}

func TestModulePathAndFileKey(t *testing.T) {
	if got := peft.FileKey("/enc/layer_0/query/dense", "lora_A.weight"); got != "base_model.model.enc.layer_0.query.dense.lora_A.weight" {
		t.Fatal(got)
	}
}
