package nb

import (
	"fmt"
	"sync"

	"gonum.org/v1/plot"
)

// FigureSpec is the data and layout of a saved figure: enough to redraw it without the
// notebook (see peftlib/results and cmd/figures). Only plots made with NewPlot and series
// added with Line, Scatter, Bars and LabelledPoints are described.
type FigureSpec struct {
	Slug, Name        string
	PanelWidthPoints  float64
	PanelHeightPoints float64
	Panels            [][]*PanelSpec // rows of panels (nil: an empty cell)
}

// PanelSpec describes one plot.
type PanelSpec struct {
	Title, XLabel, YLabel  string
	XLog, YLog             bool
	XMin, XMax, YMin, YMax float64 // the axes' ranges when the figure was saved
	LegendLeft, LegendTop  bool
	Nominal                []string // nominal x labels (bar charts)
	Series                 []SeriesSpec
}

// SeriesSpec is one series of a panel.
type SeriesSpec struct {
	Kind   string // "line", "scatter", "bars", "labelled"
	Label  string
	Color  int
	X, Y   []float64
	Labels []string `json:",omitempty"`
}

var (
	specsMu sync.Mutex
	specs   = map[*plot.Plot]*PanelSpec{}
)

func specOf(p *plot.Plot) *PanelSpec {
	specsMu.Lock()
	defer specsMu.Unlock()
	return specs[p]
}

func registerSpec(p *plot.Plot, s *PanelSpec) {
	specsMu.Lock()
	defer specsMu.Unlock()
	specs[p] = s
}

func addSeries(p *plot.Plot, s SeriesSpec) {
	if ps := specOf(p); ps != nil {
		s.X, s.Y = append([]float64(nil), s.X...), append([]float64(nil), s.Y...)
		ps.Series = append(ps.Series, s)
	}
}

// describe returns the spec of a grid of plots at save time (axis scales and limits are read
// from the plots then); panels not made with NewPlot are nil.
func describe(slug, name string, rows [][]*plot.Plot) *FigureSpec {
	fs := &FigureSpec{Slug: slug, Name: name, PanelWidthPoints: float64(PanelWidth.Points()), PanelHeightPoints: float64(PanelHeight.Points())}
	for _, r := range rows {
		var row []*PanelSpec
		for _, p := range r {
			ps := (*PanelSpec)(nil)
			if p != nil {
				if s := specOf(p); s != nil {
					c := *s
					_, c.XLog = p.X.Scale.(plot.LogScale)
					_, c.YLog = p.Y.Scale.(plot.LogScale)
					c.LegendLeft, c.LegendTop = p.Legend.Left, p.Legend.Top
					c.XMin, c.XMax, c.YMin, c.YMax = p.X.Min, p.X.Max, p.Y.Min, p.Y.Max
					ps = &c
				}
			}
			row = append(row, ps)
		}
		fs.Panels = append(fs.Panels, row)
	}
	return fs
}

// Redraw rebuilds the plots of a spec with NewPlot and the series functions.
func Redraw(fs *FigureSpec) ([][]*plot.Plot, error) {
	var rows [][]*plot.Plot
	for _, r := range fs.Panels {
		var row []*plot.Plot
		for _, ps := range r {
			if ps == nil {
				row = append(row, nil)
				continue
			}
			p := NewPlot(ps.Title, ps.XLabel, ps.YLabel)
			for _, s := range ps.Series {
				switch s.Kind {
				case "line":
					Line(p, s.Color, s.Label, s.X, s.Y)
				case "scatter":
					Scatter(p, s.Color, s.Label, s.X, s.Y)
				case "bars":
					Bars(p, s.Labels, s.Y)
				case "labelled":
					LabelledPoints(p, s.X, s.Y, s.Labels)
				default:
					return nil, fmt.Errorf("nb: figure %s/%s: unknown series kind %q", fs.Slug, fs.Name, s.Kind)
				}
			}
			if ps.XLog {
				p.X.Scale = plot.LogScale{}
				p.X.Tick.Marker = plot.LogTicks{Prec: -1}
			}
			if ps.YLog {
				p.Y.Scale = plot.LogScale{}
				p.Y.Tick.Marker = plot.LogTicks{Prec: -1}
			}
			p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = ps.XMin, ps.XMax, ps.YMin, ps.YMax
			p.Legend.Left, p.Legend.Top = ps.LegendLeft, ps.LegendTop
			row = append(row, p)
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// SaveHook, if set, is called after every figure is saved: with the figure's spec (plots)
// or its PNG (images). Linking peftlib/results in sets it, so figures can be redrawn from the
// database; GoNB drops a cell's unused imports, so notebooks import results blank as well.
var SaveHook func(slug, name string, spec *FigureSpec, png []byte)
