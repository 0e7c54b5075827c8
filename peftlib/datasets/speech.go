package datasets

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
)

// Speaker is one synthetic voice: an espeak-ng language voice and variant (e.g. "en-us",
// "f3"), with its pitch (0–99) and speed (words per minute).
type Speaker struct {
	Voice, Variant string
	Pitch, Speed   int
}

// String is the espeak-ng voice argument, e.g. "en-us+f3".
func (s Speaker) String() string {
	if s.Variant == "" {
		return s.Voice
	}
	return s.Voice + "+" + s.Variant
}

// Speak synthesises text with espeak-ng (Debian's espeak-ng package) and returns mono
// samples at 16 kHz.
func Speak(text string, s Speaker) ([]float64, error) {
	if err := checkVoice(s); err != nil {
		return nil, err
	}
	args := []string{"-v", s.String(), "--stdout"}
	if s.Pitch > 0 {
		args = append(args, "-p", fmt.Sprint(s.Pitch))
	}
	if s.Speed > 0 {
		args = append(args, "-s", fmt.Sprint(s.Speed))
	}
	cmd := exec.Command("espeak-ng", append(args, text)...)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return nil, &MissingPackageError{Path: "espeak-ng", Package: "espeak-ng"}
		}
		return nil, fmt.Errorf("datasets: espeak-ng %s %q: %v: %s", s, text, err, strings.TrimSpace(stderr.String()))
	}
	x, rate, err := ReadWAV(&out)
	if err != nil {
		return nil, err
	}
	return Resample(x, rate, 16000), nil
}

// SpeakerVariants are espeak-ng's voice variants used for speakers: female f1–f5, male
// m1–m8 and a few characters.
var SpeakerVariants = []string{"f1", "f2", "f3", "f4", "f5", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8",
	"adam", "Alex", "Andy", "Annie", "aunty", "boris", "david", "ed", "Gene", "linda", "max", "michel", "paul",
	"robert", "steph", "travis", "zac"}

// Clip is one synthesised utterance and its label.
type Clip struct {
	Text    string
	Speaker Speaker
	Label   int32
}

// SpeechConfig configures the spoken-word datasets; zero fields take the defaults shown.
type SpeechConfig struct {
	Seconds      float64    // clip length (1 s for keywords, 2 s for language ID and intents)
	TrainPer     int        // training clips per class, default 60
	TestPer      int        // test clips per class, default 20
	TestVariants int        // voice variants held out for the test split (speaker-disjoint), default 6
	NoiseSNR     [2]float64 // background noise SNR range in dB from sonic-pi samples; zero: no noise
	Mel          MelConfig
	Seed         uint64
}

func (c SpeechConfig) withDefaults(seconds float64) SpeechConfig {
	if c.Seconds == 0 {
		c.Seconds = seconds
	}
	if c.TrainPer == 0 {
		c.TrainPer = 60
	}
	if c.TestPer == 0 {
		c.TestPer = 20
	}
	if c.TestVariants == 0 {
		c.TestVariants = 6
	}
	return c
}

// synthesise renders clips into log-mel spectrograms [frames, bands] (as Images with
// H = frames, W = bands, C = 1), on all CPUs.
func synthesise(name string, clips []Clip, classes []string, cfg SpeechConfig, noise [][]float64) (*Images, error) {
	n := int(cfg.Seconds * 16000)
	frames, bands := cfg.Mel.Frames(n), cfg.Mel.withDefaults().Bands
	out := &Images{Name: name, H: frames, W: bands, C: 1, ClassNames: classes,
		X: make([]float32, len(clips)*frames*bands), Labels: make([]int32, len(clips))}
	errs := make(chan error, len(clips))
	var wg sync.WaitGroup
	work := make(chan int)
	for w := 0; w < runtime.NumCPU(); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				c := clips[i]
				x, err := Speak(c.Text, c.Speaker)
				if err != nil {
					errs <- err
					continue
				}
				rng := rand.New(rand.NewPCG(cfg.Seed, uint64(i)))
				x = fitLength(x, n, rng)
				if len(noise) > 0 && cfg.NoiseSNR[1] > 0 {
					mixNoise(x, noise[rng.IntN(len(noise))], cfg.NoiseSNR[0]+rng.Float64()*(cfg.NoiseSNR[1]-cfg.NoiseSNR[0]), rng)
				}
				mel := LogMel(x, cfg.Mel)
				NormaliseSpectrogram(mel)
				dst := out.X[i*frames*bands:]
				for f, row := range mel {
					for b, v := range row {
						dst[f*bands+b] = float32(v)
					}
				}
				out.Labels[i] = c.Label
			}
		}()
	}
	for i := range clips {
		work <- i
	}
	close(work)
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return nil, err
	}
	return out, nil
}

