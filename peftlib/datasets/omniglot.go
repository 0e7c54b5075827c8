package datasets

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"unicode"
)

// Script is one writing system of the Omniglot-like set: its name and its classes'
// label range [First, First+Count).
type Script struct {
	Name         string
	First, Count int
}

// OmniglotConfig configures OmniglotLike; zero fields take the defaults shown.
type OmniglotConfig struct {
	MinLetters, MaxLetters int      // scripts with fewer drawable letters are skipped, larger ones cut (20, 60)
	PerClass               int      // samples per character (20, as Omniglot's 20 drawers)
	Size                   int      // image side (28)
	Augment                *Augment // default: stronger than DefaultAugment, since most scripts have one or two faces
	Seed                   uint64
}

// OmniglotLike renders an Omniglot-like few-shot dataset (Lake et al. 2015 has 1,623
// characters in 50 alphabets): every Unicode script with enough letters drawable by the
// installed fonts (Noto covers most) becomes an alphabet, each letter a class. Most scripts
// have only one or two faces, so within-class variation comes from augmentation. Hold out
// whole scripts for evaluation, as Omniglot's background/evaluation split does.
func OmniglotLike(cfg OmniglotConfig) (*Images, []Script, error) {
	if cfg.MinLetters == 0 {
		cfg.MinLetters = 20
	}
	if cfg.MaxLetters == 0 {
		cfg.MaxLetters = 60
	}
	if cfg.PerClass == 0 {
		cfg.PerClass = 20
	}
	if cfg.Size == 0 {
		cfg.Size = 28
	}
	if cfg.Augment == nil {
		cfg.Augment = &Augment{Rotation: 15, Shift: 2, Scale: 0.2, Stroke: true, Noise: 0.05}
	}
	fonts, err := Fonts()
	if err != nil {
		return nil, nil, err
	}
	var scriptNames []string
	for name := range unicode.Scripts {
		if name != "Common" && name != "Inherited" && name != "Latin" && name != "Greek" && name != "Cyrillic" {
			scriptNames = append(scriptNames, name)
		}
	}
	sort.Strings(scriptNames)
	type letter struct {
		r     rune
		fonts []*Font
	}
	out := &Images{Name: "omniglot-like", H: cfg.Size, W: cfg.Size, C: 1}
	var scripts []Script
	rend := newRenderer(cfg.Size)
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x6f6d6e69))
	for _, name := range scriptNames {
		var letters []letter
		for _, rg := range unicode.Scripts[name].R16 {
			for r := rune(rg.Lo); r <= rune(rg.Hi) && len(letters) < cfg.MaxLetters; r += rune(rg.Stride) {
				if !unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) {
					continue
				}
				var fs []*Font
				for _, f := range fonts {
					if f.Covers(r) {
						fs = append(fs, f)
					}
				}
				if len(fs) > 0 {
					letters = append(letters, letter{r, fs})
				}
			}
		}
		if len(letters) < cfg.MinLetters {
			continue
		}
		scripts = append(scripts, Script{Name: name, First: len(out.ClassNames), Count: len(letters)})
		for _, l := range letters {
			label := int32(len(out.ClassNames))
			out.ClassNames = append(out.ClassNames, fmt.Sprintf("%s %c", name, l.r))
			for k := 0; k < cfg.PerClass; k++ {
				f := l.fonts[rng.IntN(len(l.fonts))]
				out.X = append(out.X, rend.render(f, l.r, *cfg.Augment, rng)...)
				out.Labels = append(out.Labels, label)
			}
		}
	}
	if len(scripts) == 0 {
		return nil, nil, &MissingPackageError{Path: FontsDir + "/truetype/noto", Package: "fonts-noto-core"}
	}
	return out, scripts, nil
}
