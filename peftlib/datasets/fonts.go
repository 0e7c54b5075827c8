package datasets

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
)

// FontsDir is where Debian's font packages install their files.
var FontsDir = "/usr/share/fonts"

// Font is one parsed font face.
type Font struct {
	Path   string
	Family string // e.g. "DejaVu Sans"
	Face   string // full name, e.g. "DejaVu Sans Bold"
	font   *opentype.Font
}

// Covers reports whether the face has a glyph for every rune.
func (f *Font) Covers(runes ...rune) bool {
	var buf sfnt.Buffer
	for _, r := range runes {
		if i, err := f.font.GlyphIndex(&buf, r); err != nil || i == 0 {
			return false
		}
	}
	return true
}

var (
	fontsOnce sync.Once
	fontsList []*Font
	fontsErr  error
)

// Fonts parses every TrueType/OpenType face under FontsDir (once per process), sorted by
// face name. Collections (.ttc) contribute each of their faces.
func Fonts() ([]*Font, error) {
	fontsOnce.Do(func() { fontsList, fontsErr = loadFonts(FontsDir) })
	return fontsList, fontsErr
}

func loadFonts(dir string) ([]*Font, error) {
	var out []*Font
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		ext := strings.ToLower(filepath.Ext(path))
		if ext != ".ttf" && ext != ".otf" && ext != ".ttc" {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil
		}
		var faces []*opentype.Font
		if ext == ".ttc" {
			c, err := opentype.ParseCollection(data)
			if err != nil {
				return nil
			}
			for i := 0; i < c.NumFonts(); i++ {
				if f, err := c.Font(i); err == nil {
					faces = append(faces, f)
				}
			}
		} else if f, err := opentype.Parse(data); err == nil {
			faces = append(faces, f)
		}
		for _, f := range faces {
			var buf sfnt.Buffer
			family, _ := f.Name(&buf, sfnt.NameIDFamily)
			full, _ := f.Name(&buf, sfnt.NameIDFull)
			if family == "" {
				family = strings.TrimSuffix(filepath.Base(path), ext)
			}
			if full == "" {
				full = family
			}
			out = append(out, &Font{Path: path, Family: family, Face: full, font: f})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("datasets: reading fonts: %w", err)
	}
	if len(out) == 0 {
		return nil, &MissingPackageError{Path: dir + "/**/*.ttf", Package: "fonts-dejavu fonts-liberation fonts-freefont-ttf fonts-noto-core fonts-urw-base35"}
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Face < out[j].Face || (out[i].Face == out[j].Face && out[i].Path < out[j].Path)
	})
	return out, nil
}
