package datasets

import (
	"errors"
	"math/rand/v2"
	"testing"
)

func TestKeywordsShapesAndLabels(t *testing.T) {
	train, test, err := Keywords(nil, SpeechConfig{TrainPer: 2, TestPer: 1, NoiseSNR: [2]float64{10, 20}, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if train.H != 98 || train.W != 64 || train.Len() != 24 || test.Len() != 12 {
		t.Fatalf("train %d×%dx%d, test %d", train.Len(), train.H, train.W, test.Len())
	}
	for c, n := range train.ClassCounts() {
		if n != 2 {
			t.Fatalf("class %d has %d clips", c, n)
		}
	}
	// Spectrograms are normalised per clip and differ between clips.
	a, b := train.Image(0), train.Image(1)
	same := true
	for i := range a {
		same = same && a[i] == b[i]
	}
	if same {
		t.Fatal("two clips of the same word by different speakers are identical")
	}
}

func TestSpeakerSplitIsDisjoint(t *testing.T) {
	cfg := SpeechConfig{}.withDefaults(1)
	rng := rand.New(rand.NewPCG(1, 2))
	train, test := speakerSplit(EnglishVoices, cfg, rng)
	seen := map[string]bool{}
	for i := 0; i < 500; i++ {
		seen[train().Variant] = true
	}
	for i := 0; i < 200; i++ {
		if v := test().Variant; seen[v] {
			t.Fatalf("test variant %s also speaks in training", v)
		}
	}
}

func TestLanguagesAndIntents(t *testing.T) {
	train, _, err := SpokenLanguages(Languages[:3], SpeechConfig{TrainPer: 1, TestPer: 1, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if train.Len() != 3 || train.H != 198 || train.ClassNames[2] != "French" {
		t.Fatalf("languages: %d clips of %d frames, classes %v", train.Len(), train.H, train.ClassNames)
	}
	it, _, err := IntentCommands(SpeechConfig{TrainPer: 1, TestPer: 1, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if it.Len() != len(Intents()) {
		t.Fatalf("%d intent clips", it.Len())
	}
}

func TestMissingDebianPackagesAreNamed(t *testing.T) {
	saved := DictDir
	DictDir = t.TempDir()
	defer func() { DictDir = saved; wordCache.Delete("esperanto") }()
	_, err := WordList(Language{Name: "Esperanto", WordList: "esperanto", Package: "wesperanto"})
	var missing *MissingPackageError
	if !errors.As(err, &missing) || missing.Package != "wesperanto" {
		t.Fatalf("want a MissingPackageError naming wesperanto, got %v", err)
	}
	if _, err := Speak("x", Speaker{Voice: "no-such-voice"}); err == nil {
		t.Fatal("an unknown espeak-ng voice must be an error")
	}
}

func TestBackgroundNoise(t *testing.T) {
	noise, err := BackgroundNoise()
	if err != nil {
		t.Fatal(err)
	}
	if len(noise) < 10 || len(noise[0]) < 8000 {
		t.Fatalf("%d noise clips", len(noise))
	}
}
