package datasets

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// SoundFont is the General-MIDI sound font of Debian's fluid-soundfont-gm package.
var SoundFont = "/usr/share/sounds/sf2/FluidR3_GM.sf2"

// GMFamilies are the 16 General-MIDI instrument families (programs 8k … 8k+7).
var GMFamilies = []string{"piano", "chromatic percussion", "organ", "guitar", "bass", "strings", "ensemble",
	"brass", "reed", "pipe", "synth lead", "synth pad", "synth effects", "ethnic", "percussive", "sound effects"}

// Note is one rendered note: a General-MIDI program, a MIDI pitch and a velocity.
type Note struct {
	Program, Pitch, Velocity int
}

// RenderNotes renders each note for 0.75 s (then 0.25 s of release) with fluidsynth and the
// General-MIDI sound font, and returns one 1 s clip per note at 16 kHz. Loading the font
// costs about 0.2 s, so all notes go into one MIDI file and one fluidsynth run.
func RenderNotes(notes []Note) ([][]float64, error) {
	if _, err := os.Stat(SoundFont); err != nil {
		return nil, &MissingPackageError{Path: SoundFont, Package: "fluid-soundfont-gm"}
	}
	dir, err := os.MkdirTemp("", "peftlab-midi-*")
	if err != nil {
		return nil, fmt.Errorf("datasets: %w", err)
	}
	defer os.RemoveAll(dir)
	mid, wav := filepath.Join(dir, "notes.mid"), filepath.Join(dir, "notes.wav")
	if err := os.WriteFile(mid, midiFile(notes), 0o644); err != nil {
		return nil, fmt.Errorf("datasets: %w", err)
	}
	cmd := exec.Command("fluidsynth", "-ni", "-q", "-r", "16000", "-F", wav, SoundFont, mid)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return nil, &MissingPackageError{Path: "fluidsynth", Package: "fluidsynth"}
		}
		return nil, fmt.Errorf("datasets: fluidsynth: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	f, err := os.Open(wav)
	if err != nil {
		return nil, fmt.Errorf("datasets: %w", err)
	}
	defer f.Close()
	x, rate, err := ReadWAV(f)
	if err != nil {
		return nil, err
	}
	if rate != 16000 {
		x = Resample(x, rate, 16000)
	}
	clips := make([][]float64, len(notes))
	for i := range notes {
		clip := make([]float64, 16000)
		if start := i * 16000; start < len(x) {
			copy(clip, x[start:min(len(x), start+16000)])
		}
		clips[i] = clip
	}
	return clips, nil
}

// midiFile writes a format-0 standard MIDI file: 480 ticks per quarter at 120 bpm
// (960 ticks/s); note i starts at i seconds on channel 0 (never the drum channel), sounds for
// 0.75 s and releases for 0.25 s before an all-sound-off.
func midiFile(notes []Note) []byte {
	var track bytes.Buffer
	event := func(delta int, data ...byte) {
		var vlq []byte
		vlq = append(vlq, byte(delta&0x7f))
		for delta >>= 7; delta > 0; delta >>= 7 {
			vlq = append([]byte{byte(0x80 | delta&0x7f)}, vlq...)
		}
		track.Write(vlq)
		track.Write(data)
	}
	for i, n := range notes {
		if i > 0 { // silence the previous note's 0.25 s release tail before the next one
			event(240, 0xB0, 120, 0)
		}
		event(0, 0xC0, byte(n.Program))
		event(0, 0x90, byte(n.Pitch), byte(n.Velocity))
		event(720, 0x80, byte(n.Pitch), 0)
	}
	event(240, 0xB0, 120, 0)
	event(0, 0xFF, 0x2F, 0) // end of track
	var out bytes.Buffer
	out.WriteString("MThd")
	out.Write([]byte{0, 0, 0, 6, 0, 0, 0, 1, 0x01, 0xE0})
	out.WriteString("MTrk")
	n := track.Len()
	out.Write([]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)})
	out.Write(track.Bytes())
	return out.Bytes()
}

// InstrumentConfig configures Instruments; zero fields take the defaults shown.
type InstrumentConfig struct {
	Families     []int // GM families to use (indices into GMFamilies), default the first 10 (no synths or effects)
	TestPrograms int   // programs per family held out for the test split (instrument-disjoint), default 2
	PerProgram   int   // notes per program (random pitch 48–84 and velocity 60–120), default 12
	Mel          MelConfig
	Seed         uint64
}

// Instruments renders an NSynth-like instrument-family set: 1 s notes of General-MIDI
// programs as 98×64 log-mel spectrograms, labelled by family. The test split plays programs
// (instruments) that training never hears.
func Instruments(cfg InstrumentConfig) (trainSet, testSet *Images, err error) {
	if cfg.Families == nil {
		cfg.Families = []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	}
	if cfg.TestPrograms == 0 {
		cfg.TestPrograms = 2
	}
	if cfg.PerProgram == 0 {
		cfg.PerProgram = 12
	}
	if cfg.TestPrograms <= 0 || cfg.TestPrograms >= 8 {
		return nil, nil, fmt.Errorf("datasets: TestPrograms %d must be in [1, 7]", cfg.TestPrograms)
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x696e73))
	var names []string
	var trainNotes, testNotes []Note
	var trainLabels, testLabels []int32
	for li, fam := range cfg.Families {
		names = append(names, GMFamilies[fam])
		progs := rng.Perm(8)
		for pi, p := range progs {
			for k := 0; k < cfg.PerProgram; k++ {
				n := Note{Program: 8*fam + p, Pitch: 48 + rng.IntN(37), Velocity: 60 + rng.IntN(61)}
				if pi < cfg.TestPrograms {
					testNotes, testLabels = append(testNotes, n), append(testLabels, int32(li))
				} else {
					trainNotes, trainLabels = append(trainNotes, n), append(trainLabels, int32(li))
				}
			}
		}
	}
	build := func(name string, notes []Note, labels []int32) (*Images, error) {
		clips, err := RenderNotes(notes)
		if err != nil {
			return nil, err
		}
		frames, bands := cfg.Mel.Frames(16000), cfg.Mel.withDefaults().Bands
		out := &Images{Name: name, H: frames, W: bands, C: 1, ClassNames: names, Labels: labels}
		for _, c := range clips {
			mel := LogMel(c, cfg.Mel)
			NormaliseSpectrogram(mel)
			for _, row := range mel {
				for _, v := range row {
					out.X = append(out.X, float32(v))
				}
			}
		}
		return out, nil
	}
	if trainSet, err = build("instruments-train", trainNotes, trainLabels); err != nil {
		return nil, nil, err
	}
	testSet, err = build("instruments-test", testNotes, testLabels)
	return trainSet, testSet, err
}
