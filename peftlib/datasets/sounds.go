package datasets

import (
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"sort"
	"strings"
)

// SoundCategories groups sonic-pi's sample prefixes into classes for an ESC-50 /
// UrbanSound8K-like sound-event task (165 samples: few sources per class, so augmentation
// matters more than in real corpora).
var SoundCategories = map[string][]string{
	"kick":       {"bd"},
	"snare-drum": {"sn", "drum"},
	"electronic": {"elec", "glitch"},
	"tabla":      {"tabla"},
	"ambient":    {"ambi", "vinyl"},
	"loop":       {"loop"},
	"bass":       {"bass"},
	"other":      {"guit", "mehackit", "misc", "perc"},
}

// SoundConfig configures SoundEvents; zero fields take the defaults shown.
type SoundConfig struct {
	TrainPer, TestPer int     // clips per class (default 40 and 10)
	Seconds           float64 // clip length (default 1)
	TestSources       float64 // fraction of each class's sample files held out for testing (source-disjoint), default 0.25
	Mel               MelConfig
	Seed              uint64
}

// SoundEvents builds a sound-event classification set from sonic-pi's samples: each clip is
// a random crop of a sample of its class, with random gain, a speed change of up to ±15%
// (resampling, which shifts pitch and tempo together) and background noise, as 64-band
// log-mel spectrograms. The test split uses sample files that training never hears.
func SoundEvents(cfg SoundConfig) (trainSet, testSet *Images, err error) {
	if cfg.TrainPer == 0 {
		cfg.TrainPer = 40
	}
	if cfg.TestPer == 0 {
		cfg.TestPer = 10
	}
	if cfg.Seconds == 0 {
		cfg.Seconds = 1
	}
	if cfg.TestSources == 0 {
		cfg.TestSources = 0.25
	}
	classes := make([]string, 0, len(SoundCategories))
	for c := range SoundCategories {
		classes = append(classes, c)
	}
	sort.Strings(classes)
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x736e64))
	type source struct {
		name    string
		samples []float64
	}
	var trainSrc, testSrc [][]source
	for _, c := range classes {
		var files []string
		for _, prefix := range SoundCategories[c] {
			fs, _ := filepath.Glob(filepath.Join(SonicPiDir, prefix+"_*.flac"))
			files = append(files, fs...)
		}
		if len(files) == 0 {
			return nil, nil, &MissingPackageError{Path: SonicPiDir + "/*.flac", Package: "sonic-pi-samples"}
		}
		sort.Strings(files)
		rng.Shuffle(len(files), func(i, j int) { files[i], files[j] = files[j], files[i] })
		nTest := max(1, int(math.Round(cfg.TestSources*float64(len(files)))))
		if nTest >= len(files) {
			return nil, nil, fmt.Errorf("datasets: sound class %s has %d files, too few to hold %d out", c, len(files), nTest)
		}
		var tr, te []source
		for i, f := range files {
			x, err := DecodeAudio(f)
			if err != nil {
				return nil, nil, err
			}
			src := source{strings.TrimSuffix(filepath.Base(f), ".flac"), x}
			if i < nTest {
				te = append(te, src)
			} else {
				tr = append(tr, src)
			}
		}
		trainSrc, testSrc = append(trainSrc, tr), append(testSrc, te)
	}
	noise, err := BackgroundNoise()
	if err != nil {
		return nil, nil, err
	}
	n := int(cfg.Seconds * 16000)
	frames, bands := cfg.Mel.Frames(n), cfg.Mel.withDefaults().Bands
	build := func(name string, srcs [][]source, per int) *Images {
		out := &Images{Name: name, H: frames, W: bands, C: 1, ClassNames: classes}
		for ci, ss := range srcs {
			for k := 0; k < per; k++ {
				s := ss[rng.IntN(len(ss))]
				speed := 1 + 0.15*(2*rng.Float64()-1)
				x := Resample(s.samples, 16000, int(16000/speed))
				x = randomCrop(x, n, rng)
				gain := math.Pow(10, (rng.Float64()*12-6)/20)
				for i := range x {
					x[i] *= gain
				}
				mixNoise(x, noise[rng.IntN(len(noise))], 15+10*rng.Float64(), rng)
				mel := LogMel(x, cfg.Mel)
				NormaliseSpectrogram(mel)
				for _, row := range mel {
					for _, v := range row {
						out.X = append(out.X, float32(v))
					}
				}
				out.Labels = append(out.Labels, int32(ci))
			}
		}
		return out
	}
	return build("sounds-train", trainSrc, cfg.TrainPer), build("sounds-test", testSrc, cfg.TestPer), nil
}

// randomCrop returns n samples from a random offset of x (zero-padded when x is shorter).
func randomCrop(x []float64, n int, rng *rand.Rand) []float64 {
	if len(x) <= n {
		return fitLength(x, n, rng)
	}
	start := rng.IntN(len(x) - n + 1)
	return append([]float64(nil), x[start:start+n]...)
}
