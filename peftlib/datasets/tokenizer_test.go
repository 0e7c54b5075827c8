package datasets

import (
	"fmt"
	"strings"
	"testing"
)

func TestWordTokenizerRoundTripsMathText(t *testing.T) {
	g := NewMathGenerator(1)
	var samples []string
	for i := 0; i < 600; i++ {
		samples = append(samples, g.Problem(MathFamilies[i%6]).Text())
	}
	samples = append(samples, g.MathCorpus(200, 150)...)
	tok := NewWordTokenizer(samples)
	if tok.Vocab() > 200 {
		t.Fatalf("vocabulary of %d words", tok.Vocab())
	}
	long := 0
	for _, s := range NewMathGenerator(2).MathMix(300) {
		ids, err := tok.Encode(s.Text())
		if err != nil {
			t.Fatal(err)
		}
		long = max(long, len(ids))
		// The decoded text answers the same: the extraction rule sees the same numbers.
		dec := tok.Decode(ids)
		if !s.IsCorrect(dec[len(tok.Decode(mustEncode(t, tok, s.Prompt()))):]) {
			t.Fatalf("decoded %q loses the answer %s", dec, s.Answer)
		}
		if strings.Join(strings.Fields(dec), "") != strings.Join(strings.Fields(s.Text()), "") {
			t.Fatalf("round trip changed the text:\n%q\n%q", s.Text(), dec)
		}
	}
	if long > 80 {
		t.Fatalf("problems take up to %d tokens", long)
	}
	if _, err := tok.Encode("A zebra"); err == nil || !strings.Contains(err.Error(), "zebra") {
		t.Fatalf("an unknown word must be an error naming it: %v", err)
	}
}

func mustEncode(t *testing.T, tok *WordTokenizer, s string) []int32 {
	ids, err := tok.Encode(s)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func TestWholeNumberTokenizer(t *testing.T) {
	g := NewMathGenerator(1)
	g.MaxOperand = 20
	var samples []string
	for i := 0; i < 2000; i++ {
		samples = append(samples, g.Problem(MathFamilies[i%6]).Text())
	}
	tok := NewWholeNumberTokenizer(samples, 300)
	p := g.Problem(GSM8K)
	ids, err := tok.Encode(p.Text())
	if err != nil {
		t.Fatal(err)
	}
	dec := tok.Decode(ids)
	if !p.IsCorrect(dec) || strings.Join(strings.Fields(dec), "") != strings.Join(strings.Fields(p.Text()), "") {
		t.Fatalf("round trip:\n%q\n%q", p.Text(), dec)
	}
	short, _ := NewWordTokenizer(samples).Encode(p.Text())
	if len(ids) >= len(short) {
		t.Fatalf("whole numbers must shorten the text: %d vs %d tokens", len(ids), len(short))
	}
	for _, q := range NewMathGenerator(3).MathMix(200) {
		if q.Family == AQuA {
			continue
		}
		n := 0
		fmt.Sscan(q.Answer, &n)
		if n > 99*9 {
			t.Fatalf("answer %d", n)
		}
	}
}
