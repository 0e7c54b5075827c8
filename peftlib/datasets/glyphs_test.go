package datasets

import (
	"testing"
)

func TestLGCClassesMergeLookAlikes(t *testing.T) {
	classes := LGCClasses()
	total, ids := 0, map[rune]int{}
	for i, c := range classes {
		total += len(c.Runes)
		for _, r := range c.Runes {
			if _, dup := ids[r]; dup {
				t.Fatalf("%q in two classes", r)
			}
			ids[r] = i
		}
	}
	if total != 175 {
		t.Fatalf("%d characters, want 175", total)
	}
	if ids['A'] != ids['Α'] || ids['A'] != ids['А'] || ids['o'] == ids['O'] {
		t.Fatal("look-alikes must share a class, different cases must not")
	}
	if len(classes) < 100 {
		t.Fatalf("only %d classes", len(classes))
	}
}

func TestGlyphsAreFontDisjointAndDeterministic(t *testing.T) {
	cfg := GlyphConfig{TrainPer: 3, TestPer: 2, Seed: 4}
	train, test, err := Glyphs(cfg)
	if err != nil {
		t.Fatal(err)
	}
	n := len(LGCClasses())
	if train.Len() != 3*n || test.Len() != 2*n || train.H != 28 {
		t.Fatalf("sizes %d / %d", train.Len(), test.Len())
	}
	for _, c := range train.ClassCounts() {
		if c != 3 {
			t.Fatal("unbalanced classes")
		}
	}
	// Every image has ink, inside [0, 1].
	for i := 0; i < train.Len(); i++ {
		var ink float64
		for _, v := range train.Image(i) {
			if v < 0 || v > 1 {
				t.Fatalf("value %g", v)
			}
			ink += float64(v)
		}
		if ink < 3 {
			t.Fatalf("image %d (%s) is blank", i, train.ClassNames[train.Labels[i]])
		}
	}
	again, _, _ := Glyphs(cfg)
	for i, v := range again.X {
		if v != train.X[i] {
			t.Fatal("same seed, different images")
		}
	}
}

func TestGlyphFamiliesSplit(t *testing.T) {
	fonts, err := Fonts()
	if err != nil {
		t.Fatal(err)
	}
	covering := map[string]bool{}
	for _, f := range fonts {
		ok := true
		for _, c := range LGCClasses() {
			ok = ok && f.Covers(c.Runes[0])
		}
		if ok {
			covering[f.Family] = true
		}
	}
	if len(covering) < 10 {
		t.Fatalf("only %d families cover the Latin-Greek-Cyrillic classes", len(covering))
	}
}

func TestOmniglotLike(t *testing.T) {
	set, scripts, err := OmniglotLike(OmniglotConfig{PerClass: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(set.ClassNames) < 1000 || len(scripts) < 20 {
		t.Fatalf("%d classes in %d scripts; want 1000+ classes", len(set.ClassNames), len(scripts))
	}
	last := scripts[len(scripts)-1]
	if last.First+last.Count != len(set.ClassNames) {
		t.Fatal("script label ranges do not cover the classes")
	}
}
