package nb

import (
	"os"
	"path/filepath"
	"testing"
)

func TestDiskSizeAndBytes(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a"), make([]byte, 1000), 0o644)
	os.MkdirAll(filepath.Join(dir, "sub"), 0o755)
	os.WriteFile(filepath.Join(dir, "sub", "b"), make([]byte, 2000), 0o644)
	if n := DiskSize(dir); n != 3000 {
		t.Fatalf("size %d", n)
	}
	if s := Bytes(3000); s != "2.9 KiB" {
		t.Fatal(s)
	}
	if s := Bytes(5 << 20); s != "5.0 MiB" {
		t.Fatal(s)
	}
}

func TestWorkDirSeparatesSmoke(t *testing.T) {
	t.Setenv("PEFTLAB_CACHE", t.TempDir())
	t.Setenv(ScaleEnv, "smoke")
	if filepath.Base(WorkDir("x")) != "x-smoke" {
		t.Fatal("smoke runs must not share the full run's work folder")
	}
}
