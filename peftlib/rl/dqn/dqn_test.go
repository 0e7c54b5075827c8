package dqn

import (
	"math"
	"path/filepath"
	"testing"

	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/peftlab/peftlab/peftlib/backend"
)

// TestAdamWAMSGradMatchesPyTorchFormula: two steps on w = [1, -2] with fixed gradients,
// against the update written out by hand.
func TestAdamWAMSGradMatchesPyTorchFormula(t *testing.T) {
	cfg := Config{LearningRate: 0.1, WeightDecay: 0.01}.withDefaults()
	store := model.NewStore()
	w := store.RootScope().VariableWithValue("w", []float64{1, -2})
	grads := [][]float64{{0.5, -1}, {-0.2, 0.3}}
	exec := model.MustNewExec(backend.ForTests(), store, func(scope *model.Scope, g *Node, t *Node) *Node {
		upd := adamWAMSGrad(scope.In("opt"), w, w.NodeValue(g.Graph()), g, t, cfg)
		w.SetNodeValue(upd)
		return upd
	})
	// Reference (PyTorch AdamW, amsgrad=True).
	ref := []float64{1, -2}
	m, v, vmax := make([]float64, 2), make([]float64, 2), make([]float64, 2)
	for step, g := range grads {
		tstep := float64(step + 1)
		for i := range ref {
			ref[i] *= 1 - 0.1*0.01
			m[i] = 0.9*m[i] + 0.1*g[i]
			v[i] = 0.999*v[i] + 0.001*g[i]*g[i]
			vmax[i] = math.Max(vmax[i], v[i])
			denom := math.Sqrt(vmax[i])/math.Sqrt(1-math.Pow(0.999, tstep)) + 1e-8
			ref[i] -= 0.1 / (1 - math.Pow(0.9, tstep)) * m[i] / denom
		}
		out := exec.MustExec(tensors.FromValue(g), tensors.FromScalar(float64(step+1)))
		got := tensors.MustCopyFlatData[float64](out[0])
		for i := range ref {
			if math.Abs(got[i]-ref[i]) > 1e-12 {
				t.Fatalf("step %d: w[%d] = %.15g, PyTorch's formula gives %.15g", step+1, i, got[i], ref[i])
			}
		}
	}
}

// TestLearnsABandit: in state i (one-hot), action i pays 1 and the others 0; episodes last
// one step. After training, the greedy policy picks the paying action.
func TestLearnsABandit(t *testing.T) {
	a, err := New(backend.ForTests(), Config{States: 3, Actions: 3, Hidden: 16, Layers: 1, Batch: 32,
		LearningRate: 1e-2, EpsDecay: 200, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	onehot := func(i int) []float64 { s := make([]float64, 3); s[i] = 1; return s }
	for step := 0; step < 600; step++ {
		s := step % 3
		act, err := a.Act(onehot(s))
		if err != nil {
			t.Fatal(err)
		}
		r := 0.0
		if act == s {
			r = 1
		}
		a.Remember(onehot(s), act, r, onehot((s+1)%3), true)
		if _, _, err := a.Update(); err != nil {
			t.Fatal(err)
		}
	}
	for s := 0; s < 3; s++ {
		q, _ := a.QValues(onehot(s))
		best, _ := a.Greedy(onehot(s))
		if best != s || math.Abs(q[s]-1) > 0.2 {
			t.Fatalf("state %d: greedy action %d, Q %v (want action %d with Q≈1)", s, best, q, s)
		}
	}
	// Save and load: the same Q-values.
	dir := filepath.Join(t.TempDir(), "agent")
	if err := a.Save(dir); err != nil {
		t.Fatal(err)
	}
	b, err := Load(backend.ForTests(), a.Config(), dir)
	if err != nil {
		t.Fatal(err)
	}
	qa, _ := a.QValues(onehot(1))
	qb, _ := b.QValues(onehot(1))
	for i := range qa {
		if qa[i] != qb[i] {
			t.Fatalf("loaded agent Q %v, saved %v", qb, qa)
		}
	}
}

func TestEpsilonSchedule(t *testing.T) {
	a, err := New(backend.ForTests(), Config{States: 2, Actions: 2, EpsilonPerEpisode: true})
	if err != nil {
		t.Fatal(err)
	}
	if e := a.Epsilon(0); math.Abs(e-0.9) > 1e-12 {
		t.Fatalf("ε(0) = %g", e)
	}
	if e := a.Epsilon(1000); math.Abs(e-(0.05+0.85/math.E)) > 1e-12 {
		t.Fatalf("ε(1000) = %g", e)
	}
	for i := 0; i < 50; i++ {
		a.Act([]float64{0, 0})
	}
	a.StartEpisode()
	if a.steps != 0 {
		t.Fatal("EpsilonPerEpisode must restart the schedule")
	}
}

// chain is a 4-state corridor: action 1 moves right (reward 1 at the end), action 0 stays
// put (reward 0). Episodes end at the right end or after 8 steps.
type chain struct{ pos, steps int }

func (c *chain) obs() []float64      { o := make([]float64, 4); o[c.pos] = 1; return o }
func (c *chain) Reset(int) []float64 { c.pos, c.steps = 0, 0; return c.obs() }
func (c *chain) Step(a int) ([]float64, float64, bool) {
	c.steps++
	if a == 1 {
		c.pos++
	}
	if c.pos == 3 {
		return c.obs(), 1, true
	}
	return c.obs(), 0, c.steps >= 8
}

func TestTrainSolvesAChainAndKeepsTheBest(t *testing.T) {
	a, err := New(backend.ForTests(), Config{States: 4, Actions: 2, Hidden: 16, Layers: 1, Batch: 32,
		LearningRate: 5e-3, EpsDecay: 100, Tau: 0.05, Gamma: 0.9, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	best := filepath.Join(t.TempDir(), "best")
	test := func(a *Agent) (float64, map[string]float64, error) {
		env := &chain{}
		obs := env.Reset(0)
		total := 0.0
		for done := false; !done; {
			act, err := a.Greedy(obs)
			if err != nil {
				return 0, nil, err
			}
			var r float64
			obs, r, done = env.Step(act)
			total += r
		}
		return total, map[string]float64{"steps": float64(env.steps)}, nil
	}
	h, err := Train(a, &chain{}, TrainOptions{Episodes: 60, TestEvery: 10, Test: test, BestDir: best})
	if err != nil {
		t.Fatal(err)
	}
	if h.BestScore != 1 || len(h.TestScores) != 6 || len(h.EpisodeReward) != 60 {
		t.Fatalf("best score %g at %d; %d tests", h.BestScore, h.BestEpisode, len(h.TestScores))
	}
	loaded, err := Load(backend.ForTests(), a.Config(), best)
	if err != nil {
		t.Fatal(err)
	}
	if s, _, _ := test(loaded); s != 1 {
		t.Fatal("the best checkpoint does not solve the chain")
	}
}
