package backend

import (
	"strings"
	"testing"
)

func TestChooseDefaultsToSequentialGo(t *testing.T) {
	t.Setenv("GOMLX_BACKEND", "")
	if c := Choose(); c.Config != GoConfig && !strings.HasPrefix(c.Config, "xla:") {
		t.Fatalf("default choice = %+v, want %q", c, GoConfig)
	}
	t.Setenv("GOMLX_BACKEND", "go:parallelism=16")
	if c := Choose(); c.Config != "go:parallelism=16" || !strings.Contains(c.Reason, "GOMLX_BACKEND") {
		t.Fatalf("GOMLX_BACKEND must win: %+v", c)
	}
}

func TestXLAWithoutBuildTagFailsClearly(t *testing.T) {
	if xlaAvailable != nil {
		t.Skip("built with -tags xla")
	}
	t.Setenv("GOMLX_BACKEND", "xla:cpu")
	mu.Lock()
	saved := current
	current = nil
	mu.Unlock()
	defer func() { mu.Lock(); current = saved; mu.Unlock() }()
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

func TestExecutorWarning(t *testing.T) {
	for cfg, warn := range map[string]bool{
		"go:ops_sequential": false, "go:parallelism=16": false, "go:parallelism=32": false, "xla:cpu": false,
		"go:parallelism=-1": false,
		"go":                true, "go:parallelism=2": true, "go:parallelism=8": true, "go:ops_parallel": true,
	} {
		if got := ExecutorWarning(cfg) != ""; got != warn {
			t.Errorf("%q: warning %v, want %v", cfg, got, warn)
		}
	}
	t.Setenv("GOMLX_BACKEND", "go")
	if c := Choose(); !strings.Contains(c.Reason, "ops_sequential") {
		t.Fatalf("choosing the default parallel executor must say how to avoid its deadlock: %q", c.Reason)
	}
}
