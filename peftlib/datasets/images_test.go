package datasets

import "testing"

func TestRotated90(t *testing.T) {
	d := &Images{X: []float32{1, 2, 3, 4, 5, 6}, Labels: []int32{0}, H: 2, W: 3, C: 1}
	r := d.Rotated90()
	// 1 2 3      4 1
	// 4 5 6  ->  5 2
	//            6 3
	want := []float32{4, 1, 5, 2, 6, 3}
	if r.H != 3 || r.W != 2 {
		t.Fatalf("rotated shape %dx%d", r.H, r.W)
	}
	for i, v := range want {
		if r.X[i] != v {
			t.Fatalf("rotated %v, want %v", r.X, want)
		}
	}
	if four := d.Rotated90().Rotated90().Rotated90().Rotated90(); four.X[4] != d.X[4] || four.H != 2 {
		t.Fatal("four quarter turns must give the original")
	}
}
