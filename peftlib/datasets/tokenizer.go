package datasets

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
)

// WordTokenizer is a small closed-vocabulary tokenizer for generated text: words and
// punctuation are tokens, numbers are split into digits (as LLaMA's tokenizer does) or,
// with WholeNumbers, are single tokens; spaces are implicit. Decoding puts a space between
// tokens except between two digits, so it restores text in which numbers are never
// directly adjacent (true of every generator in this package). Token 0 is padding and
// token 1 the newline that ends a text.
type WordTokenizer struct {
	words        []string
	ids          map[string]int32
	wholeNumbers bool
}

// Pad and Newline are the fixed token ids.
const (
	PadToken     int32 = 0
	NewlineToken int32 = 1
)

// NewWordTokenizer builds the vocabulary from sample texts: every word and punctuation
// mark they contain, plus the ten digits, sorted for stable ids.
func NewWordTokenizer(samples []string) *WordTokenizer { return newWordTokenizer(samples, false) }

// NewWholeNumberTokenizer is NewWordTokenizer with whole numbers as single tokens (a small
// model copies one token far more reliably than a run of digits): every number from 0 to
// maxNumber, and any larger one seen in the samples.
func NewWholeNumberTokenizer(samples []string, maxNumber int) *WordTokenizer {
	for n := 0; n <= maxNumber; n++ {
		samples = append(samples, fmt.Sprint(n))
	}
	return newWordTokenizer(samples, true)
}

func newWordTokenizer(samples []string, wholeNumbers bool) *WordTokenizer {
	set := map[string]bool{}
	for d := '0'; d <= '9'; d++ {
		set[string(d)] = true
	}
	for _, s := range samples {
		for _, tok := range splitTokens(s, wholeNumbers) {
			if tok != "\n" {
				set[tok] = true
			}
		}
	}
	words := []string{"<pad>", "\n"}
	var rest []string
	for w := range set {
		rest = append(rest, w)
	}
	sort.Strings(rest)
	words = append(words, rest...)
	t := &WordTokenizer{words: words, ids: map[string]int32{}, wholeNumbers: wholeNumbers}
	for i, w := range words {
		t.ids[w] = int32(i)
	}
	return t
}

// Vocab is the vocabulary size.
func (t *WordTokenizer) Vocab() int { return len(t.words) }

func splitTokens(s string, wholeNumbers bool) []string {
	var out []string
	var word strings.Builder
	flush := func() {
		if word.Len() > 0 {
			out = append(out, word.String())
			word.Reset()
		}
	}
	var prev rune
	for _, r := range s {
		isDigit := r >= '0' && r <= '9'
		switch {
		case unicode.IsLetter(r):
			if prev >= '0' && prev <= '9' {
				flush()
			}
			word.WriteRune(r)
		case isDigit && wholeNumbers:
			if unicode.IsLetter(prev) {
				flush()
			}
			word.WriteRune(r)
		case r == ' ' || r == '\t':
			flush()
		default: // digits and punctuation are single tokens
			flush()
			out = append(out, string(r))
		}
		prev = r
	}
	flush()
	return out
}

// Encode turns text into token ids; an unknown word is an error naming it.
func (t *WordTokenizer) Encode(s string) ([]int32, error) {
	toks := splitTokens(s, t.wholeNumbers)
	out := make([]int32, len(toks))
	for i, w := range toks {
		id, ok := t.ids[w]
		if !ok {
			return nil, fmt.Errorf("datasets: %q is not in the tokenizer's vocabulary", w)
		}
		out[i] = id
	}
	return out, nil
}

// Decode turns token ids back into text (padding dropped).
func (t *WordTokenizer) Decode(ids []int32) string {
	var b strings.Builder
	prevDigit, first := false, true
	for _, id := range ids {
		if id == PadToken || int(id) >= len(t.words) {
			continue
		}
		w := t.words[id]
		isDigit := len(w) == 1 && w[0] >= '0' && w[0] <= '9'
		attach := w == "\n" || (isDigit && prevDigit) || w == "." || w == "," || w == "?" || w == ":" || w == ")"
		if !first && !attach && !strings.HasSuffix(b.String(), "\n") {
			b.WriteByte(' ')
		}
		b.WriteString(w)
		prevDigit, first = isDigit, false
	}
	return b.String()
}
