package dqn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/initializer"
	"github.com/peftlab/peftlab/peftlib/models"
	"github.com/peftlab/peftlab/peftlib/peft"
)

// Agent is a DQN agent: online and target Q-networks in one Store ("/online", "/target"),
// a replay memory and the ε-greedy schedule.
type Agent struct {
	cfg     Config
	backend compute.Backend
	store   *model.Store
	act     *model.ExecOneOutput
	update  *model.ExecOneOutput
	memory  *replay
	rng     *rand.Rand
	steps   int // environment steps taken (for ε)
	Updates int // gradient steps taken
}

// New creates an agent with freshly initialised networks (the target a copy of the online one).
func New(backend compute.Backend, cfg Config) (*Agent, error) {
	cfg = cfg.withDefaults()
	if cfg.States <= 0 || cfg.Actions <= 0 {
		return nil, fmt.Errorf("dqn: States (%d) and Actions (%d) must be positive", cfg.States, cfg.Actions)
	}
	store := model.NewStore()
	store.SetParam(model.ParamInitialSeed, int64(cfg.Seed+1))
	a := &Agent{cfg: cfg, backend: backend, store: store, memory: newReplay(cfg.Memory, cfg.States),
		rng: rand.New(rand.NewPCG(cfg.Seed, 0xd9))}
	if err := a.compile(); err != nil {
		return nil, err
	}
	// Materialise both networks, then copy online → target.
	both := func(scope *model.Scope, states *Node) *Node {
		return Add(cfg.QValues(scope.In("online"), states), cfg.QValues(scope.In("target"), states))
	}
	if err := peft.Materialize(backend, store, both, tensors.FromFlatDataAndDimensions(make([]float32, cfg.States), 1, cfg.States)); err != nil {
		return nil, fmt.Errorf("dqn: %w", err)
	}
	for _, v := range a.vars("/online/") {
		t := a.store.GetVariable("/target/" + strings.TrimPrefix(v.Path(), "/online/"))
		if t == nil {
			return nil, fmt.Errorf("dqn: target of %s missing", v.Path())
		}
		val, _ := v.Value()
		c, _ := val.LocalClone()
		if err := t.SetValue(c); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// Load restores an agent saved with Save (networks only; the replay memory starts empty).
func Load(backend compute.Backend, cfg Config, dir string) (*Agent, error) {
	a, err := New(backend, cfg)
	if err != nil {
		return nil, err
	}
	saved, err := models.Load(dir)
	if err != nil {
		return nil, fmt.Errorf("dqn: %w", err)
	}
	for v := range saved.IterVariables() {
		if peft.IsBookkeeping(v.Path()) {
			continue
		}
		val, err := v.Value()
		if err != nil {
			return nil, fmt.Errorf("dqn: %w", err)
		}
		dst := a.store.GetVariable(v.Path())
		if dst == nil && strings.HasPrefix(v.Path(), "/optimizer/") { // optimizer state is created lazily
			if _, err := a.store.CreateVariable(v.Path(), val); err != nil {
				return nil, fmt.Errorf("dqn: %w", err)
			}
			continue
		}
		if dst == nil || !dst.Shape().Equal(v.Shape()) {
			return nil, fmt.Errorf("dqn: checkpoint %s has %s %s, which this configuration does not", dir, v.Path(), v.Shape())
		}
		if err := dst.SetValue(val); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// Save writes the networks and the optimizer state to dir (atomically).
func (a *Agent) Save(dir string) error { return models.Save(a.store, dir) }

// Config returns the configuration with defaults filled.
func (a *Agent) Config() Config { return a.cfg }

func (a *Agent) vars(prefix string) []*model.Variable {
	var out []*model.Variable
	for v := range a.store.IterVariables() {
		if strings.HasPrefix(v.Path(), prefix) {
			out = append(out, v)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path() < out[j].Path() })
	return out
}

func (a *Agent) compile() error {
	cfg := a.cfg
	var err error
	a.act, err = model.NewExec1(a.backend, a.store, func(scope *model.Scope, states *Node) *Node {
		return cfg.QValues(scope.In("online"), states)
	})
	if err != nil {
		return fmt.Errorf("dqn: %w", err)
	}
	a.update, err = model.NewExec1(a.backend, a.store, func(scope *model.Scope, states, actions, rewards, next, notDone *Node) *Node {
		g := states.Graph()
		online := cfg.QValues(scope.In("online"), states)
		qa := ReduceSum(Mul(online, OneHot(actions, cfg.Actions, online.DType())), -1)
		qNext := StopGradient(ReduceMax(cfg.QValues(scope.In("target"), next), -1))
		target := Add(rewards, Mul(MulScalar(notDone, cfg.Gamma), qNext))
		loss := ReduceAllMean(huber(Sub(qa, target)))
		vars := a.vars("/online/")
		params := make([]*Node, len(vars))
		for i, v := range vars {
			params[i] = v.NodeValue(g)
		}
		grads := Gradient(loss, params...)
		opt := scope.In("optimizer")
		step := opt.WithInitializer(initializer.Zero).
			VariableWithShape("step", shapes.Make(dtypes.Float32)).SetTrainable(false)
		t := AddScalar(step.NodeValue(g), 1)
		step.SetNodeValue(t)
		for i, v := range vars {
			updated := adamWAMSGrad(opt, v, params[i], ClipScalar(grads[i], -cfg.GradClip, cfg.GradClip), t, cfg)
			v.SetNodeValue(updated)
			tv := a.store.GetVariable("/target/" + strings.TrimPrefix(v.Path(), "/online/"))
			tv.SetNodeValue(Add(MulScalar(updated, cfg.Tau), MulScalar(tv.NodeValue(g), 1-cfg.Tau)))
		}
		return loss
	})
	if err != nil {
		return fmt.Errorf("dqn: %w", err)
	}
	return nil
}

// huber is the smooth-L1 loss with δ = 1 (PyTorch's SmoothL1Loss).
func huber(x *Node) *Node {
	ax := Abs(x)
	return Where(LessThan(ax, OnesLike(ax)), MulScalar(Square(x), 0.5), AddScalar(ax, -0.5))
}

// adamWAMSGrad is one AdamW step with AMSGrad (PyTorch's torch.optim.AdamW(amsgrad=True),
// β = (0.9, 0.999), ε = 1e-8): decoupled weight decay, then the Adam step with the running
// maximum of the second moment.
func adamWAMSGrad(scope *model.Scope, v *model.Variable, w, grad, t *Node, cfg Config) *Node {
	const b1, b2, eps = 0.9, 0.999, 1e-8
	name := strings.ReplaceAll(strings.TrimPrefix(v.Path(), "/"), "/", "_")
	zero := scope.WithInitializer(initializer.Zero)
	m := zero.VariableWithShape(name+"_m", v.Shape()).SetTrainable(false)
	s := zero.VariableWithShape(name+"_v", v.Shape()).SetTrainable(false)
	sMax := zero.VariableWithShape(name+"_vmax", v.Shape()).SetTrainable(false)
	g := grad.Graph()
	mNew := Add(MulScalar(m.NodeValue(g), b1), MulScalar(grad, 1-b1))
	sNew := Add(MulScalar(s.NodeValue(g), b2), MulScalar(Square(grad), 1-b2))
	sMaxNew := Max(sMax.NodeValue(g), sNew)
	m.SetNodeValue(mNew)
	s.SetNodeValue(sNew)
	sMax.SetNodeValue(sMaxNew)
	bc1 := OneMinus(Pow(Scalar(g, t.DType(), b1), t))
	bc2 := OneMinus(Pow(Scalar(g, t.DType(), b2), t))
	decayed := MulScalar(w, 1-cfg.LearningRate*cfg.WeightDecay)
	denom := AddScalar(Div(Sqrt(sMaxNew), Sqrt(ConvertDType(bc2, w.DType()))), eps)
	stepSize := Div(Scalar(g, w.DType(), cfg.LearningRate), ConvertDType(bc1, w.DType()))
	return Sub(decayed, Mul(stepSize, Div(mNew, denom)))
}

// Epsilon is the exploration rate after steps environment steps.
func (a *Agent) Epsilon(steps int) float64 {
	c := a.cfg
	return c.EpsEnd + (c.EpsStart-c.EpsEnd)*math.Exp(-float64(steps)/c.EpsDecay)
}

// StartEpisode resets the ε schedule if EpsilonPerEpisode (the official code's behaviour).
func (a *Agent) StartEpisode() {
	if a.cfg.EpsilonPerEpisode {
		a.steps = 0
	}
}

// QValues returns the online network's Q-values for one state.
func (a *Agent) QValues(state []float64) ([]float64, error) {
	x := make([]float32, len(state))
	for i, v := range state {
		x[i] = float32(v)
	}
	q, err := a.act.Call(tensors.FromFlatDataAndDimensions(x, 1, len(x)))
	if err != nil {
		return nil, fmt.Errorf("dqn: %w", err)
	}
	flat := tensors.MustCopyFlatData[float32](q)
	q.FinalizeAll()
	out := make([]float64, len(flat))
	for i, v := range flat {
		out[i] = float64(v)
	}
	return out, nil
}

// Greedy returns the action with the largest Q-value.
func (a *Agent) Greedy(state []float64) (int, error) {
	q, err := a.QValues(state)
	if err != nil {
		return 0, err
	}
	best := 0
	for i, v := range q {
		if v > q[best] {
			best = i
		}
	}
	return best, nil
}

// Act picks an ε-greedy action and counts the step for the ε schedule.
func (a *Agent) Act(state []float64) (int, error) {
	eps := a.Epsilon(a.steps)
	a.steps++
	if a.rng.Float64() < eps {
		return a.rng.IntN(a.cfg.Actions), nil
	}
	return a.Greedy(state)
}

// Remember stores a transition in the replay memory.
func (a *Agent) Remember(state []float64, action int, reward float64, next []float64, done bool) {
	a.memory.push(state, action, reward, next, done)
}

// Update takes one gradient step on a batch sampled from the replay memory and soft-updates
// the target network. With fewer transitions than a batch it does nothing (ok false).
func (a *Agent) Update() (loss float64, ok bool, err error) {
	if a.memory.len() < a.cfg.Batch {
		return 0, false, nil
	}
	s, act, r, next, notDone := a.memory.sample(a.rng, a.cfg.Batch)
	out, err := a.update.Call(s, act, r, next, notDone)
	if err != nil {
		return 0, false, fmt.Errorf("dqn: update: %w", err)
	}
	loss = float64(tensors.ToScalar[float32](out))
	out.FinalizeAll()
	a.Updates++
	return loss, true, nil
}
