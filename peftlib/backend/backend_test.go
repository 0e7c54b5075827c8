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
