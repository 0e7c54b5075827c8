package backend

import (
	"fmt"
	"strconv"
	"strings"
)

// Executor is the Go-backend configuration peftlab runs for a requested one.
type Executor struct {
	Config string // what is given to compute.NewWithConfig.
	Note   string // why Config differs from the request; "" when it does not.
}

// SafeExecutor returns a configuration of GoMLX's pure-Go backend that cannot deadlock, close to
// the one requested. Other backends are returned unchanged.
//
// Why: in GoMLX v0.28.8 (github.com/gomlx/compute v0.1.6) the parallel executor runs each op as
// a task holding one slot of a bounded worker pool, and a matmul op then waits for a free slot of
// that same pool to fan its tiles out; when every slot is held by such a matmul, none can
// proceed. Measured on 2 cores, 50 transformer runs each: the default pool of 2×GOMAXPROCS slots
// hung in 5 (7 on an AMD machine), "parallelism=2" hangs on the first step. Two configurations
// cannot starve, and the rules below keep to them:
//
//   - "ops_sequential": one op at a time, so only one matmul waits, on slots only its own tiles
//     hold. Kept as asked, with any parallelism.
//   - "parallelism=-1": an unbounded pool, which has no slots to starve. Kept as asked.
//   - no parallelism given (e.g. plain "go"): parallelism=-1 is added. The parallel executor
//     stays parallel, only its pool is unbounded (also the faster of the two on 2 cores).
//   - a bounded pool (parallelism=N, N ≥ 0): ops_sequential is added, so N bounds the workers
//     of each op, as asked, and ops no longer hold slots.
//   - a bounded pool with "ops_parallel": an error naming both fixes, since the request itself
//     asks for the combination that deadlocks.
//
// See bench/README.md for the stress runs of each mode.
func SafeExecutor(config string) (Executor, error) {
	name, opts, _ := strings.Cut(config, ":")
	if name != "go" {
		return Executor{Config: config}, nil
	}
	var kept []string
	sequential, parallelOps, hasParallelism, workers := false, false, false, 0
	for _, opt := range strings.Split(opts, ",") {
		switch {
		case opt == "":
			continue
		case opt == "ops_sequential":
			sequential = true
		case opt == "ops_parallel":
			parallelOps = true
		case strings.HasPrefix(opt, "parallelism="):
			n, err := strconv.Atoi(strings.TrimPrefix(opt, "parallelism="))
			if err != nil {
				// GoMLX names the bad value better than we would.
				return Executor{Config: config}, nil
			}
			hasParallelism, workers = true, n
		}
		kept = append(kept, opt)
	}
	join := func(extra string) string { return "go:" + strings.Join(append(kept, extra), ",") }
	switch {
	case sequential:
		return Executor{Config: config}, nil
	case !hasParallelism:
		return Executor{Config: join("parallelism=-1"),
			Note: "GoMLX's default bounded pool can deadlock its parallel executor (5 of 50 runs here), so peftlab " +
				"gives it an unbounded pool (parallelism=-1), which cannot starve"}, nil
	case workers < 0:
		return Executor{Config: config}, nil
	case parallelOps:
		return Executor{}, fmt.Errorf("backend: %q deadlocks in GoMLX v0.28.8: parallel ops on a bounded pool "+
			"(parallelism=%d) starve each other; use go:parallelism=-1 (parallel ops, unbounded pool) or "+
			"go:ops_sequential,parallelism=%d (one op at a time, %d workers each)", config, workers, workers, workers)
	default:
		return Executor{Config: join("ops_sequential"),
			Note: fmt.Sprintf("a bounded pool deadlocks GoMLX's parallel executor, so peftlab runs one op at a time "+
				"(ops_sequential), each with up to %d workers; go:parallelism=-1 runs ops in parallel safely", workers)}, nil
	}
}
