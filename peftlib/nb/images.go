package nb

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"path/filepath"

	"github.com/janpfeifer/gonb/gonbui"
)

// ImageGrid tiles grey images (each h×w values in [0, 1], row-major) into one picture with
// cols columns, each image scaled up by zoom and separated by a 1-pixel border.
func ImageGrid(images [][]float32, h, w, cols, zoom int) *image.Gray {
	if len(images) == 0 || cols <= 0 || zoom <= 0 {
		panic(fmt.Sprintf("nb: ImageGrid needs images (got %d), cols > 0 (%d) and zoom > 0 (%d)", len(images), cols, zoom))
	}
	rows := (len(images) + cols - 1) / cols
	cw, ch := w*zoom+1, h*zoom+1
	img := image.NewGray(image.Rect(0, 0, cols*cw+1, rows*ch+1))
	for i := range img.Pix {
		img.Pix[i] = 128
	}
	for k, im := range images {
		if len(im) != h*w {
			panic(fmt.Sprintf("nb: image %d has %d values, want %d×%d", k, len(im), h, w))
		}
		x0, y0 := (k%cols)*cw+1, (k/cols)*ch+1
		for y := 0; y < h*zoom; y++ {
			for x := 0; x < w*zoom; x++ {
				v := min(max(im[(y/zoom)*w+x/zoom], 0), 1)
				img.SetGray(x0+x, y0+y, color.Gray{Y: uint8(255 - 255*v)})
			}
		}
	}
	return img
}

// SaveImage writes img as figures/<slug>/<name>.png (name made safe by FileName) and shows
// it in a notebook.
func SaveImage(slug, name string, img image.Image) (string, error) {
	name = FileName(name)
	dir, err := FigureDir(slug)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return "", fmt.Errorf("nb: encoding %s/%s.png: %w", slug, name, err)
	}
	path := filepath.Join(dir, name+".png")
	if err := WriteFileAtomic(path, buf.Bytes()); err != nil {
		return "", err
	}
	if SaveHook != nil {
		SaveHook(slug, name, nil, buf.Bytes())
	}
	if InNotebook() {
		display(func() { gonbui.DisplayPNG(buf.Bytes()) })
	} else {
		fmt.Printf("figure saved: %s\n", path)
	}
	return path, nil
}

// MustSaveImage is SaveImage for notebooks: it panics on error.
func MustSaveImage(slug, name string, img image.Image) { must(SaveImage(slug, name, img)) }
