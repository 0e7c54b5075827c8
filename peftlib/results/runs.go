package results

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"syscall"
	"time"
)

// Paper describes a reproduced paper.
type Paper struct{ Slug, Title, Authors, Venue, URL string }

// AddPaper records a paper, or updates its description.
func (db *DB) AddPaper(p Paper) error {
	if p.Slug == "" {
		return errors.New("results: a paper needs a slug")
	}
	_, err := db.sql.Exec(db.q(`INSERT INTO paper (slug, title, authors, venue, url) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (slug) DO UPDATE SET title = excluded.title, authors = excluded.authors,
		venue = excluded.venue, url = excluded.url`), p.Slug, p.Title, p.Authors, p.Venue, p.URL)
	if err != nil {
		return fmt.Errorf("results: adding paper %s: %w", p.Slug, err)
	}
	return nil
}

// Claim is a number a paper reports, with where it comes from and how sure we are of it.
type Claim struct {
	Paper, Experiment, Setting, Metric string
	Value                              float64
	Unit, Source                       string
	Confidence                         string // code, abs, mem, review, infer, summary page, paper
}

// AddClaims records claims in one transaction. Recording the same claim again is a no-op;
// a different value for an existing claim is an error (claims are never overwritten).
func (db *DB) AddClaims(claims ...Claim) error {
	return db.tx(func(tx *sql.Tx) error {
		for _, c := range claims {
			if _, err := tx.Exec(db.q(`INSERT INTO paper (slug) VALUES (?) ON CONFLICT (slug) DO NOTHING`), c.Paper); err != nil {
				return fmt.Errorf("results: %w", err)
			}
			var old float64
			err := tx.QueryRow(db.q(`SELECT value FROM claim WHERE paper = ? AND experiment = ? AND setting = ? AND metric = ?`),
				c.Paper, c.Experiment, c.Setting, c.Metric).Scan(&old)
			if err == nil {
				if old != c.Value {
					return fmt.Errorf("results: claim %s/%s/%s/%s is recorded as %g, not %g: claims are never overwritten",
						c.Paper, c.Experiment, c.Setting, c.Metric, old, c.Value)
				}
				continue
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("results: %w", err)
			}
			if _, err := tx.Exec(db.q(`INSERT INTO claim (paper, experiment, setting, metric, value, unit, source, confidence)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`), c.Paper, c.Experiment, c.Setting, c.Metric, c.Value, c.Unit, c.Source, c.Confidence); err != nil {
				return fmt.Errorf("results: claim %s/%s/%s/%s: %w", c.Paper, c.Experiment, c.Setting, c.Metric, err)
			}
		}
		return nil
	})
}

// Dataset identifies the data a run used.
type Dataset struct {
	Name, Version string
	Params        any // JSON-encodable generator parameters
}

// RunSpec describes a run to start.
type RunSpec struct {
	Paper, Experiment string // the experiment is created if new
	Method            string
	Config            any    // a JSON object (struct or map); nil is {}
	Seed              *int64 // nil: the run has no seed (listed by the acceptance query)
	Dataset           *Dataset
	Notebook          string
	Scale             string // "smoke" or "full"; "" reads PEFTLAB_SCALE
	Backend, Device   string // "" records "unknown"
}

// Run is a run being recorded.
type Run struct {
	ID   int64
	db   *DB
	done bool
}

