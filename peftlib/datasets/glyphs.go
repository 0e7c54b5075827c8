package datasets

import (
	"fmt"
	"image"
	"image/draw"
	"math"
	"math/rand/v2"
	"sort"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// GlyphClass is one class of a glyph dataset: one character, or several characters that
// look the same (Latin A, Greek Α, Cyrillic А) merged.
type GlyphClass struct {
	Name  string
	Runes []rune
}

// lookAlikes are Latin/Greek/Cyrillic characters drawn the same in most fonts; each group
// becomes one class, so the accuracy ceiling stays at 100%.
var lookAlikes = [][]rune{
	{'A', 'Α', 'А'}, {'B', 'Β', 'В'}, {'C', 'С'}, {'E', 'Ε', 'Е'}, {'H', 'Η', 'Н'}, {'I', 'Ι'},
	{'K', 'Κ', 'К'}, {'M', 'Μ', 'М'}, {'N', 'Ν'}, {'O', 'Ο', 'О'}, {'P', 'Ρ', 'Р'}, {'T', 'Τ', 'Т'},
	{'X', 'Χ', 'Х'}, {'Y', 'Υ'}, {'Z', 'Ζ'}, {'a', 'а'}, {'c', 'с'}, {'e', 'е'}, {'o', 'ο', 'о'},
	{'p', 'р'}, {'x', 'х'}, {'y', 'у'},
}

// LGCClasses are the Latin, Greek and Cyrillic letters and the digits (A–Z, a–z, 0–9, Α–Ω,
// α–ω, А–Я, а–я: 175 characters) with look-alikes merged.
func LGCClasses() []GlyphClass {
	var runes []rune
	add := func(lo, hi rune) {
		for r := lo; r <= hi; r++ {
			if r != 0x3A2 { // the unassigned slot among the Greek capitals
				runes = append(runes, r)
			}
		}
	}
	add('A', 'Z')
	add('a', 'z')
	add('0', '9')
	add('Α', 'Ω')
	add('α', 'ω')
	add('А', 'Я')
	add('а', 'я')
	merged := map[rune]int{}
	var classes []GlyphClass
	for _, g := range lookAlikes {
		for _, r := range g {
			merged[r] = len(classes)
		}
		classes = append(classes, GlyphClass{Name: string(g), Runes: g})
	}
	for _, r := range runes {
		if _, ok := merged[r]; !ok {
			classes = append(classes, GlyphClass{Name: string(r), Runes: []rune{r}})
		}
	}
	sort.Slice(classes, func(i, j int) bool { return classes[i].Runes[0] < classes[j].Runes[0] })
	return classes
}

// Augment sets the per-sample random distortions of rendered glyphs.
type Augment struct {
	Rotation float64 // maximum rotation, degrees
	Shift    float64 // maximum translation, pixels
	Scale    float64 // maximum relative size change
	Stroke   bool    // randomly thicken or thin strokes by one pixel
	Noise    float64 // standard deviation of added Gaussian noise
}

// DefaultAugment is a moderate distortion for 28×28 glyphs.
var DefaultAugment = Augment{Rotation: 10, Shift: 2, Scale: 0.12, Stroke: true, Noise: 0.05}

// GlyphConfig configures Glyphs; zero fields take the defaults shown.
type GlyphConfig struct {
	Classes      []GlyphClass // default LGCClasses()
	Size         int          // image side in pixels, default 28
	TrainPer     int          // training samples per class, default 40
	TestPer      int          // test samples per class, default 10
	TestFamilies float64      // fraction of font families held out for the test split, default 0.25
	Augment      *Augment     // default &DefaultAugment; &Augment{} for clean renders
	Seed         uint64
}

// Glyphs renders a glyph-classification dataset from the installed fonts: each sample is a
// class's character in a random face, randomly distorted. The test split uses only font
// families that the training split never sees (font-disjoint), so it measures
// generalisation to new type designs. Only faces covering every class are used.
func Glyphs(cfg GlyphConfig) (trainSet, testSet *Images, err error) {
	if cfg.Classes == nil {
		cfg.Classes = LGCClasses()
	}
	if cfg.Size == 0 {
		cfg.Size = 28
	}
	if cfg.TrainPer == 0 {
		cfg.TrainPer = 40
	}
	if cfg.TestPer == 0 {
		cfg.TestPer = 10
	}
	if cfg.TestFamilies == 0 {
		cfg.TestFamilies = 0.25
	}
	if cfg.Augment == nil {
		cfg.Augment = &DefaultAugment
	}
	if cfg.TestFamilies <= 0 || cfg.TestFamilies >= 1 {
		return nil, nil, fmt.Errorf("datasets: TestFamilies %g must be in (0, 1)", cfg.TestFamilies)
	}
	fonts, err := Fonts()
	if err != nil {
		return nil, nil, err
	}
	var covering []*Font
	for _, f := range fonts {
		ok := true
		for _, c := range cfg.Classes {
			if !f.Covers(c.Runes[0]) {
				ok = false
				break
			}
		}
		if ok {
			covering = append(covering, f)
		}
	}
	families := map[string][]*Font{}
	var names []string
	for _, f := range covering {
		if _, ok := families[f.Family]; !ok {
			names = append(names, f.Family)
		}
		families[f.Family] = append(families[f.Family], f)
	}
	if len(names) < 2 {
		return nil, nil, fmt.Errorf("datasets: only %d font families cover the %d glyph classes; install fonts-dejavu fonts-liberation fonts-freefont-ttf fonts-noto-core fonts-urw-base35",
			len(names), len(cfg.Classes))
	}
	sort.Strings(names)
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x676c7970))
	rng.Shuffle(len(names), func(i, j int) { names[i], names[j] = names[j], names[i] })
	nTest := max(1, int(math.Round(cfg.TestFamilies*float64(len(names)))))
	pick := func(fams []string) []*Font {
		var out []*Font
		for _, n := range fams {
			out = append(out, families[n]...)
		}
		return out
	}
	classNames := make([]string, len(cfg.Classes))
	for i, c := range cfg.Classes {
		classNames[i] = c.Name
	}
	r := newRenderer(cfg.Size)
	build := func(name string, faces []*Font, per int, seed uint64) *Images {
		rng := rand.New(rand.NewPCG(seed, cfg.Seed))
		out := &Images{Name: name, H: cfg.Size, W: cfg.Size, C: 1, ClassNames: classNames}
		for ci, c := range cfg.Classes {
			for k := 0; k < per; k++ {
				f := faces[rng.IntN(len(faces))]
				ch := c.Runes[rng.IntN(len(c.Runes))]
				if !f.Covers(ch) {
					ch = c.Runes[0]
				}
				out.X = append(out.X, r.render(f, ch, *cfg.Augment, rng)...)
				out.Labels = append(out.Labels, int32(ci))
			}
		}
		return out
	}
	trainSet = build("glyphs-train", pick(names[nTest:]), cfg.TrainPer, 1)
	testSet = build("glyphs-test", pick(names[:nTest]), cfg.TestPer, 2)
	return trainSet, testSet, nil
}

