package backend

import (
	"fmt"
	"io"
	"os"
	"testing"
)

// captureStdout returns what f writes to os.Stdout.
func captureStdout(t *testing.T, f func()) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	saved := os.Stdout
	os.Stdout = w
	defer func() { os.Stdout = saved }()
	f()
	w.Close()
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func TestWithoutGoBannerKeepsEverythingElse(t *testing.T) {
	got := captureStdout(t, func() {
		withoutGoBanner(func() {
			fmt.Println("before")
			fmt.Println("Go backend: parallelism set to -1")
			fmt.Print("after, without a newline")
		})
	})
	if want := "before\nafter, without a newline"; got != want {
		t.Fatalf("printed %q, want %q", got, want)
	}
	got = captureStdout(t, func() {
		defer func() { recover() }()
		withoutGoBanner(func() {
			fmt.Println("printed before a panic")
			panic("boom")
		})
	})
	if got != "printed before a panic\n" {
		t.Fatalf("a panic lost the output: %q", got)
	}
}

func TestNewPrintsNoGoBanner(t *testing.T) {
	t.Setenv("GOMLX_BACKEND", "go:parallelism=3")
	forgetBackend(t)
	var err error
	out := captureStdout(t, func() { _, err = New() })
	if err != nil {
		t.Fatal(err)
	}
	if out != "" {
		t.Fatalf("New printed %q", out)
	}
}
