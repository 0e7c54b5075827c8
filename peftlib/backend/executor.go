package backend

import (
	"strconv"
	"strings"
)

// ExecutorWarning returns a warning for Go-backend configurations whose parallel executor
// can deadlock (GoMLX v0.28.8), or "" for the modes that cannot or never did in bench/stress.sh
// (ops_sequential; parallelism=-1, an unbounded pool; parallelism ≥ 16) and for other backends.
//
// Why they deadlock: the parallel executor runs each op as a task holding one slot of a bounded
// worker pool, and a matmul op then waits for a free slot of that same pool to fan out; when
// every slot is held by such a matmul, none can proceed. An unbounded pool (parallelism=-1)
// has no slots to starve. Measured on 2 cores, 50 runs of the transformer benchmark each:
// "go:ops_sequential" 0 hangs, "go:parallelism=-1" 0, "go:parallelism=16" 0; "go" (the
// default pool of 2×GOMAXPROCS) 5 (7 on an AMD machine); "go:parallelism=2" hangs on the first step. See
// bench/README.md.
func ExecutorWarning(config string) string {
	name, opts, _ := strings.Cut(config, ":")
	if name != "go" {
		return ""
	}
	const fix = "; use the default go:ops_sequential, or go:parallelism=-1 (an unbounded pool, which cannot starve: about 1.4× faster)"
	for _, opt := range strings.Split(opts, ",") {
		switch {
		case opt == "ops_sequential":
			return ""
		case strings.HasPrefix(opt, "parallelism="):
			n, err := strconv.Atoi(strings.TrimPrefix(opt, "parallelism="))
			if err == nil && (n < 0 || n >= 16) {
				return ""
			}
			return "warning: GoMLX's parallel executor with a small pool (" + opt + ") deadlocks" + fix
		}
	}
	return "warning: GoMLX v0.28.8's default parallel executor hung in 7 of 50 transformer runs here" + fix
}
