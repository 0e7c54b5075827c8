package threebody

import (
	"fmt"
	"math"
)

// YearsPerTimeUnit is the N-body time unit in years: 1/(2π√3).
var YearsPerTimeUnit = 1 / (2 * math.Pi * math.Sqrt(3))

// Integrator advances a system by a duration with a step parameter chosen per call: the
// RL agent's action.
type Integrator interface {
	Name() string
	// Params are the values the action indexes (10, log-spaced, as in the paper).
	Params() []float64
	// Evolve advances s by exactly duration (N-body time). It reports whether it stopped
	// early because it needed more than its substep limit.
	Evolve(s *System, duration, param float64) (truncated bool)
}

// LogSpace returns n values from lo to hi, evenly spaced in log scale.
func LogSpace(lo, hi float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = math.Pow(10, math.Log10(lo)+(math.Log10(hi)-math.Log10(lo))*float64(i)/float64(n-1))
	}
	return out
}

// MaxSubsteps bounds the substeps of one Evolve call, so a near-collision with a tiny
// step cannot run forever; the call then reports truncated.
var MaxSubsteps = 2_000_000

// Hermite is the 4th-order Hermite predictor–corrector (Makino & Aarseth 1992) with a
// shared step. StepRule "tcoll" (the paper's Hermite: dt = μ·t_coll) or "aj" (ph4-like:
// dt = μ·min_i |a_i|/|j_i|).
type Hermite struct {
	StepRule string
}

// Name implements Integrator.
func (h Hermite) Name() string {
	if h.StepRule == "aj" {
		return "Hermite |a|/|j| (ph4-like)"
	}
	return "Hermite"
}

// Params implements Integrator: μ from 1e-4 to 1e-1.
func (Hermite) Params() []float64 { return LogSpace(1e-4, 1e-1, 10) }

// Evolve implements Integrator.
func (h Hermite) Evolve(s *System, duration, mu float64) bool {
	n := s.N()
	a0, j0 := make([]Vec, n), make([]Vec, n)
	a1, j1 := make([]Vec, n), make([]Vec, n)
	xp, vp := make([]Vec, n), make([]Vec, n)
	s.accJerk(s.Pos, s.Vel, a0, j0)
	end := s.Time + duration
	for steps := 0; s.Time < end; steps++ {
		if steps >= MaxSubsteps {
			return true
		}
		var dt float64
		if h.StepRule == "aj" {
			dt = math.Inf(1)
			for i := range a0 {
				if jn := j0[i].norm(); jn > 0 {
					dt = min(dt, a0[i].norm()/jn)
				}
			}
			dt *= mu
		} else {
			dt = mu * s.CollisionTime()
		}
		if s.Time+dt >= end || dt <= 0 || math.IsNaN(dt) || math.IsInf(dt, 0) {
			dt = end - s.Time
		}
		dt2, dt3 := dt*dt, dt*dt*dt
		for i := range xp {
			xp[i] = s.Pos[i].axpy(dt, s.Vel[i]).axpy(dt2/2, a0[i]).axpy(dt3/6, j0[i])
			vp[i] = s.Vel[i].axpy(dt, a0[i]).axpy(dt2/2, j0[i])
		}
		s.accJerk(xp, vp, a1, j1)
		for i := range xp {
			v1 := s.Vel[i].axpy(dt/2, a0[i].add(a1[i])).axpy(dt2/12, j0[i].sub(j1[i]))
			x1 := s.Pos[i].axpy(dt/2, s.Vel[i].add(v1)).axpy(dt2/12, a0[i].sub(a1[i]))
			s.Pos[i], s.Vel[i] = x1, v1
		}
		a0, a1, j0, j1 = a1, a0, j1, j0 // PEC: the predicted-point forces start the next step
		if s.Time+dt >= end {
			s.Time = end
		} else {
			s.Time += dt
		}
	}
	return false
}

// Leapfrog is a kick–drift–kick leapfrog whose step is set each step by dt = μ·t_coll
// (an adaptive, "Huayno-like" second-order integrator).
type Leapfrog struct{}

// Name implements Integrator.
func (Leapfrog) Name() string { return "Leapfrog, variable step (Huayno-like)" }

// Params implements Integrator: μ from 1e-5 to 1e-1.
func (Leapfrog) Params() []float64 { return LogSpace(1e-5, 1e-1, 10) }

// Evolve implements Integrator.
func (Leapfrog) Evolve(s *System, duration, mu float64) bool {
	a := make([]Vec, s.N())
	s.acc(s.Pos, a)
	end := s.Time + duration
	for steps := 0; s.Time < end; steps++ {
		if steps >= MaxSubsteps {
			return true
		}
		dt := mu * s.CollisionTime()
		if s.Time+dt >= end {
			dt = end - s.Time
		}
		for i := range a {
			s.Vel[i] = s.Vel[i].axpy(dt/2, a[i])
			s.Pos[i] = s.Pos[i].axpy(dt, s.Vel[i])
		}
		s.acc(s.Pos, a)
		for i := range a {
			s.Vel[i] = s.Vel[i].axpy(dt/2, a[i])
		}
		if s.Time+dt >= end {
			s.Time = end
		} else {
			s.Time += dt
		}
	}
	return false
}

// Yoshida4 is the fixed-step 4th-order symplectic integrator of Yoshida (1990), the
// "Symple-like" fixed-step code. Its parameter is the step in years.
type Yoshida4 struct {
	// MinStepYears caps the smallest step for CPU time (default 1e-5 yr): the paper's range
	// goes down to 1e-7 yr, which would take 10⁶ steps per 0.1 yr.
	MinStepYears float64
}

// Name implements Integrator.
func (Yoshida4) Name() string { return "Yoshida 4th order, fixed step (Symple-like)" }

// Params implements Integrator: Δt from 1e-7 to 1e-2 yr.
func (Yoshida4) Params() []float64 { return LogSpace(1e-7, 1e-2, 10) }

// Evolve implements Integrator.
func (y Yoshida4) Evolve(s *System, duration, stepYears float64) bool {
	minStep := y.MinStepYears
	if minStep == 0 {
		minStep = 1e-5
	}
	dtTarget := max(stepYears, minStep) / YearsPerTimeUnit
	n := int(math.Ceil(duration/dtTarget - 1e-9))
	if n > MaxSubsteps {
		panic(fmt.Sprintf("threebody: %d fixed steps exceed MaxSubsteps", n))
	}
	dt := duration / float64(n)
	cbrt2 := math.Cbrt(2)
	w1 := 1 / (2 - cbrt2)
	w0 := -cbrt2 / (2 - cbrt2)
	c := [4]float64{w1 / 2, (w0 + w1) / 2, (w0 + w1) / 2, w1 / 2}
	d := [3]float64{w1, w0, w1}
	a := make([]Vec, s.N())
	for k := 0; k < n; k++ {
		for stage := 0; stage < 4; stage++ {
			for i := range s.Pos {
				s.Pos[i] = s.Pos[i].axpy(c[stage]*dt, s.Vel[i])
			}
			if stage < 3 {
				s.acc(s.Pos, a)
				for i := range s.Vel {
					s.Vel[i] = s.Vel[i].axpy(d[stage]*dt, a[i])
				}
			}
		}
	}
	s.Time += duration
	return false
}
