package nb

import (
	"fmt"
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

func TestSaveLoadJSON(t *testing.T) {
	t.Setenv("PEFTLAB_CACHE", t.TempDir())
	in := map[string]float64{"acc": 0.5}
	if err := SaveJSON("x", "results", in); err != nil {
		t.Fatal(err)
	}
	var out map[string]float64
	if err := LoadJSON("x", "results", &out); err != nil || out["acc"] != 0.5 {
		t.Fatalf("%v %v", out, err)
	}
	if err := LoadJSON("x", "missing", &out); err == nil {
		t.Fatal("loading a missing result must be an error")
	}
}

func ExampleFileName() {
	fmt.Println(FileName("sound events"), FileName("loss (LoRA r=8)"), FileName("ok_name-1.5"))
	// Output: sound_events loss__LoRA_r_8_ ok_name-1.5
}
