package datasets

import "testing"

func TestVisionTasks(t *testing.T) {
	for task, classes := range VisionTasks {
		d, err := VisionTask(task, 4*classes, 1)
		if err != nil {
			t.Fatal(err)
		}
		for c, n := range d.ClassCounts() {
			if n != 4 {
				t.Fatalf("%s: class %d has %d images", task, c, n)
			}
		}
		for i := 0; i < d.Len(); i++ {
			var ink float64
			for _, v := range d.Image(i) {
				ink += float64(v)
			}
			if ink < 2 {
				t.Fatalf("%s: image %d is blank", task, i)
			}
		}
	}
	if _, err := VisionTask("depth", 1, 1); err == nil {
		t.Fatal("an unknown task must be an error")
	}
	// Counting: the number of separate blobs equals label+1 is checked by construction;
	// check the count task's ink grows with the label on average.
	d, _ := VisionTask("count", 600, 2)
	ink := make([]float64, 6)
	for i := 0; i < d.Len(); i++ {
		for _, v := range d.Image(i) {
			ink[d.Labels[i]] += float64(v) / 100
		}
	}
	for c := 1; c < 6; c++ {
		if ink[c] <= ink[c-1] {
			t.Fatalf("count: more blobs must mean more ink: %v", ink)
		}
	}
}