// StartRun records a new run as "running", with its environment and git commit.
func (db *DB) StartRun(spec RunSpec) (*Run, error) {
	if spec.Paper == "" || spec.Experiment == "" || spec.Method == "" {
		return nil, errors.New("results: a run needs a paper, an experiment and a method")
	}
	config, flat, err := flattenConfig(spec.Config)
	if err != nil {
		return nil, err
	}
	if spec.Scale == "" {
		spec.Scale = os.Getenv("PEFTLAB_SCALE")
		if spec.Scale == "" {
			spec.Scale = "full"
		}
	}
	if spec.Scale != "smoke" && spec.Scale != "full" {
		return nil, fmt.Errorf("results: scale %q: use smoke or full", spec.Scale)
	}
	r := &Run{db: db}
	err = db.tx(func(tx *sql.Tx) error {
		if _, err := tx.Exec(db.q(`INSERT INTO paper (slug) VALUES (?) ON CONFLICT (slug) DO NOTHING`), spec.Paper); err != nil {
			return err
		}
		exp, err := db.upsertID(tx, `SELECT id FROM experiment WHERE paper = ? AND name = ?`,
			`INSERT INTO experiment (paper, name) VALUES (?, ?)`, spec.Paper, spec.Experiment)
		if err != nil {
			return err
		}
		env := environment(spec)
		envID, err := db.upsertID(tx, `SELECT id FROM environment WHERE go_version = ? AND gomlx_version = ? AND backend = ? AND device = ? AND cpus = ? AND host = ?`,
			`INSERT INTO environment (go_version, gomlx_version, backend, device, cpus, host) VALUES (?, ?, ?, ?, ?, ?)`, env...)
		if err != nil {
			return err
		}
		var dataset any
		if spec.Dataset != nil {
			params, err := json.Marshal(spec.Dataset.Params)
			if err != nil {
				return fmt.Errorf("dataset params: %w", err)
			}
			if dataset, err = db.upsertID(tx, `SELECT id FROM dataset WHERE name = ? AND version = ? AND params = ?`,
				`INSERT INTO dataset (name, version, params) VALUES (?, ?, ?)`, spec.Dataset.Name, spec.Dataset.Version, string(params)); err != nil {
				return err
			}
		}
		var seed any
		if spec.Seed != nil {
			seed = *spec.Seed
		}
		err = tx.QueryRow(db.q(`INSERT INTO run (experiment, method, config, seed, dataset, environment, notebook, git_commit,
			scale, started_at, status, pid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'running', ?) RETURNING id`),
			exp, spec.Method, config, seed, dataset, envID, spec.Notebook, gitCommit(), spec.Scale, now(), os.Getpid()).Scan(&r.ID)
		if err != nil {
			return err
		}
		keys := make([]string, 0, len(flat))
		for k := range flat {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if _, err := tx.Exec(db.q(`INSERT INTO param (run, name, value) VALUES (?, ?, ?)`), r.ID, k, flat[k]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("results: starting a run of %s/%s/%s: %w", spec.Paper, spec.Experiment, spec.Method, err)
	}
	return r, nil
}

// upsertID returns the id selected by sel, inserting with ins (same arguments) if none.
func (db *DB) upsertID(tx *sql.Tx, sel, ins string, args ...any) (int64, error) {
	var id int64
	err := tx.QueryRow(db.q(sel), args...).Scan(&id)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, err
	}
	err = tx.QueryRow(db.q(ins+" RETURNING id"), args...).Scan(&id)
	return id, err
}

func now() string { return time.Now().UTC().Format("2006-01-02T15:04:05.000000Z") }

// flattenConfig checks that the config is a JSON object and flattens it to dotted keys.
func flattenConfig(config any) (string, map[string]string, error) {
	if config == nil {
		return "{}", map[string]string{}, nil
	}
	raw, err := json.Marshal(config)
	if err != nil {
		return "", nil, fmt.Errorf("results: config is not JSON-encodable: %w", err)
	}
	var obj map[string]any
	if err := json.Unmarshal(raw, &obj); err != nil {
		return "", nil, fmt.Errorf("results: config must be a JSON object, got %s", truncate(string(raw), 80))
	}
	flat := map[string]string{}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		if m, ok := v.(map[string]any); ok && len(m) > 0 {
			for k, x := range m {
				key := k
				if prefix != "" {
					key = prefix + "." + k
				}
				walk(key, x)
			}
			return
		}
		b, _ := json.Marshal(v)
		flat[prefix] = string(b)
	}
	walk("", obj)
	return string(raw), flat, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// environment describes this process's machine and build, as the environment table's columns.
func environment(spec RunSpec) []any {
	goVersion, gomlx := runtime.Version(), "unknown"
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, d := range info.Deps {
			if d.Path == "github.com/gomlx/gomlx" {
				gomlx = d.Version
			}
		}
	}
	host, _ := os.Hostname()
	backend, device := spec.Backend, spec.Device
	if backend == "" {
		backend = "unknown"
	}
	if device == "" {
		device = "unknown"
	}
	return []any{goVersion, gomlx, backend, device, runtime.NumCPU(), host}
}

// gitCommit is the checkout's HEAD commit ("+dirty" when there are local changes), or "".
func gitCommit() string {
	out, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		return ""
	}
	commit := strings.TrimSpace(string(out))
	if st, err := exec.Command("git", "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(st) > 0 {
		commit += "+dirty"
	}
	return commit
}

