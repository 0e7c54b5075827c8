package nb

import (
	"fmt"
	"html"
	"io"
	"math"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/janpfeifer/gonb/gonbui"
)

// Table is a results table: a title, column names and rows of cells.
// Cells may be strings, integers, floats (printed with 4 significant digits; NaN as "–")
// or anything with a String method.
type Table struct {
	Title   string
	Columns []string
	Rows    [][]any
	Note    string // printed under the table, e.g. where the paper's numbers come from.
}

// AddRow appends one row; it panics if the row has the wrong number of cells.
func (t *Table) AddRow(cells ...any) {
	if len(t.Columns) > 0 && len(cells) != len(t.Columns) {
		panic(fmt.Sprintf("nb: table %q has %d columns, row has %d cells", t.Title, len(t.Columns), len(cells)))
	}
	t.Rows = append(t.Rows, cells)
}

// FormatCell formats one table cell.
func FormatCell(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		if math.IsNaN(x) {
			return "–"
		}
		return fmt.Sprintf("%.4g", x)
	case float32:
		return FormatCell(float64(x))
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}

func (t *Table) cells() [][]string {
	out := make([][]string, len(t.Rows))
	for i, row := range t.Rows {
		out[i] = make([]string, len(row))
		for j, c := range row {
			out[i][j] = FormatCell(c)
		}
	}
	return out
}

// String renders the table as aligned plain text; numbers are right-aligned.
func (t *Table) String() string {
	cells := t.cells()
	widths := make([]int, len(t.Columns))
	for j, c := range t.Columns {
		widths[j] = utf8.RuneCountInString(c)
	}
	for _, row := range cells {
		for j, c := range row {
			if j < len(widths) && utf8.RuneCountInString(c) > widths[j] {
				widths[j] = utf8.RuneCountInString(c)
			}
		}
	}
	var b strings.Builder
	if t.Title != "" {
		b.WriteString(t.Title + "\n")
	}
	line := func(row []string, rightAlign func(j int) bool) {
		var l strings.Builder
		for j, c := range row {
			pad := strings.Repeat(" ", widths[j]-utf8.RuneCountInString(c))
			if j > 0 {
				l.WriteString("  ")
			}
			if rightAlign(j) {
				l.WriteString(pad + c)
			} else {
				l.WriteString(c + pad)
			}
		}
		b.WriteString(strings.TrimRight(l.String(), " ") + "\n")
	}
	numericColumn := func(j int) bool { return len(t.Rows) > 0 && j < len(t.Rows[0]) && isNumber(t.Rows[0][j]) }
	line(t.Columns, numericColumn)
	sep := make([]string, len(widths))
	for j, w := range widths {
		sep[j] = strings.Repeat("-", w)
	}
	line(sep, func(int) bool { return false })
	for i, row := range cells {
		line(row, func(j int) bool { return isNumber(t.Rows[i][j]) })
	}
	if t.Note != "" {
		b.WriteString(t.Note + "\n")
	}
	return b.String()
}

func isNumber(v any) bool {
	switch v.(type) {
	case int, int32, int64, float32, float64:
		return true
	}
	return false
}

// HTML renders the table for a notebook.
func (t *Table) HTML() string {
	var b strings.Builder
	b.WriteString(`<table style="border-collapse:collapse;font-family:monospace">`)
	if t.Title != "" {
		fmt.Fprintf(&b, `<caption style="text-align:left;font-weight:bold">%s</caption>`, html.EscapeString(t.Title))
	}
	b.WriteString("<tr>")
	for _, c := range t.Columns {
		fmt.Fprintf(&b, `<th style="border-bottom:1px solid #888;padding:2px 8px">%s</th>`, html.EscapeString(c))
	}
	b.WriteString("</tr>")
	for i, row := range t.cells() {
		b.WriteString("<tr>")
		for j, c := range row {
			align := "left"
			if isNumber(t.Rows[i][j]) {
				align = "right"
			}
			fmt.Fprintf(&b, `<td style="padding:2px 8px;text-align:%s">%s</td>`, align, html.EscapeString(c))
		}
		b.WriteString("</tr>")
	}
	b.WriteString("</table>")
	if t.Note != "" {
		fmt.Fprintf(&b, `<p style="font-size:smaller">%s</p>`, html.EscapeString(t.Note))
	}
	return b.String()
}

// Show displays the table: HTML in a notebook, aligned text on stdout elsewhere.
func (t *Table) Show() { t.ShowTo(os.Stdout) }

// ShowTo is Show with the plain-text output going to w.
func (t *Table) ShowTo(w io.Writer) {
	if InNotebook() {
		display(func() { gonbui.DisplayHTML(t.HTML()) })
		return
	}
	fmt.Fprint(w, t.String())
}

func nan() float64 { return math.NaN() }
