package dqn

import (
	"fmt"
	"math"
	"time"

	"github.com/peftlab/peftlab/peftlib/nb"
)

// Environment is what Train needs from an environment: episodes started by number (the
// environment decides the initial condition or seed from it) and steps.
type Environment interface {
	Reset(episode int) []float64
	Step(action int) (obs []float64, reward float64, done bool)
}

// TrainOptions configure Train.
type TrainOptions struct {
	Episodes int
	// UpdatesPerStep is the number of gradient steps per environment step (default 1).
	UpdatesPerStep int
	// TestEvery runs Test every so many episodes (and after the last); Test returns a score
	// to maximise, e.g. the mean greedy reward on fixed test episodes.
	TestEvery int
	Test      func(a *Agent) (score float64, metrics map[string]float64, err error)
	// BestDir, if set, receives a checkpoint of the agent whenever its test score improves.
	BestDir string
	Title   string // progress bar title ("" hides it)
}

// History is what Train measured.
type History struct {
	EpisodeReward []float64 // total training reward of each episode
	EpisodeSteps  []int
	Loss          []float64 // mean loss of each episode's updates (0 if it had none)
	Updates       []int     // gradient steps in each episode (0 until the memory holds a batch)
	TestEpisodes  []int
	TestScores    []float64
	TestMetrics   []map[string]float64
	BestScore     float64 // best test score (valid if BestEpisode > 0)
	BestEpisode   int     // episode of the best test score, 0 before any test
	Duration      time.Duration
}

// Train runs ε-greedy episodes, storing transitions and updating after every step.
func Train(a *Agent, env Environment, opts TrainOptions) (*History, error) {
	if opts.UpdatesPerStep == 0 {
		opts.UpdatesPerStep = 1
	}
	h := &History{}
	var bar *nb.Progress
	if opts.Title != "" {
		bar = nb.NewProgress(opts.Title, opts.Episodes)
		defer bar.Done()
	}
	start := time.Now()
	for ep := 0; ep < opts.Episodes; ep++ {
		a.StartEpisode()
		obs := env.Reset(ep)
		var total, lossSum float64
		var steps, updates int
		for done := false; !done; {
			action, err := a.Act(obs)
			if err != nil {
				return h, err
			}
			next, r, d := env.Step(action)
			done = d
			a.Remember(obs, action, r, next, done)
			obs = next
			total += r
			steps++
			for u := 0; u < opts.UpdatesPerStep; u++ {
				l, ok, err := a.Update()
				if err != nil {
					return h, err
				}
				if ok {
					if math.IsNaN(l) || math.IsInf(l, 0) {
						return h, fmt.Errorf("dqn: the loss became %v at episode %d: lower the learning rate or scale the rewards", l, ep)
					}
					lossSum += l
					updates++
				}
			}
		}
		h.EpisodeReward = append(h.EpisodeReward, total)
		h.EpisodeSteps = append(h.EpisodeSteps, steps)
		h.Loss = append(h.Loss, lossSum/float64(max(updates, 1)))
		h.Updates = append(h.Updates, updates)
		status := fmt.Sprintf("reward=%.3g ε=%.2f", total, a.Epsilon(a.steps))
		if opts.Test != nil && opts.TestEvery > 0 && ((ep+1)%opts.TestEvery == 0 || ep+1 == opts.Episodes) {
			score, m, err := opts.Test(a)
			if err != nil {
				return h, err
			}
			h.TestEpisodes = append(h.TestEpisodes, ep+1)
			h.TestScores = append(h.TestScores, score)
			h.TestMetrics = append(h.TestMetrics, m)
			if h.BestEpisode == 0 || score > h.BestScore {
				h.BestScore, h.BestEpisode = score, ep+1
				if opts.BestDir != "" {
					if err := a.Save(opts.BestDir); err != nil {
						return h, err
					}
				}
			}
			status += fmt.Sprintf(" test=%.3g best=%.3g@%d", score, h.BestScore, h.BestEpisode)
		}
		if bar != nil {
			bar.Add(1, status)
		}
	}
	h.Duration = time.Since(start)
	return h, nil
}