// LogMetric records a value of a metric at a step (≥ 0). A second value for the same step is
// an error.
func (r *Run) LogMetric(name string, step int, value float64) error {
	if r.db == nil {
		return nil // recording is off
	}
	if step < 0 {
		return fmt.Errorf("results: metric %s: step %d is negative (use LogFinal for final values)", name, step)
	}
	return r.logMetric(name, step, value)
}

// LogFinal records the final value of a metric (step −1).
func (r *Run) LogFinal(name string, value float64) error {
	if r.db == nil {
		return nil
	}
	return r.logMetric(name, -1, value)
}

func (r *Run) logMetric(name string, step int, value float64) error {
	if math.IsNaN(value) || math.IsInf(value, 0) {
		return fmt.Errorf("results: metric %s at step %d is %v: record only finite values", name, step, value)
	}
	_, err := r.db.sql.Exec(r.db.q(`INSERT INTO metric (run, name, step, value) VALUES (?, ?, ?, ?)`), r.ID, name, step, value)
	if err != nil {
		if isUniqueViolation(err) {
			return fmt.Errorf("results: run %d already has %s at step %d", r.ID, name, step)
		}
		if isForeignKeyViolation(err) {
			return fmt.Errorf("results: no run %d", r.ID)
		}
		return fmt.Errorf("results: %w", err)
	}
	return nil
}

// LogCurve records a whole series of a metric (steps and values) in one transaction.
func (r *Run) LogCurve(name string, steps []int, values []float64) error {
	if len(steps) != len(values) {
		return fmt.Errorf("results: %d steps for %d values", len(steps), len(values))
	}
	if r.db == nil {
		return nil
	}
	return r.db.tx(func(tx *sql.Tx) error {
		for i := range steps {
			if math.IsNaN(values[i]) || math.IsInf(values[i], 0) {
				continue // a NaN point is skipped, as plots skip it
			}
			if _, err := tx.Exec(r.db.q(`INSERT INTO metric (run, name, step, value) VALUES (?, ?, ?, ?)`), r.ID, name, steps[i], values[i]); err != nil {
				if isUniqueViolation(err) {
					return fmt.Errorf("results: run %d already has %s at step %d", r.ID, name, steps[i])
				}
				return fmt.Errorf("results: %w", err)
			}
		}
		return nil
	})
}

func isUniqueViolation(err error) bool {
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint") || strings.Contains(s, "SQLSTATE 23505") || strings.Contains(s, "duplicate key")
}

func isForeignKeyViolation(err error) bool {
	s := err.Error()
	return strings.Contains(s, "FOREIGN KEY constraint") || strings.Contains(s, "SQLSTATE 23503")
}