// fitLength pads (at a random offset) or crops (around the middle) x to n samples.
func fitLength(x []float64, n int, rng *rand.Rand) []float64 {
	out := make([]float64, n)
	if len(x) >= n {
		start := (len(x) - n) / 2
		copy(out, x[start:start+n])
		return out
	}
	copy(out[rng.IntN(n-len(x)+1):], x)
	return out
}

// mixNoise adds a random crop of noise to x at the given signal-to-noise ratio (dB).
func mixNoise(x, noise []float64, snr float64, rng *rand.Rand) {
	if len(noise) == 0 {
		return
	}
	var ps, pn float64
	start := rng.IntN(max(1, len(noise)-len(x)))
	for i := range x {
		ps += x[i] * x[i]
		v := noise[(start+i)%len(noise)]
		pn += v * v
	}
	if pn == 0 || ps == 0 {
		return
	}
	g := math.Sqrt(ps / pn / math.Pow(10, snr/10))
	for i := range x {
		x[i] += g * noise[(start+i)%len(noise)]
	}
}

// speakerSplit returns speakers for the training and test splits: the test split's voice
// variants never occur in training.
func speakerSplit(voices []string, cfg SpeechConfig, rng *rand.Rand) (train, test func() Speaker) {
	variants := append([]string(nil), SpeakerVariants...)
	rng.Shuffle(len(variants), func(i, j int) { variants[i], variants[j] = variants[j], variants[i] })
	testV, trainV := variants[:cfg.TestVariants], variants[cfg.TestVariants:]
	mk := func(vs []string) func() Speaker {
		return func() Speaker {
			return Speaker{Voice: voices[rng.IntN(len(voices))], Variant: vs[rng.IntN(len(vs))],
				Pitch: 20 + rng.IntN(60), Speed: 120 + rng.IntN(80)}
		}
	}
	return mk(trainV), mk(testV)
}

// DefaultKeywords are twelve Speech-Commands words.
var DefaultKeywords = []string{"yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go", "zero", "one"}

// EnglishVoices are espeak-ng's English accents.
var EnglishVoices = []string{"en-us", "en-gb", "en-gb-scotland", "en-gb-x-rp", "en-gb-x-gbclan", "en-gb-x-gbcwmd", "en-029", "en-us-nyc"}

// Keywords synthesises a Speech-Commands-like keyword-spotting set: 1 s clips of each word
// spoken by random English accents, voice variants, pitches and speeds; the test split's
// speakers (voice variants) never occur in training.
func Keywords(words []string, cfg SpeechConfig) (trainSet, testSet *Images, err error) {
	if words == nil {
		words = DefaultKeywords
	}
	cfg = cfg.withDefaults(1)
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x6b7773))
	trainSpk, testSpk := speakerSplit(EnglishVoices, cfg, rng)
	build := func(per int, spk func() Speaker) []Clip {
		var clips []Clip
		for i, w := range words {
			for k := 0; k < per; k++ {
				clips = append(clips, Clip{Text: w, Speaker: spk(), Label: int32(i)})
			}
		}
		return clips
	}
	return synthesiseSplits("keywords", build(cfg.TrainPer, trainSpk), build(cfg.TestPer, testSpk), words, cfg)
}

// Intent is a Fluent-Speech-Commands-like command: action, object and location.
type Intent struct{ Action, Object, Location string }

