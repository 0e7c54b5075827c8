package nb

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"path/filepath"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/peftlab/peftlab/peftlib/internal/atomicfile"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// NewPlot returns a gonum plot with peftlab's defaults: title, axis labels, a light grid and
// the legend in the top-left corner. Add series with Line, Scatter, or any gonum plotter.
func NewPlot(title, xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	p.Legend.Top = true
	p.Legend.Left = true
	grid := plotter.NewGrid()
	grid.Vertical.Color = color.Gray{Y: 225}
	grid.Horizontal.Color = color.Gray{Y: 225}
	p.Add(grid)
	registerSpec(p, &PanelSpec{Title: title, XLabel: xLabel, YLabel: yLabel})
	return p
}

// Color returns the i-th colour of peftlab's palette (gonum's plotutil palette).
func Color(i int) color.Color { return plotutil.Color(i) }

func xys(xs, ys []float64) plotter.XYs {
	if len(xs) != len(ys) {
		panic(fmt.Sprintf("nb: %d x values but %d y values", len(xs), len(ys)))
	}
	pts := make(plotter.XYs, 0, len(xs))
	for i := range xs {
		if !math.IsNaN(ys[i]) && !math.IsInf(ys[i], 0) && !math.IsNaN(xs[i]) {
			pts = append(pts, plotter.XY{X: xs[i], Y: ys[i]})
		}
	}
	return pts
}

// Line adds a line series in colour index i; NaN and infinite points are skipped.
func Line(p *plot.Plot, i int, label string, xs, ys []float64) *plotter.Line {
	l, err := plotter.NewLine(xys(xs, ys))
	if err != nil {
		panic(fmt.Sprintf("nb: line %q: %v", label, err))
	}
	l.Color = Color(i)
	l.Width = vg.Points(1.5)
	p.Add(l)
	addSeries(p, SeriesSpec{Kind: "line", Label: label, Color: i, X: xs, Y: ys})
	if label != "" {
		p.Legend.Add(label, l)
	}
	return l
}

// Scatter adds a scatter series in colour index i; NaN and infinite points are skipped.
func Scatter(p *plot.Plot, i int, label string, xs, ys []float64) *plotter.Scatter {
	s, err := plotter.NewScatter(xys(xs, ys))
	if err != nil {
		panic(fmt.Sprintf("nb: scatter %q: %v", label, err))
	}
	s.Color = Color(i)
	s.Shape = plotutil.Shape(i)
	s.Radius = vg.Points(2.5)
	p.Add(s)
	addSeries(p, SeriesSpec{Kind: "scatter", Label: label, Color: i, X: xs, Y: ys})
	if label != "" {
		p.Legend.Add(label, s)
	}
	return s
}

// Size of a single figure panel.
var (
	PanelWidth  = 5 * vg.Inch
	PanelHeight = 3.5 * vg.Inch
)

// Save writes the plot as figures/<slug>/<name>.png and .svg under the checkout and shows
// it in a notebook. It returns the PNG path.
func Save(slug, name string, p *plot.Plot) (string, error) {
	return SaveGrid(slug, name, [][]*plot.Plot{{p}})
}

