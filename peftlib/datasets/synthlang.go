package datasets

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// POS tags of the synthetic languages' grammar.
const (
	TagDet = iota
	TagAdj
	TagNoun
	TagVerb
	TagAdp
	TagPunct
	NumTags
)

// TagNames name the POS tags.
var TagNames = []string{"DET", "ADJ", "NOUN", "VERB", "ADP", "PUNCT"}

// lexiconSizes are the concepts per part of speech shared by every synthetic language.
var lexiconSizes = [NumTags]int{TagDet: 6, TagAdj: 40, TagNoun: 120, TagVerb: 60, TagAdp: 10, TagPunct: 1}

// Grammar is a language's word-order parameters.
type Grammar struct {
	VerbFinal    bool // SOV instead of SVO
	AdjAfterNoun bool // N-Adj instead of Adj-N
	Postposition bool // NP-P instead of P-NP
	DetAfterNoun bool // N-Det instead of Det-N
}

// SynthLanguage is a synthetic language for cross-lingual transfer experiments: one shared
// grammar of concepts (a determiner, adjectives, nouns, verbs, adpositions), its own word
// order and its own surface forms. A base language draws its words from a real Debian word
// list; derived languages apply sound shifts to a parent's words and may change word order,
// so relatedness between languages is controlled.
type SynthLanguage struct {
	Name    string
	Grammar Grammar
	Words   [NumTags][]string // surface form of each concept
}

// NewSynthLanguage makes a base language whose surface forms are distinct random words of
// the real language's word list (seeded), with the given word order.
func NewSynthLanguage(name string, source Language, g Grammar, seed uint64) (*SynthLanguage, error) {
	words, err := WordList(source)
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(seed, 0x6c616e67))
	used := map[string]bool{}
	l := &SynthLanguage{Name: name, Grammar: g}
	for tag, n := range lexiconSizes {
		if tag == TagPunct {
			l.Words[tag] = []string{"."}
			continue
		}
		for len(l.Words[tag]) < n {
			w := words[rng.IntN(len(words))]
			if len([]rune(w)) > 8 || used[w] {
				continue
			}
			used[w] = true
			l.Words[tag] = append(l.Words[tag], w)
		}
	}
	return l, nil
}

// SoundShift is a character rewrite applied to every word of a language, e.g. {"p", "b"}.
type SoundShift struct{ From, To string }

// Derive returns a daughter language: every word rewritten by the sound shifts (in order)
// and the given grammar. Words that the shifts make identical stay distinct concepts.
func (l *SynthLanguage) Derive(name string, shifts []SoundShift, g Grammar) *SynthLanguage {
	d := &SynthLanguage{Name: name, Grammar: g}
	for tag, ws := range l.Words {
		for _, w := range ws {
			for _, s := range shifts {
				w = strings.ReplaceAll(w, s.From, s.To)
			}
			d.Words[tag] = append(d.Words[tag], w)
		}
	}
	return d
}

// Sentence draws one sentence: its words and their POS tags. Every language draws the same
// concept sequence for the same rng state, so sentences are parallel across languages.
func (l *SynthLanguage) Sentence(rng *rand.Rand) (words []string, tags []int) {
	type token struct {
		tag, concept int
	}
	word := func(tag int) token { return token{tag, rng.IntN(lexiconSizes[tag])} }
	np := func() []token {
		det, noun := word(TagDet), word(TagNoun)
		var adj *token
		if rng.IntN(2) == 0 {
			a := word(TagAdj)
			adj = &a
		}
		core := []token{noun}
		if adj != nil {
			if l.Grammar.AdjAfterNoun {
				core = append(core, *adj)
			} else {
				core = append([]token{*adj}, core...)
			}
		}
		if l.Grammar.DetAfterNoun {
			return append(core, det)
		}
		return append([]token{det}, core...)
	}
	subj, verb, obj := np(), word(TagVerb), np()
	var seq []token
	if l.Grammar.VerbFinal {
		seq = append(append(append(seq, subj...), obj...), verb)
	} else {
		seq = append(append(append(seq, subj...), verb), obj...)
	}
	if rng.IntN(2) == 0 { // a prepositional phrase
		p, pnp := word(TagAdp), np()
		if l.Grammar.Postposition {
			seq = append(append(seq, pnp...), p)
		} else {
			seq = append(append(seq, p), pnp...)
		}
	}
	seq = append(seq, token{TagPunct, 0})
	for _, t := range seq {
		words = append(words, l.Words[t.tag][t.concept])
		tags = append(tags, t.tag)
	}
	return words, tags
}

// Corpus draws n sentences with seed.
func (l *SynthLanguage) Corpus(n int, seed uint64) (sentences [][]string, tags [][]int) {
	rng := rand.New(rand.NewPCG(seed, 0x636f7270))
	for i := 0; i < n; i++ {
		w, t := l.Sentence(rng)
		sentences, tags = append(sentences, w), append(tags, t)
	}
	return sentences, tags
}

// String summarises the language.
func (l *SynthLanguage) String() string {
	g := l.Grammar
	order := "SVO"
	if g.VerbFinal {
		order = "SOV"
	}
	return fmt.Sprintf("%s (%s, adj %s noun, %s, e.g. %q %q %q)", l.Name, order,
		map[bool]string{false: "before", true: "after"}[g.AdjAfterNoun],
		map[bool]string{false: "prepositions", true: "postpositions"}[g.Postposition],
		l.Words[TagNoun][0], l.Words[TagVerb][0], l.Words[TagAdj][0])
}
