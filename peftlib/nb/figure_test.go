package nb

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/plot"
)

func TestSaveWritesPNGAndSVG(t *testing.T) {
	root := t.TempDir()
	t.Setenv("PEFTLAB_ROOT", root)
	p := NewPlot("loss", "step", "loss")
	Line(p, 0, "train", []float64{0, 1, 2}, []float64{3, 2, 1})
	Scatter(p, 1, "eval", []float64{0, 2}, []float64{2.5, 1.5})
	path, err := Save("test", "curve", p)
	if err != nil {
		t.Fatal(err)
	}
	png, err := os.ReadFile(path)
	if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Fatalf("%s is not a PNG (err=%v)", path, err)
	}
	svg, err := os.ReadFile(filepath.Join(root, "figures", "test", "curve.svg"))
	if err != nil || !bytes.Contains(svg, []byte("<svg")) {
		t.Fatalf("SVG missing or malformed (err=%v)", err)
	}
}

func TestWriteFileAtomicLeavesNoTemp(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.txt")
	if err := WriteFileAtomic(path, []byte("x")); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("want only f.txt, got %v", entries)
	}
}

func TestBarsAndLabels(t *testing.T) {
	t.Setenv("PEFTLAB_ROOT", t.TempDir())
	p := NewPlot("bars", "", "acc")
	Bars(p, []string{"a", "b"}, []float64{1, 2})
	q := NewPlot("points", "x", "y")
	LabelledPoints(q, []float64{1, 2}, []float64{3, 4}, []string{"one", "two"})
	if _, err := SaveGrid("test", "grid", [][]*plot.Plot{{p, q}}); err != nil {
		t.Fatal(err)
	}
}
