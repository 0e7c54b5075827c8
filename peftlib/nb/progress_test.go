package nb

import (
	"strings"
	"testing"
)

func TestProgressLogMode(t *testing.T) {
	var b strings.Builder
	p := &Progress{title: "train", total: 20, w: &b, lastTick: -1}
	for i := 0; i < 20; i++ {
		p.Add(1, "loss=1")
	}
	p.Done()
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	// One line per 10% (11 ticks: 0%..100%) plus the final one.
	if len(lines) < 10 || len(lines) > 12 {
		t.Fatalf("log mode printed %d lines, want one per 10%%:\n%s", len(lines), b.String())
	}
	if !strings.Contains(lines[len(lines)-1], "100% 20/20") || !strings.Contains(lines[len(lines)-1], "loss=1") {
		t.Fatalf("last line %q lacks the final count and status", lines[len(lines)-1])
	}
}
