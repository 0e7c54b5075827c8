package datasets

import (
	"math"
	"testing"
)

func TestRenderNotesPitch(t *testing.T) {
	// A4 (MIDI 69, 440 Hz) on the acoustic grand piano: the spectrum peaks near 440 Hz.
	clips, err := RenderNotes([]Note{{Program: 0, Pitch: 69, Velocity: 100}, {Program: 40, Pitch: 57, Velocity: 100}})
	if err != nil {
		t.Fatal(err)
	}
	if len(clips) != 2 || len(clips[0]) != 16000 {
		t.Fatalf("%d clips of %d samples", len(clips), len(clips[0]))
	}
	spec := STFT(clips[0][1600:], MelConfig{Window: 4096, FFT: 4096, Hop: 4096})
	best := 1
	for k := 1; k < len(spec[0]); k++ {
		if spec[0][k] > spec[0][best] {
			best = k
		}
	}
	if f := float64(best) * 16000 / 4096; math.Abs(f-440) > 12 {
		t.Fatalf("A4 peaks at %.0f Hz", f)
	}
}

func TestInstrumentsAreProgramDisjoint(t *testing.T) {
	train, test, err := Instruments(InstrumentConfig{Families: []int{0, 3}, PerProgram: 1, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	if train.Len() != 2*6 || test.Len() != 2*2 || train.H != 98 || train.ClassNames[1] != "guitar" {
		t.Fatalf("train %d, test %d, %v", train.Len(), test.Len(), train.ClassNames)
	}
}
