package threebody

import (
	"math"
	"time"
)

// Policy chooses an action from an observation.
type Policy func(obs []float64) (int, error)

// Fixed is the policy that always picks the same action (a fixed parameter for the whole run).
func Fixed(action int) Policy { return func([]float64) (int, error) { return action, nil } }

// Trajectory is the record of one episode.
type Trajectory struct {
	IC          int
	Steps       int
	Years       []float64 // time after each step
	Actions     []int     // action of each step
	Params      []float64 // parameter of each step
	EnergyError []float64 // cumulative |ΔE|/|E0| after each step
	Rewards     []float64
	ForceEvals  int           // total force evaluations
	WallTime    time.Duration // total integration wall time
	Positions   [][3]Vec      // positions after each step (x, y, z of the three bodies)
	Stopped     bool          // ended early (energy error above the limit or truncated)
}

// FinalEnergyError is |ΔE| at the end of the episode.
func (t *Trajectory) FinalEnergyError() float64 {
	if len(t.EnergyError) == 0 {
		return 0
	}
	return t.EnergyError[len(t.EnergyError)-1]
}

// TotalReward sums the rewards.
func (t *Trajectory) TotalReward() float64 {
	var s float64
	for _, r := range t.Rewards {
		s += r
	}
	return s
}

// Rollout runs one episode from initial condition ic with policy.
func (e *Env) Rollout(ic int, policy Policy) (*Trajectory, error) {
	obs := e.Reset(ic)
	tr := &Trajectory{IC: ic}
	for done := false; !done; {
		a, err := policy(obs)
		if err != nil {
			return tr, err
		}
		var r float64
		var info Info
		obs, r, done, info = e.Step(a)
		tr.Steps++
		tr.Years = append(tr.Years, info.Years)
		tr.Actions = append(tr.Actions, a)
		tr.Params = append(tr.Params, info.Param)
		tr.EnergyError = append(tr.EnergyError, math.Abs(info.EnergyError))
		tr.Rewards = append(tr.Rewards, r)
		tr.ForceEvals += info.ForceEvals
		tr.WallTime += info.WallTime
		tr.Positions = append(tr.Positions, [3]Vec{e.sys.Pos[0], e.sys.Pos[1], e.sys.Pos[2]})
		if done && tr.Steps < e.cfg.MaxSteps {
			tr.Stopped = true
		}
	}
	return tr, nil
}

// Episodic adapts an Env to dqn.Environment-style training: episode k starts from initial
// condition IC(k) (default: k hashed into [0, 1000), as the paper's random training ICs).
type Episodic struct {
	*Env
	IC       func(episode int) int
	LastInfo Info
}

// Reset implements dqn.Environment.
func (e *Episodic) Reset(episode int) []float64 {
	ic := int((uint64(episode)*2654435761 + 12345) % 1000)
	if e.IC != nil {
		ic = e.IC(episode)
	}
	return e.Env.Reset(ic)
}

// Step implements dqn.Environment.
func (e *Episodic) Step(action int) ([]float64, float64, bool) {
	obs, r, done, info := e.Env.Step(action)
	e.LastInfo = info
	return obs, r, done
}
