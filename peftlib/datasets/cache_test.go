package datasets

import (
	"os"
	"path/filepath"
	"testing"
)

func TestCachedBuildsOnceAndRebuildsCorruptFiles(t *testing.T) {
	t.Setenv("PEFTLAB_CACHE", t.TempDir())
	builds := 0
	build := func() ([]*Images, error) {
		builds++
		d, err := VisionTask("position", 18, 1)
		return []*Images{d}, err
	}
	a, err := Cached("vt", map[string]int{"n": 18}, build)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Cached("vt", map[string]int{"n": 18}, build)
	if err != nil || builds != 1 || b[0].Len() != 18 || b[0].X[100] != a[0].X[100] {
		t.Fatalf("second call: builds=%d err=%v", builds, err)
	}
	files, _ := filepath.Glob(filepath.Join(os.Getenv("PEFTLAB_CACHE"), "datasets", "vt-*.gob"))
	if len(files) != 1 {
		t.Fatalf("cache files %v", files)
	}
	data, _ := os.ReadFile(files[0])
	data[len(data)-5] ^= 0xff // corrupt one byte
	os.WriteFile(files[0], data, 0o644)
	if _, err := Cached("vt", map[string]int{"n": 18}, build); err != nil || builds != 2 {
		t.Fatalf("a corrupt cache must be rebuilt: builds=%d err=%v", builds, err)
	}
	os.WriteFile(files[0], data[:30], 0o644) // truncated
	if _, err := Cached("vt", map[string]int{"n": 18}, build); err != nil || builds != 3 {
		t.Fatalf("a truncated cache must be rebuilt: builds=%d", builds)
	}
	if _, err := Cached("vt", map[string]int{"n": 19}, build); builds != 4 {
		t.Fatalf("another key must build again: %v", err)
	}
}