// renderer draws glyphs with a fixed baseline and em size, so upper and lower case keep
// their relative sizes, and caches font faces by size.
type renderer struct {
	size   int
	faces  map[faceKey]font.Face
	canvas *image.Gray
}

type faceKey struct {
	f    *Font
	size int
}

func newRenderer(size int) *renderer {
	return &renderer{size: size, faces: map[faceKey]font.Face{}, canvas: image.NewGray(image.Rect(0, 0, 2*size, 2*size))}
}

func (r *renderer) face(f *Font, px int) font.Face {
	k := faceKey{f, px}
	if face, ok := r.faces[k]; ok {
		return face
	}
	face, err := opentype.NewFace(f.font, &opentype.FaceOptions{Size: float64(px), DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		panic(fmt.Sprintf("datasets: face %s at %dpx: %v", f.Face, px, err))
	}
	r.faces[k] = face
	return face
}

// render returns a size×size glyph image with values in [0, 1] (1 = ink).
func (r *renderer) render(f *Font, ch rune, aug Augment, rng *rand.Rand) []float32 {
	s := r.size
	// Draw at twice the resolution on a canvas, baseline at 80% of the height.
	px := int(math.Round(1.5 * float64(s) * (1 + aug.Scale*(2*rng.Float64()-1))))
	face := r.face(f, px)
	draw.Draw(r.canvas, r.canvas.Bounds(), image.Black, image.Point{}, draw.Src)
	bounds, _ := font.BoundString(face, string(ch))
	width := (bounds.Max.X - bounds.Min.X).Ceil()
	x := (2*s-width)/2 - bounds.Min.X.Floor()
	d := &font.Drawer{Dst: r.canvas, Src: image.White, Face: face, Dot: fixed.P(x, int(0.78*float64(2*s)))}
	d.DrawString(string(ch))
	// Inverse-map each output pixel through rotation, scale and shift, sampling bilinearly.
	theta := aug.Rotation * math.Pi / 180 * (2*rng.Float64() - 1)
	dx, dy := aug.Shift*(2*rng.Float64()-1), aug.Shift*(2*rng.Float64()-1)
	cos, sin := math.Cos(theta), math.Sin(theta)
	out := make([]float32, s*s)
	c := float64(s-1) / 2
	for y := 0; y < s; y++ {
		for xo := 0; xo < s; xo++ {
			u, v := float64(xo)-c-dx, float64(y)-c-dy
			sx, sy := cos*u+sin*v, -sin*u+cos*v
			out[y*s+xo] = r.sample(2*(sx+c)+0.5, 2*(sy+c)+0.5)
		}
	}
	// Light faces give faint strokes after resampling: stretch the contrast to full ink.
	var peak float32
	for _, v := range out {
		peak = max(peak, v)
	}
	if peak > 0.05 {
		for i := range out {
			out[i] = min(1, out[i]/peak)
		}
	}
	if aug.Stroke {
		switch rng.IntN(3) {
		case 0:
			out = morph(out, s, true)
		case 1:
			// Thin only strokes thick enough to survive it.
			if thin := morph(out, s, false); inkOf(thin) > 0.4*inkOf(out) {
				out = thin
			}
		}
	}
	if aug.Noise > 0 {
		for i := range out {
			out[i] = float32(math.Min(1, math.Max(0, float64(out[i])+aug.Noise*rng.NormFloat64())))
		}
	}
	return out
}

// sample reads the 2×-resolution canvas at (x, y) with a 2×2 box filter and bilinear weights.
func (r *renderer) sample(x, y float64) float32 {
	at := func(i, j int) float64 {
		if i < 0 || j < 0 || i >= 2*r.size || j >= 2*r.size {
			return 0
		}
		return float64(r.canvas.GrayAt(i, j).Y) / 255
	}
	x0, y0 := math.Floor(x-0.5), math.Floor(y-0.5)
	fx, fy := x-0.5-x0, y-0.5-y0
	i, j := int(x0), int(y0)
	v := (1-fx)*(1-fy)*at(i, j) + fx*(1-fy)*at(i+1, j) + (1-fx)*fy*at(i, j+1) + fx*fy*at(i+1, j+1)
	return float32(v)
}

// morph dilates (thicker strokes) or erodes (thinner) a grey image with a 3×3 cross.
func morph(img []float32, s int, dilate bool) []float32 {
	out := make([]float32, len(img))
	for y := 0; y < s; y++ {
		for x := 0; x < s; x++ {
			v := img[y*s+x]
			for _, d := range [4][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}} {
				xx, yy := x+d[0], y+d[1]
				n := float32(0)
				if xx >= 0 && yy >= 0 && xx < s && yy < s {
					n = img[yy*s+xx]
				}
				if dilate {
					v = max(v, n)
				} else {
					v = min(v, n)
				}
			}
			out[y*s+x] = v
		}
	}
	return out
}

func inkOf(img []float32) float64 {
	var s float64
	for _, v := range img {
		s += float64(v)
	}
	return s
}
