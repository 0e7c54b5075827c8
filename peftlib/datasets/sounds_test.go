package datasets

import "testing"

func TestSoundEvents(t *testing.T) {
	train, test, err := SoundEvents(SoundConfig{TrainPer: 2, TestPer: 1, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if train.NumClasses() != len(SoundCategories) || train.Len() != 2*len(SoundCategories) || test.Len() != len(SoundCategories) {
		t.Fatalf("train %d, test %d, %d classes", train.Len(), test.Len(), train.NumClasses())
	}
	if train.H != 98 || train.W != 64 {
		t.Fatalf("spectrograms %d×%d", train.H, train.W)
	}
}
