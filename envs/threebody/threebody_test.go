package threebody

import (
	"math"
	"testing"
)

// kepler returns a two-body orbit of total mass 1, semi-major axis 1 and eccentricity e,
// started at pericentre, and its period 2π.
func kepler(e float64) (*System, float64) {
	rp := 1 - e
	vp := math.Sqrt((1 + e) / (1 - e)) // vis-viva at pericentre, G·M = 1, a = 1
	s := &System{Mass: []float64{0.5, 0.5},
		Pos: []Vec{{-rp / 2, 0, 0}, {rp / 2, 0, 0}},
		Vel: []Vec{{0, -vp / 2, 0}, {0, vp / 2, 0}}}
	return s, 2 * math.Pi
}

type case_ struct {
	integ Integrator
	param float64 // a fine parameter
}

var integrators = []case_{
	{Hermite{}, 2e-3},
	{Hermite{StepRule: "aj"}, 2e-3},
	{Leapfrog{}, 2e-4},
	{Yoshida4{MinStepYears: 1e-9}, 2e-3 * YearsPerTimeUnit},
}

func TestKeplerOrbitReturnsAfterOnePeriod(t *testing.T) {
	for _, c := range integrators {
		s, period := kepler(0.5)
		start := s.Clone()
		if c.integ.Evolve(s, period, c.param) {
			t.Fatalf("%s: truncated", c.integ.Name())
		}
		if d := s.Pos[1].sub(start.Pos[1]).norm(); d > 1e-3 {
			t.Errorf("%s: after one analytic period the body is %g away from its start", c.integ.Name(), d)
		}
		if math.Abs(s.Time-period) > 1e-12 {
			t.Errorf("%s: ended at t=%g, want exactly %g", c.integ.Name(), s.Time, period)
		}
	}
}

// energyError integrates an eccentric orbit for a fixed time with parameter p.
func energyError(integ Integrator, p float64) float64 {
	s, period := kepler(0.6)
	e0 := s.Energy()
	integ.Evolve(s, period/3, p)
	return math.Abs((s.Energy() - e0) / e0)
}

// TestConvergenceOrder: halving the step divides the energy error by about 2^order.
func TestConvergenceOrder(t *testing.T) {
	cases := []struct {
		integ    Integrator
		p        float64
		order    float64
		min, max float64 // accepted range of the ratio
	}{
		{Hermite{}, 0.02, 4, 8, 32},
		{Hermite{StepRule: "aj"}, 0.02, 4, 8, 32},
		{Leapfrog{}, 0.005, 2, 2.5, 6},
		{Yoshida4{MinStepYears: 1e-9}, 0.01 * YearsPerTimeUnit, 4, 8, 32},
	}
	for _, c := range cases {
		e1, e2 := energyError(c.integ, c.p), energyError(c.integ, c.p/2)
		ratio := e1 / e2
		t.Logf("%s: |ΔE| %.3g → %.3g when halving the step: ratio %.1f (order %g expects %g)",
			c.integ.Name(), e1, e2, ratio, c.order, math.Pow(2, c.order))
		if ratio < c.min || ratio > c.max {
			t.Errorf("%s: error ratio %.2f outside [%g, %g]", c.integ.Name(), ratio, c.min, c.max)
		}
	}
}

func TestInitialConditionsAreDeterministic(t *testing.T) {
	a, b, c := InitialConditions(7), InitialConditions(7), InitialConditions(8)
	if a.Pos[1] != b.Pos[1] || a.Pos[2] != b.Pos[2] {
		t.Fatal("same index, different initial conditions")
	}
	if a.Pos[1] == c.Pos[1] {
		t.Fatal("different indices, same initial conditions")
	}
	var p, v Vec
	for i := range a.Mass {
		p, v = p.axpy(a.Mass[i], a.Pos[i]), v.axpy(a.Mass[i], a.Vel[i])
	}
	if p.norm() > 1e-12 || v.norm() > 1e-12 {
		t.Fatal("not in the centre-of-mass frame")
	}
	if math.Abs(KmPerSecond*51.6-1) > 0.01 {
		t.Fatalf("velocity unit %.2f km/s, want about 51.6", 1/KmPerSecond)
	}
}

func TestEnvEpisode(t *testing.T) {
	env := New(Config{MaxSteps: 5})
	obs := env.Reset(3)
	if len(obs) != ObservationSize || obs[12] != 0 {
		t.Fatalf("first observation %v", obs)
	}
	var total int
	for step := 1; ; step++ {
		obs, r, done, info := env.Step(5)
		total += info.ForceEvals
		if step == 1 && r != 0 {
			t.Fatalf("first reward %g, want 0", r)
		}
		if info.ForceEvals == 0 || math.Abs(info.Years-0.1*float64(step)) > 1e-9 || obs[12] <= 0 {
			t.Fatalf("step %d: %+v obs %v", step, info, obs)
		}
		if done {
			if step != 5 {
				t.Fatalf("done at step %d", step)
			}
			break
		}
	}
	// Same actions from the same start: the same force evaluations (deterministic cost).
	env.Reset(3)
	again := 0
	for i := 0; i < 5; i++ {
		_, _, _, info := env.Step(5)
		again += info.ForceEvals
	}
	if again != total {
		t.Fatalf("force evaluations %d then %d", total, again)
	}
}

func TestRewardF5(t *testing.T) {
	r := F5{W1: 3000, W3: 4}
	// ΔE = 1e-8 at t = 1: 0; at t = 2: −3000·2/(512·2) + 4/|log10 μ|.
	if got := r.Reward(1e-8, 1e-1, 1); got != 0 {
		t.Fatalf("first step %g", got)
	}
	want := -3000.0*2/(512*2) + 4
	if got := r.Reward(1e-8, 1e-1, 2); math.Abs(got-want) > 1e-9 {
		t.Fatalf("got %g want %g", got, want)
	}
	if r.Reward(1e-12, 1e-4, 3) <= r.Reward(1e-6, 1e-4, 3) {
		t.Fatal("a smaller energy error must score higher")
	}
}

func TestRolloutFixedPolicies(t *testing.T) {
	env := New(Config{MaxSteps: 20})
	fine, err := env.Rollout(1, Fixed(0))
	if err != nil {
		t.Fatal(err)
	}
	coarse, _ := env.Rollout(1, Fixed(9))
	// A smaller parameter costs more force evaluations and gives a smaller energy error.
	if !(fine.ForceEvals > 10*coarse.ForceEvals) {
		t.Fatalf("μ=1e-4 used %d force evaluations, μ=0.1 %d", fine.ForceEvals, coarse.ForceEvals)
	}
	if !(fine.FinalEnergyError() < coarse.FinalEnergyError()) {
		t.Fatalf("|ΔE| %g (μ=1e-4) vs %g (μ=0.1)", fine.FinalEnergyError(), coarse.FinalEnergyError())
	}
	if len(fine.Positions) != fine.Steps || fine.Params[0] != env.Params()[0] {
		t.Fatal("trajectory bookkeeping")
	}
	ep := &Episodic{Env: env}
	a, b := ep.Reset(3), ep.Reset(3)
	if a[2] != b[2] {
		t.Fatal("episode numbers must map to initial conditions deterministically")
	}
}
