package nb

import (
	"fmt"
	"os"
	"strings"
)

// ScaleEnv is the environment variable that selects how big a notebook run is.
const ScaleEnv = "PEFTLAB_SCALE"

// Scale is the size of a notebook run.
type Scale string

const (
	// Full is the reduced reproduction committed with the notebooks (minutes on 2 cores). Default.
	Full Scale = "full"
	// Smoke runs every cell in seconds with tiny sizes; tests use it. Its numbers mean nothing.
	Smoke Scale = "smoke"
)

// CurrentScale reads PEFTLAB_SCALE; unset or empty means Full.
// Any other value than "full" or "smoke" panics with a message naming both.
func CurrentScale() Scale {
	v := strings.ToLower(strings.TrimSpace(os.Getenv(ScaleEnv)))
	switch Scale(v) {
	case "", Full:
		return Full
	case Smoke:
		return Smoke
	}
	panic(fmt.Sprintf("nb: %s=%q is not a scale: use %q (default, the reduced reproduction) or %q (seconds, for tests)",
		ScaleEnv, v, Full, Smoke))
}

// IsSmoke reports whether this is a smoke run.
func IsSmoke() bool { return CurrentScale() == Smoke }

// Pick returns smoke in a smoke run and full otherwise; use it for every size knob:
//
//	steps := nb.Pick(20, 3000)
func Pick[T any](smoke, full T) T {
	if IsSmoke() {
		return smoke
	}
	return full
}
