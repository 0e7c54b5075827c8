package lora_test

import (
	"testing"

	"github.com/peftlab/peftlab/peftlib/tuners/lora"
)

// FuzzParseConfig: any adapter_config.json either parses or is refused with an error.
func FuzzParseConfig(f *testing.F) {
	f.Add([]byte(`{"peft_type":"LORA","r":8,"lora_alpha":16,"target_modules":["q","v"]}`))
	f.Add([]byte(`{"peft_type":"LORA","target_modules":"all-linear","use_rslora":true}`))
	f.Add([]byte(`{"target_modules":7}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		_, _ = lora.ParseConfig(raw)
	})
}