// SaveGrid is Save for a grid of panels (rows of plots; nil leaves a panel empty).
func SaveGrid(slug, name string, rows [][]*plot.Plot) (string, error) {
	name = FileName(name)
	dir, err := FigureDir(slug)
	if err != nil {
		return "", err
	}
	nRows, nCols := len(rows), 0
	for _, r := range rows {
		nCols = max(nCols, len(r))
	}
	if nRows == 0 || nCols == 0 {
		return "", fmt.Errorf("nb: figure %s/%s has no panels", slug, name)
	}
	w, h := PanelWidth*vg.Length(nCols), PanelHeight*vg.Length(nRows)
	render := func(c draw.Canvas) {
		tiles := draw.Tiles{Rows: nRows, Cols: nCols, PadX: vg.Millimeter * 4, PadY: vg.Millimeter * 4,
			PadTop: vg.Millimeter * 2, PadBottom: vg.Millimeter * 2, PadLeft: vg.Millimeter * 2, PadRight: vg.Millimeter * 2}
		for i, r := range rows {
			for j, p := range r {
				if p != nil {
					p.Draw(tiles.At(c, j, i))
				}
			}
		}
	}
	png := vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(110), vgimg.UseBackgroundColor(color.White))}
	render(draw.New(png))
	var pngBuf bytes.Buffer
	if _, err := png.WriteTo(&pngBuf); err != nil {
		return "", fmt.Errorf("nb: rendering %s/%s.png: %w", slug, name, err)
	}
	svg := vgsvg.New(w, h)
	render(draw.New(svg))
	var svgBuf bytes.Buffer
	if _, err := svg.WriteTo(&svgBuf); err != nil {
		return "", fmt.Errorf("nb: rendering %s/%s.svg: %w", slug, name, err)
	}
	pngPath := filepath.Join(dir, name+".png")
	if err := WriteFileAtomic(pngPath, pngBuf.Bytes()); err != nil {
		return "", err
	}
	if err := WriteFileAtomic(filepath.Join(dir, name+".svg"), svgBuf.Bytes()); err != nil {
		return "", err
	}
	if SaveHook != nil {
		SaveHook(slug, name, describe(slug, name, rows), nil)
	}
	if InNotebook() {
		display(func() { gonbui.DisplayPNG(pngBuf.Bytes()) })
	} else {
		fmt.Printf("figure saved: %s\n", pngPath)
	}
	return pngPath, nil
}

// MustSave is Save for notebooks: it panics on error.
func MustSave(slug, name string, p *plot.Plot) { must(Save(slug, name, p)) }

// MustSaveGrid is SaveGrid for notebooks: it panics on error.
func MustSaveGrid(slug, name string, rows [][]*plot.Plot) { must(SaveGrid(slug, name, rows)) }

func must(_ string, err error) {
	if err != nil {
		panic(err)
	}
}

// WriteFileAtomic writes data to a temporary file next to path and renames it into place,
// so readers never see a half-written file, even after a crash.
func WriteFileAtomic(path string, data []byte) error {
	if err := atomicfile.Write(path, data); err != nil {
		return fmt.Errorf("nb: %w", err)
	}
	return nil
}

// LabelledPoints adds points with a text label next to each, for plots where a legend of
// many series would be unreadable (e.g. one point per method).
func LabelledPoints(p *plot.Plot, xs, ys []float64, labels []string) {
	if len(xs) != len(ys) || len(xs) != len(labels) {
		panic(fmt.Sprintf("nb: %d x, %d y and %d labels", len(xs), len(ys), len(labels)))
	}
	pts := make(plotter.XYs, len(xs))
	for i := range xs {
		pts[i] = plotter.XY{X: xs[i], Y: ys[i]}
	}
	s, err := plotter.NewScatter(pts)
	if err != nil {
		panic(fmt.Sprintf("nb: labelled points: %v", err))
	}
	s.Color = Color(0)
	s.Radius = vg.Points(3)
	p.Add(s)
	l, err := plotter.NewLabels(plotter.XYLabels{XYs: pts, Labels: labels})
	if err != nil {
		panic(fmt.Sprintf("nb: labelled points: %v", err))
	}
	for i := range l.TextStyle {
		l.TextStyle[i].Font.Size = vg.Points(8)
		l.TextStyle[i].XAlign = -0.0
		l.TextStyle[i].YAlign = -0.5
	}
	l.Offset = vg.Point{X: vg.Points(5)}
	p.Add(l)
	addSeries(p, SeriesSpec{Kind: "labelled", X: xs, Y: ys, Labels: append([]string(nil), labels...)})
}

// Bars adds a bar chart with one bar per name (the x axis becomes nominal), in colour 0.
func Bars(p *plot.Plot, names []string, values []float64) *plotter.BarChart {
	if len(names) != len(values) {
		panic(fmt.Sprintf("nb: %d names for %d values", len(names), len(values)))
	}
	b, err := plotter.NewBarChart(plotter.Values(values), vg.Points(18))
	if err != nil {
		panic(fmt.Sprintf("nb: bars: %v", err))
	}
	b.Color = Color(0)
	b.LineStyle.Width = 0
	p.Add(b)
	p.NominalX(names...)
	addSeries(p, SeriesSpec{Kind: "bars", Y: values, Labels: append([]string(nil), names...)})
	return b
}
