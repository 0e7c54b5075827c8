package backend

import (
	"runtime/debug"
	"strings"
)

// SIMDEnabled reports whether this binary was built with GOEXPERIMENT=simd, which GoMLX's
// Go backend needs for its fast matrix multiply.
func SIMDEnabled() bool {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range info.Settings {
		if s.Key == "GOEXPERIMENT" && strings.Contains(s.Value, "simd") {
			return true
		}
	}
	return false
}
