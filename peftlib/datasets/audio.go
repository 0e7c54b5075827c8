package datasets

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/cmplx"
)

// ReadWAV decodes a PCM WAV stream (16-bit, or 8/24/32-bit integer, any number of
// channels, mixed down to mono) into samples in [-1, 1]. It reads the "data" chunk to the
// end of the stream and ignores its size field, because espeak-ng's --stdout writes a
// streaming placeholder there.
func ReadWAV(r io.Reader) (samples []float64, rate int, err error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, 0, fmt.Errorf("datasets: reading WAV: %w", err)
	}
	if len(data) < 12 || string(data[:4]) != "RIFF" || string(data[8:12]) != "WAVE" {
		return nil, 0, errors.New("datasets: not a RIFF/WAVE stream")
	}
	var channels, bits int
	pos := 12
	for pos+8 <= len(data) {
		id, size := string(data[pos:pos+4]), int(binary.LittleEndian.Uint32(data[pos+4:pos+8]))
		body := pos + 8
		switch id {
		case "fmt ":
			if body+16 > len(data) {
				return nil, 0, errors.New("datasets: truncated WAV fmt chunk")
			}
			format := binary.LittleEndian.Uint16(data[body:])
			channels = int(binary.LittleEndian.Uint16(data[body+2:]))
			rate = int(binary.LittleEndian.Uint32(data[body+4:]))
			bits = int(binary.LittleEndian.Uint16(data[body+14:]))
			if format != 1 && format != 0xFFFE {
				return nil, 0, fmt.Errorf("datasets: WAV format %d is not integer PCM", format)
			}
		case "data":
			if channels == 0 || bits == 0 {
				return nil, 0, errors.New("datasets: WAV data before its fmt chunk")
			}
			return decodePCM(data[body:], channels, bits), rate, nil
		}
		if size < 0 || body+size > len(data) {
			break
		}
		pos = body + size + size%2
	}
	return nil, 0, errors.New("datasets: WAV stream has no data chunk")
}

func decodePCM(b []byte, channels, bits int) []float64 {
	width := bits / 8
	frame := width * channels
	n := len(b) / frame
	out := make([]float64, n)
	scale := math.Pow(2, float64(bits-1))
	for i := 0; i < n; i++ {
		var sum float64
		for c := 0; c < channels; c++ {
			p := b[i*frame+c*width:]
			var v int64
			switch width {
			case 1:
				v = int64(p[0]) - 128
			case 2:
				v = int64(int16(binary.LittleEndian.Uint16(p)))
			case 3:
				v = int64(int32(uint32(p[0])|uint32(p[1])<<8|uint32(p[2])<<16) << 8 >> 8)
			case 4:
				v = int64(int32(binary.LittleEndian.Uint32(p)))
			}
			sum += float64(v) / scale
		}
		out[i] = sum / float64(channels)
	}
	return out
}

// WriteWAV encodes mono samples in [-1, 1] as 16-bit PCM WAV.
func WriteWAV(w io.Writer, samples []float64, rate int) error {
	var b bytes.Buffer
	put := func(v any) { _ = binary.Write(&b, binary.LittleEndian, v) }
	b.WriteString("RIFF")
	put(uint32(36 + 2*len(samples)))
	b.WriteString("WAVEfmt ")
	put(uint32(16))
	put(uint16(1))
	put(uint16(1))
	put(uint32(rate))
	put(uint32(2 * rate))
	put(uint16(2))
	put(uint16(16))
	b.WriteString("data")
	put(uint32(2 * len(samples)))
	for _, s := range samples {
		put(int16(math.Round(32767 * math.Max(-1, math.Min(1, s)))))
	}
	_, err := w.Write(b.Bytes())
	return err
}

// Resample converts samples from one rate to another with a windowed-sinc (Lanczos, a = 8)
// interpolator whose cut-off is the lower Nyquist frequency, so downsampling does not alias.
func Resample(x []float64, from, to int) []float64 {
	if from == to {
		return append([]float64(nil), x...)
	}
	ratio := float64(to) / float64(from)
	n := int(math.Round(float64(len(x)) * ratio))
	out := make([]float64, n)
	cut := math.Min(1, ratio) // relative to the input's Nyquist
	const a = 8
	half := int(math.Ceil(a / cut))
	for i := range out {
		t := float64(i) / ratio
		c := int(math.Floor(t))
		var sum, wsum float64
		for k := c - half + 1; k <= c+half; k++ {
			if k < 0 || k >= len(x) {
				continue
			}
			d := (t - float64(k)) * cut
			w := sinc(d) * sinc(d/a)
			if math.Abs(d) >= a {
				w = 0
			}
			sum += w * x[k]
			wsum += w
		}
		if wsum != 0 {
			out[i] = sum / wsum
		}
	}
	return out
}

func sinc(x float64) float64 {
	if x == 0 {
		return 1
	}
	return math.Sin(math.Pi*x) / (math.Pi * x)
}

// MelConfig configures LogMel; the zero value is the usual speech front end: 16 kHz,
// 25 ms Hann windows every 10 ms, a 512-point FFT, 64 mel bands from 0 to 8 kHz.
type MelConfig struct {
	Rate, Window, Hop, FFT, Bands int
	FMin, FMax                    float64
}

