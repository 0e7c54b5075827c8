package fit

import (
	"github.com/peftlab/peftlab/peftlib/datasets"
	"github.com/peftlab/peftlab/peftlib/models"
	"github.com/peftlab/peftlab/peftlib/nb"
)

// MathEval is the accuracy of greedy decoding on math word problems.
type MathEval struct {
	ByFamily map[datasets.MathFamily]float64
	Average  float64  // mean over families (the paper's "Avg")
	Samples  []string // the first generated answer of each family, for reading
}

// EvaluateMath generates an answer for each problem's prompt with gen (greedy, stopping at
// the newline token stop, at most maxNew tokens) and scores it with the answer-extraction rule.
func EvaluateMath(gen *models.Generator, tok Tokenizer, stop int32, problems []datasets.MathProblem, maxNew int, title string) (*MathEval, error) {
	prompts := make([][]int32, len(problems))
	for i, p := range problems {
		ids, err := tok.Encode(p.Prompt())
		if err != nil {
			return nil, err
		}
		prompts[i] = ids
	}
	if title != "" {
		bar := nb.NewProgress(title, len(problems))
		defer bar.Done()
		gen.OnBatch = func(done, _ int) { bar.Set(done, "") }
		defer func() { gen.OnBatch = nil }()
	}
	outs, err := gen.Generate(prompts, maxNew, stop, models.Greedy)
	if err != nil {
		return nil, err
	}
	correct, total := map[datasets.MathFamily]int{}, map[datasets.MathFamily]int{}
	seen := map[datasets.MathFamily]bool{}
	ev := &MathEval{ByFamily: map[datasets.MathFamily]float64{}}
	for i, p := range problems {
		text := tok.Decode(outs[i])
		total[p.Family]++
		if p.IsCorrect(text) {
			correct[p.Family]++
		}
		if !seen[p.Family] {
			seen[p.Family] = true
			ev.Samples = append(ev.Samples, p.Prompt()+text)
		}
	}
	for f, n := range total {
		ev.ByFamily[f] = float64(correct[f]) / float64(n)
		ev.Average += ev.ByFamily[f] / float64(len(total))
	}
	return ev, nil
}
