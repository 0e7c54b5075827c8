package threebody

import (
	"fmt"
	"time"
)

// RunResult summarises one episode for comparisons.
type RunResult struct {
	IC               int
	Label            string // e.g. "μ=1e-4" or "RL"
	FinalEnergyError float64
	ForceEvals       int
	WallSeconds      float64
	Steps            int
	Stopped          bool
	TotalReward      float64
}

// Summarise turns a trajectory into a RunResult.
func Summarise(label string, t *Trajectory) RunResult {
	return RunResult{IC: t.IC, Label: label, FinalEnergyError: t.FinalEnergyError(), ForceEvals: t.ForceEvals,
		WallSeconds: t.WallTime.Seconds(), Steps: t.Steps, Stopped: t.Stopped, TotalReward: t.TotalReward()}
}

// Progress is told how much of a sweep is done (e.g. an nb.Progress's Add).
type Progress func(done int, status string)

// SweepFixed runs every fixed parameter (all actions) on every initial condition.
func SweepFixed(cfg Config, ics []int, progress Progress) ([]RunResult, error) {
	env := New(cfg)
	var out []RunResult
	start := time.Now()
	for a, p := range env.Params() {
		label := fmt.Sprintf("μ=%.2g", p)
		for _, ic := range ics {
			tr, err := env.Rollout(ic, Fixed(a))
			if err != nil {
				return nil, err
			}
			out = append(out, Summarise(label, tr))
			if progress != nil {
				progress(1, fmt.Sprintf("%s (%s)", label, time.Since(start).Round(time.Second)))
			}
		}
	}
	return out, nil
}

// RunPolicy runs policy on every initial condition.
func RunPolicy(cfg Config, label string, policy Policy, ics []int, progress Progress) ([]RunResult, error) {
	env := New(cfg)
	var out []RunResult
	for _, ic := range ics {
		tr, err := env.Rollout(ic, policy)
		if err != nil {
			return nil, err
		}
		out = append(out, Summarise(label, tr))
		if progress != nil {
			progress(1, label)
		}
	}
	return out, nil
}