func (c MelConfig) withDefaults() MelConfig {
	if c.Rate == 0 {
		c.Rate = 16000
	}
	if c.Window == 0 {
		c.Window = c.Rate * 25 / 1000
	}
	if c.Hop == 0 {
		c.Hop = c.Rate * 10 / 1000
	}
	if c.FFT == 0 {
		c.FFT = 512
		for c.FFT < c.Window {
			c.FFT *= 2
		}
	}
	if c.Bands == 0 {
		c.Bands = 64
	}
	if c.FMax == 0 {
		c.FMax = float64(c.Rate) / 2
	}
	return c
}

// Frames is the number of frames LogMel returns for n samples.
func (c MelConfig) Frames(n int) int {
	c = c.withDefaults()
	if n < c.Window {
		return 1
	}
	return 1 + (n-c.Window)/c.Hop
}

// STFT returns the magnitude spectrogram [frames][FFT/2+1] of x with a Hann window.
func STFT(x []float64, cfg MelConfig) [][]float64 {
	cfg = cfg.withDefaults()
	frames := cfg.Frames(len(x))
	window := make([]float64, cfg.Window)
	for i := range window {
		window[i] = 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(cfg.Window))
	}
	out := make([][]float64, frames)
	buf := make([]complex128, cfg.FFT)
	for f := 0; f < frames; f++ {
		clear(buf)
		for i := 0; i < cfg.Window; i++ {
			if j := f*cfg.Hop + i; j < len(x) {
				buf[i] = complex(x[j]*window[i], 0)
			}
		}
		fft(buf)
		mag := make([]float64, cfg.FFT/2+1)
		for k := range mag {
			mag[k] = cmplx.Abs(buf[k])
		}
		out[f] = mag
	}
	return out
}

// fft is an in-place iterative radix-2 Cooley–Tukey FFT (len(a) a power of two).
func fft(a []complex128) {
	n := len(a)
	for i, j := 1, 0; i < n; i++ {
		bit := n >> 1
		for ; j&bit != 0; bit >>= 1 {
			j ^= bit
		}
		j ^= bit
		if i < j {
			a[i], a[j] = a[j], a[i]
		}
	}
	for size := 2; size <= n; size <<= 1 {
		w := cmplx.Exp(complex(0, -2*math.Pi/float64(size)))
		for start := 0; start < n; start += size {
			wk := complex(1, 0)
			for k := 0; k < size/2; k++ {
				u, v := a[start+k], a[start+k+size/2]*wk
				a[start+k], a[start+k+size/2] = u+v, u-v
				wk *= w
			}
		}
	}
}

func hzToMel(f float64) float64 { return 2595 * math.Log10(1+f/700) }
func melToHz(m float64) float64 { return 700 * (math.Pow(10, m/2595) - 1) }

// MelFilters returns Bands triangular filters over the FFT/2+1 bins (HTK mel scale).
func MelFilters(cfg MelConfig) [][]float64 {
	cfg = cfg.withDefaults()
	bins := cfg.FFT/2 + 1
	lo, hi := hzToMel(cfg.FMin), hzToMel(cfg.FMax)
	centres := make([]float64, cfg.Bands+2)
	for i := range centres {
		centres[i] = melToHz(lo + (hi-lo)*float64(i)/float64(cfg.Bands+1))
	}
	hzPerBin := float64(cfg.Rate) / float64(cfg.FFT)
	filters := make([][]float64, cfg.Bands)
	for b := range filters {
		filters[b] = make([]float64, bins)
		l, c, r := centres[b], centres[b+1], centres[b+2]
		for k := 0; k < bins; k++ {
			f := float64(k) * hzPerBin
			switch {
			case f > l && f <= c:
				filters[b][k] = (f - l) / (c - l)
			case f > c && f < r:
				filters[b][k] = (r - f) / (r - c)
			}
		}
	}
	return filters
}

// LogMel returns the log mel spectrogram [frames][Bands] of x (at cfg.Rate): log(ε + mel
// power). Normalise with NormaliseSpectrogram.
func LogMel(x []float64, cfg MelConfig) [][]float64 {
	cfg = cfg.withDefaults()
	spec := STFT(x, cfg)
	filters := MelFilters(cfg)
	out := make([][]float64, len(spec))
	for f, mag := range spec {
		row := make([]float64, cfg.Bands)
		for b, filt := range filters {
			var e float64
			for k, w := range filt {
				if w != 0 {
					e += w * mag[k] * mag[k]
				}
			}
			row[b] = math.Log(1e-6 + e)
		}
		out[f] = row
	}
	return out
}

// NormaliseSpectrogram standardises a spectrogram in place to zero mean and unit variance
// (over all its values).
func NormaliseSpectrogram(s [][]float64) {
	var sum, sq float64
	n := 0
	for _, row := range s {
		for _, v := range row {
			sum += v
			sq += v * v
			n++
		}
	}
	if n == 0 {
		return
	}
	mean := sum / float64(n)
	std := math.Sqrt(math.Max(sq/float64(n)-mean*mean, 1e-12))
	for _, row := range s {
		for i := range row {
			row[i] = (row[i] - mean) / std
		}
	}
}
