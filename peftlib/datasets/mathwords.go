package datasets

import (
	"fmt"
	"math"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
)

// MathFamily is one of six procedural families of math word problems that mirror the
// benchmarks of LLM-Adapters (Hu et al. 2023): AddSub, SingleEq, MultiArith, SVAMP, GSM8K
// and AQuA. Numbers stay small (operands ≤ 99) so a small character-level model can learn them.
type MathFamily string

const (
	AddSub     MathFamily = "AddSub"     // one addition or subtraction
	SingleEq   MathFamily = "SingleEq"   // one equation with an unknown start
	MultiArith MathFamily = "MultiArith" // two steps
	SVAMP      MathFamily = "SVAMP"      // one step with a distractor or a reordered question
	GSM8K      MathFamily = "GSM8K"      // three steps with × and ÷
	AQuA       MathFamily = "AQuA"       // two steps, five options, the answer is a letter
)

// MaxMathTextLen bounds len(Text()) of every problem, for sizing a model's context.
const MaxMathTextLen = 176

// MathFamilies lists the families in the paper's table order.
var MathFamilies = []MathFamily{MultiArith, GSM8K, AddSub, AQuA, SingleEq, SVAMP}

// MathProblem is one problem with its chain-of-thought target in Math10K style.
type MathProblem struct {
	Family    MathFamily
	Question  string
	Rationale string // "16 - 12 = 4."
	Answer    string // "4" or, for AQuA, a letter "A".."E"
}

// Prompt is the model's input: "Q: <question>\nA:".
func (p MathProblem) Prompt() string { return "Q: " + p.Question + "\nA:" }

// Target is what the model should generate after the prompt: " <rationale> The answer is <answer>.\n".
func (p MathProblem) Target() string { return " " + p.Rationale + " The answer is " + p.Answer + ".\n" }

// Text is the full training text.
func (p MathProblem) Text() string { return p.Prompt() + p.Target() }

var (
	mathNames = []string{"Anna", "Ben", "Carla", "David", "Emma", "Frank", "Grace", "Henry", "Iris", "Jack",
		"Kate", "Liam", "Maya", "Noah", "Olga", "Paul", "Rosa", "Sam", "Tina", "Victor", "Wendy", "Yusuf", "Zoe", "Omar"}
	mathObjects = []string{"apples", "pencils", "marbles", "books", "stamps", "coins", "cookies", "shells",
		"stickers", "cards", "balloons", "flowers", "eggs", "candles", "buttons", "toys"}
	mathContainers = []string{"boxes", "bags", "packs", "jars", "baskets", "crates"}
)

// MathGenerator draws problems reproducibly from a seed.
type MathGenerator struct {
	rng *rand.Rand
	// MaxOperand scales the quantities in the problems (default 99). Counts of boxes and
	// items per box stay 2–9, so products remain small.
	MaxOperand int
}

// NewMathGenerator returns a generator seeded by seed.
func NewMathGenerator(seed uint64) *MathGenerator {
	return &MathGenerator{rng: rand.New(rand.NewPCG(seed, 0x6d617468))}
}

func (g *MathGenerator) pick(xs []string) string { return xs[g.rng.IntN(len(xs))] }
func (g *MathGenerator) num(lo, hi int) int      { return lo + g.rng.IntN(hi-lo+1) }

// q draws a quantity in [lo, hi] given for MaxOperand 99, scaled to the generator's MaxOperand.
func (g *MathGenerator) q(lo, hi int) int {
	m := g.MaxOperand
	if m == 0 || m == 99 {
		return g.num(lo, hi)
	}
	scale := func(v int) int {
		sign := 1
		if v < 0 {
			sign, v = -1, -v
		}
		return sign * max(1, int(math.Round(float64(v)*float64(m)/99)))
	}
	l, h := scale(lo), scale(hi)
	if h < l {
		h = l
	}
	return g.num(l, h)
}

// names returns two different names.
func (g *MathGenerator) names() (string, string) {
	a := g.pick(mathNames)
	for {
		if b := g.pick(mathNames); b != a {
			return a, b
		}
	}
}

