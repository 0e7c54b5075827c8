package backend

import (
	"strings"
	"testing"

	"github.com/gomlx/compute"
)

func TestChooseDefaultsToSequentialGo(t *testing.T) {
	t.Setenv("GOMLX_BACKEND", "")
	if c := Choose(); c.Config != GoConfig && !strings.HasPrefix(c.Config, "xla:") {
		t.Fatalf("default choice = %+v, want %q", c, GoConfig)
	}
	t.Setenv("GOMLX_BACKEND", "go:parallelism=-1")
	if c := Choose(); c.Config != "go:parallelism=-1" || !strings.Contains(c.Reason, "GOMLX_BACKEND") {
		t.Fatalf("GOMLX_BACKEND must win: %+v", c)
	}
}

// forgetBackend makes the next New create a backend anew, and restores the shared one after t.
func forgetBackend(t *testing.T) {
	mu.Lock()
	saved := current
	current = nil
	mu.Unlock()
	t.Cleanup(func() { mu.Lock(); current = saved; mu.Unlock() })
}

func TestXLAWithoutBuildTagFailsClearly(t *testing.T) {
	if xlaAvailable != nil {
		t.Skip("built with -tags xla")
	}
	t.Setenv("GOMLX_BACKEND", "xla:cpu")
	forgetBackend(t)
	_, err := New()
	if err == nil || !strings.Contains(err.Error(), "make setup-xla") {
		t.Fatalf("want an error naming `make setup-xla`, got %v", err)
	}
}

func TestForTestsAndDescribe(t *testing.T) {
	b := ForTests()
	if b.Name() == "" {
		t.Fatal("test backend has no name")
	}
	d := Describe(b)
	if !strings.Contains(d, "GOEXPERIMENT=simd") {
		t.Fatalf("Describe must report the SIMD setting: %q", d)
	}
	if !SIMDEnabled() {
		t.Log("warning: tests were built without GOEXPERIMENT=simd")
	}
}

func TestSafeExecutor(t *testing.T) {
	for _, c := range []struct {
		in, want string
		note     bool
	}{
		{"go:ops_sequential", "go:ops_sequential", false},
		{"go:ops_sequential,parallelism=2", "go:ops_sequential,parallelism=2", false},
		{"go:parallelism=-1", "go:parallelism=-1", false},
		{"xla:cpu", "xla:cpu", false},
		{"go", "go:parallelism=-1", true},
		{"go:", "go:parallelism=-1", true},
		{"go:dependency_order", "go:dependency_order,parallelism=-1", true},
		{"go:ops_parallel", "go:ops_parallel,parallelism=-1", true},
		{"go:parallelism=2", "go:parallelism=2,ops_sequential", true},
		{"go:parallelism=16", "go:parallelism=16,ops_sequential", true},
		{"go:parallelism=0", "go:parallelism=0,ops_sequential", true},
		{"go:parallelism=x", "go:parallelism=x", false}, // left for GoMLX to reject
	} {
		e, err := SafeExecutor(c.in)
		if err != nil || e.Config != c.want || (e.Note != "") != c.note {
			t.Errorf("SafeExecutor(%q) = %+v, %v; want %q (note: %v)", c.in, e, err, c.want, c.note)
			continue
		}
		if !strings.HasPrefix(e.Config, "go") || c.in == "go:parallelism=x" {
			continue
		}
		// GoMLX must accept every configuration we hand it.
		b, err := compute.NewWithConfig(e.Config)
		if err != nil {
			t.Errorf("GoMLX rejects %q: %v", e.Config, err)
			continue
		}
		b.Finalize()
	}
	_, err := SafeExecutor("go:ops_parallel,parallelism=4")
	if err == nil || !strings.Contains(err.Error(), "go:parallelism=-1") || !strings.Contains(err.Error(), "go:ops_sequential,parallelism=4") {
		t.Fatalf("parallel ops on a bounded pool must fail naming both fixes, got %v", err)
	}
}

func TestChooseMakesTheExecutorSafe(t *testing.T) {
	t.Setenv("GOMLX_BACKEND", "go")
	if c := Choose(); c.Config != "go:parallelism=-1" || !strings.Contains(c.Reason, "deadlock") {
		t.Fatalf("plain go must get an unbounded pool and say why: %+v", c)
	}
	t.Setenv("GOMLX_BACKEND", "go:ops_parallel,parallelism=2")
	forgetBackend(t)
	if _, err := New(); err == nil || !strings.Contains(err.Error(), "deadlocks") {
		t.Fatalf("New must refuse parallel ops on a bounded pool, got %v", err)
	}
}
