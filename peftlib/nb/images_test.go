package nb

import "testing"

func TestImageGrid(t *testing.T) {
	black := []float32{1, 1, 1, 1}
	white := []float32{0, 0, 0, 0}
	img := ImageGrid([][]float32{black, white, black}, 2, 2, 2, 3)
	// 2 columns of (2*3+1) pixels plus the outer border.
	if b := img.Bounds(); b.Dx() != 15 || b.Dy() != 15 {
		t.Fatalf("grid is %v", b)
	}
	if img.GrayAt(1, 1).Y != 0 || img.GrayAt(8, 1).Y != 255 || img.GrayAt(0, 0).Y != 128 {
		t.Fatal("ink must be black, background white, borders grey")
	}
}