// Problem draws one problem of the family.
func (g *MathGenerator) Problem(f MathFamily) MathProblem {
	n1, n2 := g.names()
	obj := g.pick(mathObjects)
	switch f {
	case AddSub:
		a, b := g.q(10, 60), g.q(2, 39)
		if g.rng.IntN(2) == 0 {
			return MathProblem{f, fmt.Sprintf("%s has %d %s. %s gives %s %d more. How many %s does %s have now?",
				n1, a, obj, n2, n1, b, obj, n1), fmt.Sprintf("%d + %d = %d.", a, b, a+b), strconv.Itoa(a + b)}
		}
		b = g.num(1, a-1)
		return MathProblem{f, fmt.Sprintf("%s has %d %s and gives %d to %s. How many %s does %s have left?",
			n1, a, obj, b, n2, obj, n1), fmt.Sprintf("%d - %d = %d.", a, b, a-b), strconv.Itoa(a - b)}
	case SingleEq:
		x, b := g.q(5, 50), g.q(2, 40)
		return MathProblem{f, fmt.Sprintf("%s had some %s. After getting %d more, %s has %d. How many were there at first?",
			n1, obj, b, n1, x+b), fmt.Sprintf("x + %d = %d, so x = %d - %d = %d.", b, x+b, x+b, b, x), strconv.Itoa(x)}
	case MultiArith:
		a, b := g.q(10, 50), g.q(2, 30)
		c := g.num(2, a+b-1)
		return MathProblem{f, fmt.Sprintf("%s had %d %s, bought %d more and then gave %d to %s. How many %s are left?",
			n1, a, obj, b, c, n2, obj), fmt.Sprintf("%d + %d = %d. %d - %d = %d.", a, b, a+b, a+b, c, a+b-c), strconv.Itoa(a + b - c)}
	case SVAMP:
		a, b, d := g.q(10, 60), g.q(2, 30), g.q(3, 40)
		other := g.pick(mathObjects)
		for other == obj {
			other = g.pick(mathObjects)
		}
		if g.rng.IntN(2) == 0 { // a distractor quantity
			return MathProblem{f, fmt.Sprintf("%s has %d %s and %d %s. %s gives %s %d %s. How many %s does %s have?",
				n1, a, obj, d, other, n2, n1, b, obj, obj, n1), fmt.Sprintf("%d + %d = %d.", a, b, a+b), strconv.Itoa(a + b)}
		}
		// The question comes first and asks for the start.
		return MathProblem{f, fmt.Sprintf("How many %s did %s have before giving %d to %s, if %s has %d left?",
			obj, n1, b, n2, n1, a), fmt.Sprintf("%d + %d = %d.", a, b, a+b), strconv.Itoa(a + b)}
	case GSM8K:
		boxes, per := g.num(2, 9), g.num(2, 9)
		total := boxes * per
		kept := g.num(1, total-1)
		// Pick friends dividing the rest.
		rest := total - kept
		var divisors []int
		for d := 2; d <= 9; d++ {
			if rest%d == 0 {
				divisors = append(divisors, d)
			}
		}
		if len(divisors) == 0 {
			kept = total % 2
			if kept == 0 {
				kept = 2
			}
			rest = total - kept
			divisors = []int{2}
		}
		friends := divisors[g.rng.IntN(len(divisors))]
		box := g.pick(mathContainers)
		return MathProblem{f, fmt.Sprintf("%s buys %d %s of %d %s, keeps %d and splits the rest among %d friends. How many does each get?",
			n1, boxes, box, per, obj, kept, friends),
			fmt.Sprintf("%d * %d = %d. %d - %d = %d. %d / %d = %d.", boxes, per, total, total, kept, rest, rest, friends, rest/friends),
			strconv.Itoa(rest / friends)}
	case AQuA:
		a, b, c := g.q(10, 40), g.num(2, 9), g.q(2, 30)
		ans := a*b - c
		for ans <= 0 {
			c = g.num(1, a*b-1)
			ans = a*b - c
		}
		opts := []int{ans}
		for len(opts) < 5 {
			d := ans + g.num(-12, 12)
			if d > 0 && !containsInt(opts, d) {
				opts = append(opts, d)
			}
		}
		g.rng.Shuffle(5, func(i, j int) { opts[i], opts[j] = opts[j], opts[i] })
		letter := ""
		var choices []string
		for i, o := range opts {
			l := string(rune('A' + i))
			choices = append(choices, fmt.Sprintf("%s)%d", l, o))
			if o == ans {
				letter = l
			}
		}
		return MathProblem{f, fmt.Sprintf("A box holds %d %s. %s fills %d boxes and sells %d. How many are left? %s",
			a, obj, n1, b, c, strings.Join(choices, " ")),
			fmt.Sprintf("%d * %d = %d. %d - %d = %d.", a, b, a*b, a*b, c, ans), letter}
	}
	panic(fmt.Sprintf("datasets: unknown math family %q", f))
}

