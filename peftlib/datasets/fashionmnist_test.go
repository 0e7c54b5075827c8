package datasets

import (
	"errors"
	"testing"
)

func TestFashionMNISTCounts(t *testing.T) {
	for split, n := range map[string]int{"train": 60000, "test": 10000} {
		d, err := FashionMNIST(split)
		if err != nil {
			t.Fatal(err)
		}
		if d.Len() != n || d.H != 28 || d.W != 28 || d.C != 1 || len(d.X) != n*784 {
			t.Fatalf("%s: %d images %dx%dx%d", split, d.Len(), d.H, d.W, d.C)
		}
		for c, k := range d.ClassCounts() {
			if k != n/10 {
				t.Fatalf("%s: class %d has %d images, want %d", split, c, k, n/10)
			}
		}
		for _, p := range d.X[:784*10] {
			if p < 0 || p > 1 {
				t.Fatalf("pixel %g outside [0,1]", p)
			}
		}
	}
}

func TestFashionMNISTMissingPackage(t *testing.T) {
	saved := FashionMNISTDir
	FashionMNISTDir = t.TempDir()
	defer func() { FashionMNISTDir = saved }()
	_, err := FashionMNIST("train")
	var missing *MissingPackageError
	if !errors.As(err, &missing) || missing.Package != "dataset-fashion-mnist" {
		t.Fatalf("want a MissingPackageError naming dataset-fashion-mnist, got %v", err)
	}
	if _, err := FashionMNIST("validation"); err == nil {
		t.Fatal("an unknown split must be an error")
	}
}

func TestSplitIsStratifiedAndDeterministic(t *testing.T) {
	d, err := FashionMNIST("test")
	if err != nil {
		t.Fatal(err)
	}
	a, b := d.Split(0.1, 7)
	a2, _ := d.Split(0.1, 7)
	if a.Len() != 1000 || b.Len() != 9000 {
		t.Fatalf("split sizes %d/%d", a.Len(), b.Len())
	}
	for c, k := range a.ClassCounts() {
		if k != 100 {
			t.Fatalf("class %d has %d in the 10%% part", c, k)
		}
	}
	for i := range a.Labels {
		if a.Labels[i] != a2.Labels[i] {
			t.Fatal("same seed must give the same split")
		}
	}
}
