package backend

import (
	"strconv"
	"strings"
)

// ExecutorWarning returns a warning for Go-backend configurations whose parallel executor
// deadlocked in bench/stress.sh (GoMLX v0.28.8), or "" for the modes that never hung there
// (ops_sequential, parallelism ≥ 16) and for other backends.
//
// Measured on 2 cores, 50 runs of the transformer benchmark each: "go:ops_sequential" 0
// hangs; "go" (the default pool of 2×GOMAXPROCS) 7; "go:parallelism=2" hangs on the first
// step. See bench/README.md.
func ExecutorWarning(config string) string {
	name, opts, _ := strings.Cut(config, ":")
	if name != "go" {
		return ""
	}
	const fix = "; use the default go:ops_sequential (or go:parallelism=16: faster, 0 hangs in 50 stress runs)"
	for _, opt := range strings.Split(opts, ",") {
		switch {
		case opt == "ops_sequential":
			return ""
		case strings.HasPrefix(opt, "parallelism="):
			n, err := strconv.Atoi(strings.TrimPrefix(opt, "parallelism="))
			if err == nil && n >= 16 {
				return ""
			}
			return "warning: GoMLX's parallel executor with a small pool (" + opt + ") deadlocks" + fix
		}
	}
	return "warning: GoMLX v0.28.8's default parallel executor hung in 7 of 50 transformer runs here" + fix
}