func containsInt(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// MathMix draws n problems cycling through the families (a Math10K-like training mix).
func (g *MathGenerator) MathMix(n int) []MathProblem {
	out := make([]MathProblem, n)
	for i := range out {
		out[i] = g.Problem(MathFamilies[i%len(MathFamilies)])
	}
	g.rng.Shuffle(n, func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

var numberRE = regexp.MustCompile(`-?\d+(\.\d+)?`)

// ExtractAnswer applies LLM-Adapters' answer-extraction rule to generated text: for AQuA the
// first letter A–E after "answer is" (or anywhere, if that phrase is missing); otherwise the
// last number. "" if none.
func ExtractAnswer(f MathFamily, output string) string {
	if f == AQuA {
		s := output
		if i := strings.LastIndex(s, "answer is"); i >= 0 {
			s = s[i+len("answer is"):]
		}
		for _, r := range s {
			if r >= 'A' && r <= 'E' {
				return string(r)
			}
		}
		return ""
	}
	nums := numberRE.FindAllString(output, -1)
	if len(nums) == 0 {
		return ""
	}
	return nums[len(nums)-1]
}

// IsCorrect checks generated text against the problem: the extracted number within 0.001 of
// the answer, or the same letter for AQuA.
func (p MathProblem) IsCorrect(output string) bool {
	got := ExtractAnswer(p.Family, output)
	if p.Family == AQuA {
		return got == p.Answer
	}
	a, err1 := strconv.ParseFloat(got, 64)
	b, err2 := strconv.ParseFloat(p.Answer, 64)
	return err1 == nil && err2 == nil && math.Abs(a-b) < 1e-3
}

// corpusSentence is one line of the pretraining corpus: an arithmetic fact, a statement with
// the problems' vocabulary, or a short narrative followed by the arithmetic it implies —
// never a question, never "The answer is".
func (g *MathGenerator) corpusSentence() string {
	n1, n2 := g.names()
	obj := g.pick(mathObjects)
	switch g.rng.IntN(14) {
	case 9:
		a, b := g.q(1, 60), g.q(1, 39)
		return fmt.Sprintf("%s has %d %s. %s gives %s %d more. %d + %d = %d.", n1, a, obj, n2, n1, b, a, b, a+b)
	case 10:
		a := g.q(2, 99)
		b := g.num(1, a)
		return fmt.Sprintf("%s has %d %s and gives %d to %s. %d - %d = %d.", n1, a, obj, b, n2, a, b, a-b)
	case 11:
		a, b := g.num(2, 9), g.num(2, 9)
		return fmt.Sprintf("%s buys %d %s of %d %s. %d * %d = %d.", n1, a, g.pick(mathContainers), b, obj, a, b, a*b)
	case 12:
		q, d := g.num(1, 12), g.num(2, 9)
		return fmt.Sprintf("%d %s are split among %d friends. %d / %d = %d.", q*d, obj, d, q*d, d, q)
	case 13:
		a, b := g.q(10, 40), g.num(2, 9)
		return fmt.Sprintf("A box holds %d %s. %d boxes hold %d * %d = %d.", a, obj, b, a, b, a*b)
	case 0, 1:
		a, b := g.q(1, 99), g.q(1, 99)
		return fmt.Sprintf("%d + %d = %d.", a, b, a+b)
	case 2, 3:
		a := g.q(2, 99)
		b := g.num(1, a)
		return fmt.Sprintf("%d - %d = %d.", a, b, a-b)
	case 4:
		a, b := g.q(1, 40), g.num(1, 9)
		return fmt.Sprintf("%d * %d = %d.", a, b, a*b)
	case 5:
		q, d := g.num(1, 20), g.num(1, 9)
		return fmt.Sprintf("%d / %d = %d.", q*d, d, q)
	case 6:
		return fmt.Sprintf("%s has %d %s.", n1, g.q(1, 99), obj)
	case 7:
		return fmt.Sprintf("%s gives %d %s to %s.", n1, g.q(1, 40), obj, n2)
	default:
		return fmt.Sprintf("A %s holds %d %s.", strings.TrimSuffix(g.pick(mathContainers), "es"), g.q(2, 40), obj)
	}
}

// MathCorpus returns n pretraining texts of up to maxLen characters made of corpus sentences:
// arithmetic facts ("23 + 41 = 64.") and statements ("Anna has 23 apples.") with the word
// problems' vocabulary but no questions and no "The answer is".
func (g *MathGenerator) MathCorpus(n, maxLen int) []string {
	out := make([]string, n)
	for i := range out {
		var b strings.Builder
		for {
			s := g.corpusSentence()
			if b.Len()+len(s)+1 > maxLen {
				break
			}
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(s)
		}
		out[i] = b.String() + "\n"
	}
	return out
}
