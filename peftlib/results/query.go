package results

import (
	"database/sql"
	"fmt"
	"strconv"

	"github.com/peftlab/peftlab/peftlib/nb"
)

// Query runs a SELECT (with ? placeholders) and returns its rows as a table for notebooks.
func (db *DB) Query(title, query string, args ...any) (*nb.Table, error) {
	rows, err := db.sql.Query(db.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("results: %w", err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, fmt.Errorf("results: %w", err)
	}
	t := &nb.Table{Title: title, Columns: cols}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("results: %w", err)
		}
		row := make([]any, len(cols))
		for i, v := range vals {
			row[i] = cell(v)
		}
		t.Rows = append(t.Rows, row)
	}
	return t, rows.Err()
}

// cell makes a database value displayable: NULL as "", bytes as text.
func cell(v any) any {
	switch x := v.(type) {
	case nil:
		return ""
	case []byte:
		if f, err := strconv.ParseFloat(string(x), 64); err == nil {
			return f
		}
		return string(x)
	case int64:
		return int(x)
	}
	return v
}

// MustQuery is Query for notebooks: it panics on error.
func (db *DB) MustQuery(title, query string, args ...any) *nb.Table {
	t, err := db.Query(title, query, args...)
	if err != nil {
		panic(err)
	}
	return t
}

// RunSummary lists a paper's runs (v_run_summary), newest first.
func (db *DB) RunSummary(paper string) (*nb.Table, error) {
	return db.Query("Runs of "+paper, `SELECT run, experiment, method, seed, scale, status, started_at, seconds, git_commit
		FROM v_run_summary WHERE paper = ? ORDER BY run DESC`, paper)
}

// LatestResults lists the final metrics of a paper's latest finished full runs.
func (db *DB) LatestResults(paper string) (*nb.Table, error) {
	return db.Query("Latest results of "+paper, `SELECT experiment, method, metric, value, run
		FROM v_latest_results WHERE paper = ? ORDER BY experiment, method, metric`, paper)
}

// PaperVsOurs lists a paper's claims beside our latest values.
func (db *DB) PaperVsOurs(paper string) (*nb.Table, error) {
	return db.Query("Paper vs ours: "+paper, `SELECT experiment, setting, metric, paper_value, our_value, unit, confidence, source
		FROM v_paper_vs_ours WHERE paper = ? ORDER BY experiment, setting, metric`, paper)
}

// FinalMetrics returns the final values of metric for each method of an experiment's latest
// finished full runs: what a notebook's results table is rebuilt from.
func (db *DB) FinalMetrics(paper, experiment, metric string) (map[string]float64, error) {
	rows, err := db.sql.Query(db.q(`SELECT method, value FROM v_latest_results WHERE paper = ? AND experiment = ? AND metric = ?`),
		paper, experiment, metric)
	if err != nil {
		return nil, fmt.Errorf("results: %w", err)
	}
	defer rows.Close()
	out := map[string]float64{}
	for rows.Next() {
		var m string
		var v float64
		if err := rows.Scan(&m, &v); err != nil {
			return nil, fmt.Errorf("results: %w", err)
		}
		out[m] = v
	}
	return out, rows.Err()
}

// Figure is the latest record of a saved figure.
type Figure struct {
	Slug, Name string
	Spec       string // JSON of nb.FigureSpec ("null" for image grids)
	Image      []byte // PNG of an image grid
	Run        sql.NullInt64
}

// LatestFigures returns, for every (slug, name) — or only those of slug if not "" — the most
// recently recorded figure.
func (db *DB) LatestFigures(slug string) ([]Figure, error) {
	query := `SELECT f.slug, f.name, f.spec, f.image, f.run FROM figure f
		WHERE f.id = (SELECT MAX(g.id) FROM figure g WHERE g.slug = f.slug AND g.name = f.name)`
	var args []any
	if slug != "" {
		query += ` AND f.slug = ?`
		args = append(args, slug)
	}
	rows, err := db.sql.Query(db.q(query+` ORDER BY f.slug, f.name`), args...)
	if err != nil {
		return nil, fmt.Errorf("results: %w", err)
	}
	defer rows.Close()
	var out []Figure
	for rows.Next() {
		var f Figure
		if err := rows.Scan(&f.Slug, &f.Name, &f.Spec, &f.Image, &f.Run); err != nil {
			return nil, fmt.Errorf("results: %w", err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}
