package fit

import (
	"errors"
	"fmt"
	"math"
	"os"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/peftlab/peftlab/peftlib/nb"
)

// Options of Run; the zero value trains quietly with the defaults below.
type Options struct {
	Title string // progress bar title; "" hides the bar.

	// EvalEvery, if > 0 and Eval is set, calls Eval every EvalEvery steps and at the end.
	EvalEvery int
	Eval      func() (map[string]float64, error)

	// StepTimeout is how long one step may take before the watchdog dumps all goroutine
	// stacks and aborts the process with a message (default 10 minutes; negative disables).
	StepTimeout time.Duration
}

// History is what a run measured.
type History struct {
	Steps     []int     // global step of each recorded loss
	Loss      []float64 // batch loss at each step
	EvalSteps []int
	Evals     []map[string]float64
	Duration  time.Duration // wall time of the steps, evaluation excluded
}

// StepsPerSecond is the training throughput of the run.
func (h *History) StepsPerSecond() float64 {
	if h.Duration <= 0 {
		return 0
	}
	return float64(len(h.Loss)) / h.Duration.Seconds()
}

// Last returns the last recorded evaluation (nil if none).
func (h *History) Last() map[string]float64 {
	if len(h.Evals) == 0 {
		return nil
	}
	return h.Evals[len(h.Evals)-1]
}

// SmoothedLoss returns an exponential moving average of the loss (factor in (0,1]).
func (h *History) SmoothedLoss(factor float64) []float64 {
	out := make([]float64, len(h.Loss))
	var avg float64
	for i, l := range h.Loss {
		if i == 0 {
			avg = l
		} else {
			avg = (1-factor)*avg + factor*l
		}
		out[i] = avg
	}
	return out
}

// NaNError reports a loss that stopped being a finite number.
type NaNError struct {
	Step int
	Loss float64
}

func (e *NaNError) Error() string {
	return fmt.Sprintf("fit: the loss became %v at step %d: lower the learning rate, check the inputs for NaN, "+
		"or clip gradients", e.Loss, e.Step)
}

// Run trains for steps steps over ds (which must yield at least that many batches; make it
// infinite) and returns the history. It stops with a *NaNError if the loss is not finite.
func Run(trainer *train.Trainer, ds train.Dataset, steps int, opts Options) (*History, error) {
	h := &History{}
	loop := train.NewLoop(trainer)
	var bar *nb.Progress
	if opts.Title != "" {
		bar = nb.NewProgress(opts.Title, steps)
		defer bar.Done()
	}
	var lastStepStart atomic.Int64
	lastStepStart.Store(time.Now().UnixNano())
	stopWatchdog := startWatchdog(&lastStepStart, opts.StepTimeout)
	defer stopWatchdog()

	var evalTime time.Duration
	start := time.Now()
	evaluate := func(step int) error {
		t0 := time.Now()
		m, err := opts.Eval()
		if err != nil {
			return fmt.Errorf("fit: evaluation at step %d: %w", step, err)
		}
		h.EvalSteps = append(h.EvalSteps, step)
		h.Evals = append(h.Evals, m)
		evalTime += time.Since(t0)
		return nil
	}
	loop.OnStep("peftlab-fit", 0, func(loop *train.Loop, metrics []*tensors.Tensor) error {
		lastStepStart.Store(time.Now().UnixNano())
		loss := scalar(metrics[0])
		step := loop.LoopStep + 1
		if math.IsNaN(loss) || math.IsInf(loss, 0) {
			return &NaNError{Step: step, Loss: loss}
		}
		h.Steps = append(h.Steps, step)
		h.Loss = append(h.Loss, loss)
		if opts.Eval != nil && opts.EvalEvery > 0 && (step%opts.EvalEvery == 0 || loop.LoopStep+1 == loop.EndStep) {
			if err := evaluate(step); err != nil {
				return err
			}
		}
		if bar != nil {
			status := fmt.Sprintf("loss=%.4g", loss)
			if last := h.Last(); last != nil {
				for k, v := range last {
					status += fmt.Sprintf(" %s=%.4g", k, v)
				}
			}
			bar.Add(1, status)
		}
		return nil
	})
	_, err := loop.RunSteps(ds, steps)
	h.Duration = time.Since(start) - evalTime
	if err != nil {
		var nanErr *NaNError
		if errors.As(err, &nanErr) {
			return h, nanErr
		}
		return h, fmt.Errorf("fit: %w", err)
	}
	return h, nil
}

func scalar(t *tensors.Tensor) float64 {
	switch v := t.Value().(type) {
	case float32:
		return float64(v)
	case float64:
		return v
	}
	panic(fmt.Sprintf("fit: loss of dtype %s is not a float scalar", t.DType()))
}

// startWatchdog aborts the process, with every goroutine's stack, if no step finished for
// timeout. A deadlocked executor otherwise sleeps forever at 0% CPU.
func startWatchdog(last *atomic.Int64, timeout time.Duration) (stop func()) {
	if timeout < 0 {
		return func() {}
	}
	if timeout == 0 {
		timeout = 10 * time.Minute
	}
	done := make(chan struct{})
	go func() {
		tick := time.NewTicker(min(timeout/4, 10*time.Second))
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				if time.Since(time.Unix(0, last.Load())) > timeout {
					buf := make([]byte, 1<<20)
					n := runtime.Stack(buf, true)
					fmt.Fprintf(os.Stderr, "fit: no training step finished for %s; goroutines:\n%s\n", timeout, buf[:n])
					fmt.Fprintf(os.Stderr, "fit: aborting. If the stacks wait in workerspool Saturate, GoMLX's parallel "+
						"executor deadlocked (peftlib/backend.SafeExecutor should prevent that: please report the "+
						"stacks); GOMLX_BACKEND=go:ops_sequential runs one op at a time.\n")
					os.Exit(3)
				}
			}
		}
	}()
	return func() { close(done) }
}
