package datasets

import (
	"bytes"
	"math"
	"math/cmplx"
	"testing"
)

func tone(freq float64, rate, n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = 0.5 * math.Sin(2*math.Pi*freq*float64(i)/float64(rate))
	}
	return x
}

// TestSTFTMatchesDirectDFT: one frame of a test tone, against the DFT sum written out.
func TestSTFTMatchesDirectDFT(t *testing.T) {
	cfg := MelConfig{}.withDefaults()
	x := tone(1000, cfg.Rate, cfg.Window)
	spec := STFT(x, cfg)
	for _, k := range []int{0, 10, 32, 33, 100, 256} {
		var sum complex128
		for n := 0; n < cfg.Window; n++ {
			w := 0.5 - 0.5*math.Cos(2*math.Pi*float64(n)/float64(cfg.Window))
			sum += complex(x[n]*w, 0) * cmplx.Exp(complex(0, -2*math.Pi*float64(k*n)/float64(cfg.FFT)))
		}
		if d := math.Abs(cmplx.Abs(sum) - spec[0][k]); d > 1e-9 {
			t.Fatalf("bin %d: FFT %g, direct DFT %g", k, spec[0][k], cmplx.Abs(sum))
		}
	}
	// 1 kHz at 16 kHz with a 512-point FFT falls in bin 32.
	best := 0
	for k, v := range spec[0] {
		if v > spec[0][best] {
			best = k
		}
	}
	if best != 32 {
		t.Fatalf("the tone peaks in bin %d, want 32", best)
	}
}

func TestLogMelShapeAndTonePeak(t *testing.T) {
	cfg := MelConfig{}
	x := tone(1000, 16000, 16000) // 1 s
	mel := LogMel(x, cfg)
	if len(mel) != 98 || len(mel[0]) != 64 {
		t.Fatalf("log-mel %d×%d, want 98×64 for 1 s", len(mel), len(mel[0]))
	}
	// The band whose centre is nearest 1 kHz holds the energy.
	best := 0
	for b, v := range mel[50] {
		if v > mel[50][best] {
			best = b
		}
	}
	lo, hi := hzToMel(0), hzToMel(8000)
	centre := melToHz(lo + (hi-lo)*float64(best+1)/65)
	if math.Abs(centre-1000) > 120 {
		t.Fatalf("peak in band %d (centre %.0f Hz), want near 1 kHz", best, centre)
	}
	NormaliseSpectrogram(mel)
	var sum float64
	for _, row := range mel {
		for _, v := range row {
			sum += v
		}
	}
	if math.Abs(sum/float64(98*64)) > 1e-9 {
		t.Fatal("normalised spectrogram must have zero mean")
	}
}

func TestWAVRoundTripAndResample(t *testing.T) {
	x := tone(440, 22050, 2205)
	var b bytes.Buffer
	if err := WriteWAV(&b, x, 22050); err != nil {
		t.Fatal(err)
	}
	// Break the size fields as espeak-ng's --stdout does.
	data := b.Bytes()
	copy(data[4:8], []byte{0x24, 0xf0, 0xff, 0x7f})
	copy(data[40:44], []byte{0x00, 0xf0, 0xff, 0x7f})
	y, rate, err := ReadWAV(bytes.NewReader(data))
	if err != nil || rate != 22050 || len(y) != len(x) {
		t.Fatalf("read %d samples at %d (%v)", len(y), rate, err)
	}
	for i := range x {
		if math.Abs(x[i]-y[i]) > 1e-4 {
			t.Fatalf("sample %d: %g vs %g", i, y[i], x[i])
		}
	}
	z := Resample(y, 22050, 16000)
	if len(z) != 1600 {
		t.Fatalf("resampled to %d samples", len(z))
	}
	want := tone(440, 16000, 1600)
	for i := 100; i < 1500; i++ { // away from the edges
		if math.Abs(z[i]-want[i]) > 0.01 {
			t.Fatalf("resampled sample %d: %g, want %g", i, z[i], want[i])
		}
	}
	// A tone above the new Nyquist is removed, not aliased.
	hi := Resample(tone(10000, 22050, 22050), 22050, 16000)
	var e float64
	for _, v := range hi[1000:15000] {
		e += v * v
	}
	if rms := math.Sqrt(e / 14000); rms > 0.02 {
		t.Fatalf("10 kHz leaks through at rms %g", rms)
	}
	if _, _, err := ReadWAV(bytes.NewReader([]byte("not a wav"))); err == nil {
		t.Fatal("garbage must be an error")
	}
}
