package nb

import "testing"

func TestScale(t *testing.T) {
	t.Setenv(ScaleEnv, "")
	if CurrentScale() != Full || Pick(1, 2) != 2 {
		t.Fatal("unset PEFTLAB_SCALE must mean full")
	}
	t.Setenv(ScaleEnv, "smoke")
	if !IsSmoke() || Pick(1, 2) != 1 {
		t.Fatal("PEFTLAB_SCALE=smoke must pick the smoke value")
	}
	t.Setenv(ScaleEnv, "huge")
	defer func() {
		if r := recover(); r == nil {
			t.Fatal("an unknown scale must panic")
		}
	}()
	CurrentScale()
}
