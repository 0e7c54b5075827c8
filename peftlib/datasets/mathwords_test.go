package datasets

import (
	"strconv"
	"strings"
	"testing"
)

func TestMathProblemsAreConsistent(t *testing.T) {
	g := NewMathGenerator(1)
	for _, f := range MathFamilies {
		for i := 0; i < 300; i++ {
			p := g.Problem(f)
			if !p.IsCorrect(p.Target()) {
				t.Fatalf("%s: its own target %q is not judged correct (answer %q)", f, p.Target(), p.Answer)
			}
			if f != AQuA {
				n, err := strconv.Atoi(p.Answer)
				if err != nil || n < 0 {
					t.Fatalf("%s: answer %q is not a non-negative integer: %q", f, p.Answer, p.Question)
				}
			} else if !strings.Contains(p.Question, p.Answer+")") {
				t.Fatalf("AQuA: the answer letter %s is not an option of %q", p.Answer, p.Question)
			}
			if len(p.Text()) > MaxMathTextLen {
				t.Fatalf("%s: %d characters, more than MaxMathTextLen: %q", f, len(p.Text()), p.Text())
			}
			for _, r := range p.Text() {
				if r > 126 || (r < 32 && r != '\n') {
					t.Fatalf("%s: non-ASCII character %q", f, r)
				}
			}
		}
	}
}

func TestMathGeneratorIsDeterministic(t *testing.T) {
	a, b := NewMathGenerator(7).MathMix(20), NewMathGenerator(7).MathMix(20)
	for i := range a {
		if a[i] != b[i] {
			t.Fatal("same seed, different problems")
		}
	}
	if NewMathGenerator(8).MathMix(1)[0] == a[0] && NewMathGenerator(9).MathMix(1)[0] == a[0] {
		t.Fatal("different seeds give the same problems")
	}
}

func TestExtractAnswer(t *testing.T) {
	cases := []struct {
		f      MathFamily
		out, a string
	}{
		{AddSub, " 3 + 4 = 7. The answer is 7.", "7"},
		{GSM8K, " 2 * 3 = 6. The answer is 6.5", "6.5"},
		{AQuA, " 10 * 2 = 20. The answer is C.", "C"},
		{AQuA, "nothing", ""},
		{SVAMP, "no number", ""},
	}
	for _, c := range cases {
		if got := ExtractAnswer(c.f, c.out); got != c.a {
			t.Errorf("%s %q: got %q want %q", c.f, c.out, got, c.a)
		}
	}
	p := MathProblem{Family: AddSub, Answer: "7"}
	if !p.IsCorrect("= 7.0004") || p.IsCorrect("= 7.01") {
		t.Fatal("the 0.001 tolerance is wrong")
	}
}

func TestMathCorpus(t *testing.T) {
	texts := NewMathGenerator(2).MathCorpus(50, 120)
	for _, s := range texts {
		if len(s) > 121 || len(s) < 40 || strings.Contains(s, "?") || strings.Contains(s, "answer") {
			t.Fatalf("corpus text %q", s)
		}
	}
}
