package backend

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/gobackend"
)

// GoConfig is the executor configuration of the pure-Go backend used when $GOMLX_BACKEND is unset:
// parallel ops on an unbounded worker pool. It cannot deadlock (see SafeExecutor), it was the
// fastest mode on 2 cores in every benchmark (the transformer step 880 → 610 ms against
// "ops_sequential"), and training gives bit-identical losses in both modes (each op computes the
// same way whatever the schedule). Tests use ForTests, which runs "go:ops_sequential".
const GoConfig = "go:parallelism=-1"

// xlaAvailable is set by xla.go when peftlab is built with -tags xla; it reports whether a
// PJRT plugin is installed locally (no download is ever attempted).
var xlaAvailable func() (plugin string, ok bool)

// Choice says which backend configuration New picked and why.
type Choice struct {
	Config string // configuration string given to compute.NewWithConfig, e.g. "go:ops_sequential".
	Reason string // one line a user can read.
}

// Choose returns the configuration New would use, without creating a backend.
func Choose() Choice {
	if cfg, ok := os.LookupEnv(compute.ConfigEnvVar); ok && cfg != "" {
		reason := "$" + compute.ConfigEnvVar + " is set"
		if e, err := SafeExecutor(cfg); err == nil && e.Config != cfg {
			reason += " to " + strconv.Quote(cfg) + "; " + e.Note
			cfg = e.Config
		}
		return Choice{Config: cfg, Reason: reason}
	}
	if xlaAvailable != nil {
		if plugin, ok := xlaAvailable(); ok {
			return Choice{Config: "xla:" + plugin, Reason: "built with -tags xla and the PJRT plugin " + plugin + " is installed"}
		}
	}
	reason := "pure-Go backend (no XLA: build with -tags xla after `make setup-xla` to use it)"
	if xlaAvailable != nil {
		reason = "pure-Go backend (built with XLA support, but no PJRT plugin is installed: run `make setup-xla`)"
	}
	return Choice{Config: GoConfig, Reason: reason}
}

var (
	mu      sync.Mutex
	current compute.Backend
)

// New returns the shared backend chosen by Choose. It is created once per process and reused,
// since creating a backend is costly and GoMLX executors hold on to it.
func New() (compute.Backend, error) {
	mu.Lock()
	defer mu.Unlock()
	if current != nil {
		return current, nil
	}
	c := Choose()
	name, _, _ := strings.Cut(c.Config, ":")
	if name == "xla" && xlaAvailable == nil {
		return nil, fmt.Errorf("backend: %s=%q asks for XLA, but this binary was built without it: "+
			"run `make setup-xla` and build with `-tags xla`, or unset %s to use the pure-Go backend",
			compute.ConfigEnvVar, c.Config, compute.ConfigEnvVar)
	}
	if _, err := SafeExecutor(c.Config); err != nil {
		return nil, err
	}
	b, err := newWithConfig(c.Config)
	if err != nil {
		return nil, fmt.Errorf("backend: creating %q (%s): %w", c.Config, c.Reason, err)
	}
	current = b
	if w := PreemptionWarning(); w != "" {
		fmt.Fprintln(os.Stderr, "peftlab/backend: "+w)
	}
	return b, nil
}

// newWithConfig turns the panics of compute.NewWithConfig (unknown backend names) into errors,
// and keeps the Go backend's banner out of notebooks.
func newWithConfig(config string) (b compute.Backend, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	withoutGoBanner(func() { b, err = compute.NewWithConfig(config) })
	return b, err
}

// MustNew is New for notebooks and examples: it panics with New's error.
func MustNew() compute.Backend {
	b, err := New()
	if err != nil {
		panic(err)
	}
	return b
}

var testBackend = sync.OnceValue(func() compute.Backend {
	b, err := gobackend.New("ops_sequential")
	if err != nil {
		panic(fmt.Sprintf("backend: creating the Go test backend: %v", err))
	}
	return b
})

// ForTests returns a shared, deterministic pure-Go backend ("go:ops_sequential"), whatever
// $GOMLX_BACKEND says. Use it in tests instead of GoMLX's graphtest helpers, which try XLA.
func ForTests() compute.Backend { return testBackend() }

// Describe returns one line naming the backend, its device and the build settings that
// matter for speed, for the first output of every notebook.
func Describe(b compute.Backend) string {
	simd := "off (set GOEXPERIMENT=simd: matmul is about 10× faster)"
	if SIMDEnabled() {
		simd = "on"
	}
	dev := ""
	if b.NumDevices() > 0 {
		dev = b.DeviceDescription(0)
	}
	line := fmt.Sprintf("backend %s (%s) · device %s · %d CPUs · GOEXPERIMENT=simd %s · %s",
		b.Name(), Choose().Config, dev, runtime.NumCPU(), simd, Choose().Reason)
	if w := PreemptionWarning(); w != "" {
		line += " · " + w
	}
	return line
}
