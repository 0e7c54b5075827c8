package fit

import "testing"

func TestLMDataShiftsAndMasks(t *testing.T) {
	d, err := NewLMData(Bytes{}, []string{"abc", "hello world"}, 4)
	if err != nil || d.N != 2 || len(d.Tokens) != 8 {
		t.Fatal(d)
	}
	// "abc": inputs a b, targets b c, then padding.
	if d.Tokens[0] != 'a' || d.Targets[0] != 'b' || d.Targets[1] != 'c' || d.Mask[1] != 1 || d.Mask[2] != 0 {
		t.Fatalf("tokens %v targets %v mask %v", d.Tokens[:4], d.Targets[:4], d.Mask[:4])
	}
	// "hello world" is cut to 4 inputs with 4 targets.
	if DecodeBytes(d.Tokens[4:8]) != "hell" || DecodeBytes(d.Targets[4:8]) != "ello" || d.Mask[7] != 1 {
		t.Fatalf("long text: %q / %q", DecodeBytes(d.Tokens[4:8]), DecodeBytes(d.Targets[4:8]))
	}
}

func TestPromptedLMDataMasksThePrompt(t *testing.T) {
	d, err := NewPromptedLMData(Bytes{}, []string{"Q:ab"}, []string{"cd"}, 8, false)
	if err != nil {
		t.Fatal(err)
	}
	// Tokens Q : a b c d: positions 0..2 predict ":", "a", "b" (prompt, masked); 3 predicts "c".
	want := []float32{0, 0, 0, 1, 1, 0, 0, 0}
	for i, w := range want {
		if d.Mask[i] != w {
			t.Fatalf("mask %v, want %v", d.Mask, want)
		}
	}
}