// IntentPhrases lists the commands of the intent dataset with their spoken templates.
var intentTemplates = []struct {
	Intent
	Phrases []string
}{
	{Intent{"activate", "lights", "kitchen"}, []string{"turn on the lights in the kitchen", "switch on the kitchen lights"}},
	{Intent{"activate", "lights", "bedroom"}, []string{"turn on the lights in the bedroom", "switch on the bedroom lights"}},
	{Intent{"deactivate", "lights", "kitchen"}, []string{"turn off the lights in the kitchen", "switch off the kitchen lights"}},
	{Intent{"deactivate", "lights", "bedroom"}, []string{"turn off the lights in the bedroom", "switch off the bedroom lights"}},
	{Intent{"increase", "heat", "none"}, []string{"turn up the heat", "make it warmer"}},
	{Intent{"decrease", "heat", "none"}, []string{"turn down the heat", "make it cooler"}},
	{Intent{"increase", "volume", "none"}, []string{"turn up the volume", "louder please"}},
	{Intent{"decrease", "volume", "none"}, []string{"turn down the volume", "quieter please"}},
	{Intent{"activate", "music", "none"}, []string{"play the music", "start the music"}},
	{Intent{"deactivate", "music", "none"}, []string{"stop the music", "pause the music"}},
	{Intent{"bring", "newspaper", "none"}, []string{"bring me the newspaper", "get the newspaper"}},
	{Intent{"bring", "juice", "none"}, []string{"bring me some juice", "get me the juice"}},
}

// Intents lists the intent classes in label order.
func Intents() []Intent {
	out := make([]Intent, len(intentTemplates))
	for i, t := range intentTemplates {
		out[i] = t.Intent
	}
	return out
}

// IntentCommands synthesises a Fluent-Speech-Commands-like set: 2 s spoken commands, two
// phrasings per intent, speaker-disjoint splits.
func IntentCommands(cfg SpeechConfig) (trainSet, testSet *Images, err error) {
	cfg = cfg.withDefaults(2)
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x696e74))
	trainSpk, testSpk := speakerSplit(EnglishVoices, cfg, rng)
	var names []string
	for _, t := range intentTemplates {
		names = append(names, t.Action+"/"+t.Object+"/"+t.Location)
	}
	build := func(per int, spk func() Speaker) []Clip {
		var clips []Clip
		for i, t := range intentTemplates {
			for k := 0; k < per; k++ {
				clips = append(clips, Clip{Text: t.Phrases[rng.IntN(len(t.Phrases))], Speaker: spk(), Label: int32(i)})
			}
		}
		return clips
	}
	return synthesiseSplits("intents", build(cfg.TrainPer, trainSpk), build(cfg.TestPer, testSpk), names, cfg)
}

// Language is a spoken language of the language-ID set: its espeak-ng voice and the
// Debian word list its text comes from.
type Language struct {
	Name, Voice, WordList, Package string
	Latin1                         bool // the list is ISO-8859-1
}

// Languages are the languages with both an espeak-ng voice and a Debian word list.
var Languages = []Language{
	{"English", "en-us", "american-english", "wamerican", false},
	{"German", "de", "ngerman", "wngerman", false},
	{"French", "fr-fr", "french", "wfrench", false},
	{"Spanish", "es", "spanish", "wspanish", false},
	{"Italian", "it", "italian", "witalian", false},
	{"Portuguese", "pt", "portuguese", "wportuguese", false},
	{"Dutch", "nl", "dutch", "wdutch", false},
	{"Swedish", "sv", "swedish", "wswedish", true},
	{"Polish", "pl", "polish", "wpolish", false},
	{"Ukrainian", "uk", "ukrainian", "wukrainian", false},
	{"Bulgarian", "bg", "bulgarian", "wbulgarian", false},
	{"Danish", "da", "danish", "wdanish", false},
	{"Norwegian", "nb", "bokmaal", "wnorwegian", true},
	{"Catalan", "ca", "catalan", "wcatalan", false},
	{"Esperanto", "eo", "esperanto", "wesperanto", false},
}

// SpokenLanguages synthesises a spoken language-identification set: 2 s clips of three
// random words from each language's word list, read by that language's voice with random
// variants (speaker-disjoint splits). Each voice is one synthesiser, so part of what a model
// learns is the synthesiser's phoneme set; mixed variants keep it from being trivial.
func SpokenLanguages(langs []Language, cfg SpeechConfig) (trainSet, testSet *Images, err error) {
	if langs == nil {
		langs = Languages
	}
	cfg = cfg.withDefaults(2)
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x6c6964))
	var names []string
	var trainClips, testClips []Clip
	for li, l := range langs {
		words, err := WordList(l)
		if err != nil {
			return nil, nil, err
		}
		trainSpk, testSpk := speakerSplit([]string{l.Voice}, cfg, rand.New(rand.NewPCG(cfg.Seed, uint64(li))))
		phrase := func() string {
			return words[rng.IntN(len(words))] + " " + words[rng.IntN(len(words))] + " " + words[rng.IntN(len(words))]
		}
		for k := 0; k < cfg.TrainPer; k++ {
			trainClips = append(trainClips, Clip{Text: phrase(), Speaker: trainSpk(), Label: int32(li)})
		}
		for k := 0; k < cfg.TestPer; k++ {
			testClips = append(testClips, Clip{Text: phrase(), Speaker: testSpk(), Label: int32(li)})
		}
		names = append(names, l.Name)
	}
	return synthesiseSplits("languages", trainClips, testClips, names, cfg)
}

