package datasets

import (
	"math/rand/v2"
	"testing"
)

func TestSynthLanguages(t *testing.T) {
	en, err := NewSynthLanguage("base", Languages[0], Grammar{}, 1)
	if err != nil {
		t.Fatal(err)
	}
	sov := en.Derive("daughter", []SoundShift{{"p", "b"}, {"t", "d"}, {"a", "o"}}, Grammar{VerbFinal: true, Postposition: true})
	a, tagsA := en.Sentence(rand.New(rand.NewPCG(5, 5)))
	b, tagsB := sov.Sentence(rand.New(rand.NewPCG(5, 5)))
	if len(a) != len(b) || len(a) < 5 {
		t.Fatalf("parallel sentences of %d and %d words", len(a), len(b))
	}
	if tagsA[len(tagsA)-1] != TagPunct || tagsB[len(tagsB)-1] != TagPunct {
		t.Fatal("sentences end with punctuation")
	}
	// SVO: one noun (the subject) before the verb; SOV: two (subject and object).
	nounsBeforeVerb := func(tags []int) int {
		n := 0
		for _, x := range tags {
			if x == TagVerb {
				return n
			}
			if x == TagNoun {
				n++
			}
		}
		return -1
	}
	if nounsBeforeVerb(tagsA) != 1 || nounsBeforeVerb(tagsB) != 2 {
		t.Fatalf("word order: %v / %v", tagsA, tagsB)
	}
	count := func(tags []int, tag int) int {
		n := 0
		for _, x := range tags {
			if x == tag {
				n++
			}
		}
		return n
	}
	for tag := 0; tag < NumTags; tag++ {
		if count(tagsA, tag) != count(tagsB, tag) {
			t.Fatal("parallel sentences must have the same tags in another order")
		}
	}
	for _, w := range sov.Words[TagNoun] {
		for _, c := range w {
			if c == 'p' || c == 't' {
				t.Fatalf("sound shift missed %q", w)
			}
		}
	}
	s1, _ := en.Corpus(10, 3)
	s2, _ := en.Corpus(10, 3)
	if s1[9][0] != s2[9][0] {
		t.Fatal("same seed, different corpus")
	}
}