// LogArtifact records a file the run produced, with its size and SHA-256.
func (r *Run) LogArtifact(kind, path string) error {
	if r.db == nil {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("results: artifact: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return fmt.Errorf("results: artifact %s: %w", path, err)
	}
	abs, _ := filepath.Abs(path)
	_, err = r.db.sql.Exec(r.db.q(`INSERT INTO artifact (run, path, kind, bytes, sha256) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (run, path) DO UPDATE SET kind = excluded.kind, bytes = excluded.bytes, sha256 = excluded.sha256`),
		r.ID, abs, kind, n, hex.EncodeToString(h.Sum(nil)))
	if err != nil {
		return fmt.Errorf("results: artifact %s: %w", path, err)
	}
	return nil
}

// RecordFigure records the data and layout of a figure (spec, any JSON-encodable value, e.g.
// nb.FigureSpec) or the PNG of an image grid, with the run that drew it (nil if none), so
// cmd/figures can redraw it from the database. Later records of the same figure win.
func (db *DB) RecordFigure(r *Run, slug, name string, spec any, png []byte) error {
	raw := []byte("null")
	if spec != nil {
		var err error
		if raw, err = json.Marshal(spec); err != nil {
			return fmt.Errorf("results: figure %s/%s: %w", slug, name, err)
		}
	}
	var run any
	if r != nil && r.ID != 0 {
		run = r.ID
	}
	_, err := db.sql.Exec(db.q(`INSERT INTO figure (run, slug, name, spec, image, created_at) VALUES (?, ?, ?, ?, ?, ?)`),
		run, slug, name, string(raw), png, now())
	if err != nil {
		return fmt.Errorf("results: figure %s/%s: %w", slug, name, err)
	}
	return nil
}

// Finish marks the run finished.
func (r *Run) Finish() error { return r.end("finished", "") }

// Fail marks the run failed with the error.
func (r *Run) Fail(cause error) error {
	msg := "failed"
	if cause != nil {
		msg = cause.Error()
	}
	return r.end("failed", msg)
}

func (r *Run) end(status, msg string) error {
	if r.done || r.db == nil {
		return nil
	}
	res, err := r.db.sql.Exec(r.db.q(`UPDATE run SET status = ?, finished_at = ?, error = ? WHERE id = ? AND status = 'running'`),
		status, now(), msg, r.ID)
	if err != nil {
		return fmt.Errorf("results: ending run %d: %w", r.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("results: run %d is not running (already ended, or unknown)", r.ID)
	}
	r.done = true
	unsetCurrent(r)
	return nil
}

// Done ends the run: failed with the panic's message if the surrounding function is
// panicking (the panic then continues), finished otherwise. Use it with defer in notebook
// cells: `defer run.Done()`.
func (r *Run) Done() {
	if p := recover(); p != nil {
		_ = r.Fail(fmt.Errorf("panic: %v", p))
		panic(p)
	}
	if err := r.Finish(); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
}

// MarkStaleRuns marks "running" runs of this host whose process no longer exists as
// "incomplete" (a killed notebook never leaves a run looking alive). Open calls it.
func (db *DB) MarkStaleRuns() (int, error) {
	rows, err := db.sql.Query(`SELECT id, pid FROM run WHERE status = 'running'`)
	if err != nil {
		return 0, fmt.Errorf("results: %w", err)
	}
	var stale []int64
	for rows.Next() {
		var id, pid int64
		if err := rows.Scan(&id, &pid); err != nil {
			rows.Close()
			return 0, fmt.Errorf("results: %w", err)
		}
		if pid > 0 && !alive(int(pid)) {
			stale = append(stale, id)
		}
	}
	rows.Close()
	for _, id := range stale {
		if _, err := db.sql.Exec(db.q(`UPDATE run SET status = 'incomplete', finished_at = ?, error = 'the process ended before the run finished' WHERE id = ? AND status = 'running'`), now(), id); err != nil {
			return 0, fmt.Errorf("results: %w", err)
		}
	}
	return len(stale), nil
}

// alive reports whether a process with this pid exists on this machine.
func alive(pid int) bool {
	if pid == os.Getpid() {
		return true
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
