package cache

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestPathDependsOnDescription(t *testing.T) {
	t.Setenv(Env, t.TempDir())
	a, err := Path("backbones", "vit", map[string]int{"dim": 64})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Path("backbones", "vit", map[string]int{"dim": 32})
	if a == b || !strings.HasPrefix(filepath.Base(a), "vit-") {
		t.Fatalf("paths %s and %s", a, b)
	}
	if _, err := Path("../x", "vit", 1); err == nil {
		t.Fatal("an unsafe kind must be refused")
	}
}