func synthesiseSplits(name string, train, test []Clip, classes []string, cfg SpeechConfig) (*Images, *Images, error) {
	var noise [][]float64
	if cfg.NoiseSNR[1] > 0 {
		var err error
		if noise, err = BackgroundNoise(); err != nil {
			return nil, nil, err
		}
	}
	a, err := synthesise(name+"-train", train, classes, cfg, noise)
	if err != nil {
		return nil, nil, err
	}
	b, err := synthesise(name+"-test", test, classes, cfg, noise)
	return a, b, err
}

// SonicPiDir is where Debian's sonic-pi-samples package installs its FLAC samples.
var SonicPiDir = "/usr/share/sonic-pi/samples"

var (
	noiseOnce  sync.Once
	noiseClips [][]float64
	noiseErr   error
)

// BackgroundNoise returns the ambient and vinyl samples of sonic-pi at 16 kHz mono, decoded
// with sox (Debian's sox package), for mixing under speech.
func BackgroundNoise() ([][]float64, error) {
	noiseOnce.Do(func() {
		files, _ := filepath.Glob(filepath.Join(SonicPiDir, "ambi_*.flac"))
		more, _ := filepath.Glob(filepath.Join(SonicPiDir, "vinyl_*.flac"))
		files = append(files, more...)
		if len(files) == 0 {
			noiseErr = &MissingPackageError{Path: SonicPiDir + "/ambi_*.flac", Package: "sonic-pi-samples"}
			return
		}
		sort.Strings(files)
		for _, f := range files {
			x, err := DecodeAudio(f)
			if err != nil {
				noiseErr = err
				return
			}
			noiseClips = append(noiseClips, x)
		}
	})
	return noiseClips, noiseErr
}

// DecodeAudio reads any audio file sox understands (FLAC, WAV, ...) as 16 kHz mono.
func DecodeAudio(path string) ([]float64, error) {
	cmd := exec.Command("sox", path, "-r", "16000", "-c", "1", "-b", "16", "-t", "wav", "-")
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return nil, &MissingPackageError{Path: "sox", Package: "sox"}
		}
		return nil, fmt.Errorf("datasets: sox %s: %v: %s", path, err, strings.TrimSpace(stderr.String()))
	}
	x, _, err := ReadWAV(&out)
	return x, err
}

var (
	voicesOnce sync.Once
	voiceSet   map[string]bool // language voices and "+variant" names
	voicesErr  error
)

// checkVoice refuses voices espeak-ng does not have: it would silently fall back to its
// default voice, which would corrupt a dataset's speaker labels.
func checkVoice(s Speaker) error {
	voicesOnce.Do(func() {
		voiceSet = map[string]bool{}
		for _, arg := range []string{"--voices", "--voices=variant"} {
			out, err := exec.Command("espeak-ng", arg).Output()
			if err != nil {
				if errors.Is(err, exec.ErrNotFound) {
					voicesErr = &MissingPackageError{Path: "espeak-ng", Package: "espeak-ng"}
				} else {
					voicesErr = fmt.Errorf("datasets: espeak-ng %s: %w", arg, err)
				}
				return
			}
			for _, line := range strings.Split(string(out), "\n")[1:] {
				f := strings.Fields(line)
				if len(f) < 5 {
					continue
				}
				if arg == "--voices" {
					voiceSet[f[1]] = true
				} else {
					voiceSet["+"+strings.TrimPrefix(f[4], "!v/")] = true
				}
			}
		}
	})
	if voicesErr != nil {
		return voicesErr
	}
	if !voiceSet[s.Voice] {
		return fmt.Errorf("datasets: espeak-ng has no voice %q (see espeak-ng --voices)", s.Voice)
	}
	if s.Variant != "" && !voiceSet["+"+s.Variant] {
		return fmt.Errorf("datasets: espeak-ng has no voice variant %q (see espeak-ng --voices=variant)", s.Variant)
	}
	return nil
}
