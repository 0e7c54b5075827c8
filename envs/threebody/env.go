package threebody

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// KmPerSecond is one km/s in N-body velocity units (the unit is about 51.6 km/s).
var KmPerSecond = func() float64 {
	const au = 1.495978707e8 // km
	const year = 365.25 * 86400.0
	unit := au / (YearsPerTimeUnit * year) // km/s per velocity unit
	return 1 / unit
}()

// InitialConditions returns the paper's random three-body configuration number ic: three
// equal masses (1 M☉ each, 1/3 in N-body units), body 0 at the origin, body 1 at
// x ~ U[5, 20], y ~ U[0, 10] au, body 2 at x ~ U[−10, 0], y ~ U[5, 20] au, velocities
// (0, 10), (−10, 0) and (0, 0) km/s, moved to the centre-of-mass frame. The draw is seeded
// by ic (Go's PCG, so the numbers differ from the paper's NumPy draws; the distribution is
// the same).
func InitialConditions(ic int) *System {
	rng := rand.New(rand.NewPCG(uint64(ic), 0x3b0d))
	u := func(lo, hi float64) float64 { return lo + (hi-lo)*rng.Float64() }
	s := &System{
		Mass: []float64{1.0 / 3, 1.0 / 3, 1.0 / 3},
		Pos:  []Vec{{0, 0, 0}, {u(5, 20), u(0, 10), 0}, {u(-10, 0), u(5, 20), 0}},
		Vel:  []Vec{{0, 10 * KmPerSecond, 0}, {-10 * KmPerSecond, 0, 0}, {0, 0, 0}},
	}
	s.ToCentreOfMass()
	return s
}

// Reward scores one environment step from the cumulative relative energy error, the
// chosen parameter and the step number t (1 for the first step).
type Reward interface {
	Reward(energyError, param float64, t int) float64
	Name() string
}

// F5 is the paper's reward (reward_f = 5):
//
//	R_t = −W1·log10(|ΔE|/1e-10) / (|log10|ΔE||³·t) + W3/|log10 μ|,   R_1 = 0.
//
// The first term penalises energy error, more strongly early in the run; the second
// rewards cheap (large) parameters. The code's final models use W1 = 3000, W3 = 4.
type F5 struct{ W1, W3 float64 }

// Name implements Reward.
func (r F5) Name() string { return fmt.Sprintf("f5 (W1=%g, W3=%g)", r.W1, r.W3) }

// Reward implements Reward.
func (r F5) Reward(dE, mu float64, t int) float64 {
	if t <= 1 {
		return 0
	}
	l := math.Log10(math.Abs(dE))
	return -r.W1*(l+10)/(math.Pow(math.Abs(l), 3)*float64(t)) + r.W3/math.Abs(math.Log10(mu))
}

// F3 is the paper's simpler alternative: R = −W1·log10|ΔE| + W3/|log10 μ|.
type F3 struct{ W1, W3 float64 }

// Name implements Reward.
func (r F3) Name() string { return fmt.Sprintf("f3 (W1=%g, W3=%g)", r.W1, r.W3) }

// Reward implements Reward: smaller errors (more negative log10|ΔE|) score higher.
func (r F3) Reward(dE, mu float64, _ int) float64 {
	return -r.W1*math.Log10(math.Abs(dE)) + r.W3/math.Abs(math.Log10(mu))
}

// Config configures an Env; the zero value is the paper's training setting with Hermite.
type Config struct {
	Integrator     Integrator // default Hermite{}
	Reward         Reward     // default F5{W1: 3000, W3: 4}
	StepYears      float64    // time per RL step, default 0.1 yr
	MaxSteps       int        // episode length, default 100 (the paper evaluates over 300)
	MaxEnergyError float64    // the episode ends early past it, default 0.1
}

func (c Config) withDefaults() Config {
	if c.Integrator == nil {
		c.Integrator = Hermite{}
	}
	if c.Reward == nil {
		c.Reward = F5{W1: 3000, W3: 4}
	}
	if c.StepYears == 0 {
		c.StepYears = 0.1
	}
	if c.MaxSteps == 0 {
		c.MaxSteps = 100
	}
	if c.MaxEnergyError == 0 {
		c.MaxEnergyError = 0.1
	}
	return c
}

// ObservationSize is the length of an observation: x and y positions (÷10) and velocities
// of the three bodies, and −log10|ΔE|.
const ObservationSize = 13

// Info reports what one step measured.
type Info struct {
	EnergyError float64       // cumulative relative energy error (E − E0)/E0
	Param       float64       // the parameter the action chose
	ForceEvals  int           // force evaluations in this step
	WallTime    time.Duration // wall time of this step's integration
	Years       float64       // simulated time after the step
	Truncated   bool          // the integrator hit its substep limit
}

// Env is the environment: Reset, then Step until done.
type Env struct {
	cfg    Config
	sys    *System
	e0     float64
	steps  int
	params []float64
}

// New creates an environment.
func New(cfg Config) *Env {
	cfg = cfg.withDefaults()
	return &Env{cfg: cfg, params: cfg.Integrator.Params()}
}

// NumActions is the number of discrete actions.
func (e *Env) NumActions() int { return len(e.params) }

// Params are the parameter values of the actions.
func (e *Env) Params() []float64 { return e.params }

// Config returns the environment's configuration with defaults filled.
func (e *Env) Config() Config { return e.cfg }

// System is the current state (do not modify).
func (e *Env) System() *System { return e.sys }

// Reset starts an episode from initial condition ic and returns the first observation.
func (e *Env) Reset(ic int) []float64 {
	return e.ResetWith(InitialConditions(ic))
}

// ResetWith starts an episode from a given system (copied).
func (e *Env) ResetWith(s *System) []float64 {
	e.sys = s.Clone()
	e.e0 = e.sys.Energy()
	e.steps = 0
	return e.observation(0)
}

func (e *Env) observation(dE float64) []float64 {
	obs := make([]float64, 0, ObservationSize)
	for i := 0; i < 3; i++ {
		obs = append(obs, e.sys.Pos[i][0]/10, e.sys.Pos[i][1]/10)
	}
	for i := 0; i < 3; i++ {
		obs = append(obs, e.sys.Vel[i][0], e.sys.Vel[i][1])
	}
	if dE == 0 {
		return append(obs, 0)
	}
	return append(obs, -math.Log10(math.Abs(dE)))
}

// Step integrates one RL step with the parameter of action and returns the observation,
// the reward, whether the episode is over and what the step measured.
func (e *Env) Step(action int) (obs []float64, reward float64, done bool, info Info) {
	if e.sys == nil {
		panic("threebody: Step before Reset")
	}
	if action < 0 || action >= len(e.params) {
		panic(fmt.Sprintf("threebody: action %d outside [0, %d)", action, len(e.params)))
	}
	p := e.params[action]
	evals := e.sys.ForceEvals
	start := time.Now()
	truncated := e.cfg.Integrator.Evolve(e.sys, e.cfg.StepYears/YearsPerTimeUnit, p)
	info.WallTime = time.Since(start)
	e.steps++
	dE := (e.sys.Energy()-e.e0)/e.e0 + 1e-20
	info = Info{EnergyError: dE, Param: p, ForceEvals: e.sys.ForceEvals - evals, WallTime: info.WallTime,
		Years: e.sys.Time * YearsPerTimeUnit, Truncated: truncated}
	reward = e.cfg.Reward.Reward(dE, p, e.steps)
	done = e.steps >= e.cfg.MaxSteps || math.Abs(dE) > e.cfg.MaxEnergyError || truncated || math.IsNaN(dE)
	return e.observation(dE), reward, done, info
}
