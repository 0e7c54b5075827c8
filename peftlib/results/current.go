package results

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/peftlab/peftlab/peftlib/backend"
	"github.com/peftlab/peftlab/peftlib/fit"
	"github.com/peftlab/peftlab/peftlib/nb"
)

var (
	defaultOnce sync.Once
	defaultDB   *DB
	defaultErr  error

	currentMu  sync.Mutex
	currentRun *Run
)

// Default opens, once per process, the database notebooks record into: $PEFTLAB_RESULTS, or
// DefaultPath — except in smoke runs (PEFTLAB_SCALE=smoke) without $PEFTLAB_RESULTS, which
// go to a scratch database in the temporary folder so tests never touch the real one.
// PEFTLAB_RESULTS=off turns recording off (Default then returns nil, nil).
func Default() (*DB, error) {
	defaultOnce.Do(func() {
		loc := os.Getenv(Env)
		switch {
		case loc == "off":
			return
		case loc == "" && nb.IsSmoke():
			loc = filepath.Join(os.TempDir(), "peftlab-smoke-results.sqlite")
		}
		defaultDB, defaultErr = Open(loc)
	})
	return defaultDB, defaultErr
}

// Start records a run in the Default database, filling in the backend, and makes it the
// current run, whose figures nb.Save records. With recording off it returns a Run that
// records nothing.
func Start(spec RunSpec) (*Run, error) {
	db, err := Default()
	if err != nil {
		return nil, err
	}
	if db == nil {
		return &Run{}, nil
	}
	if spec.Backend == "" || spec.Device == "" {
		if b, err := backend.New(); err == nil {
			if spec.Backend == "" {
				spec.Backend = backend.Choose().Config
			}
			if spec.Device == "" && b.NumDevices() > 0 {
				spec.Device = b.DeviceDescription(0)
			}
		}
	}
	r, err := db.StartRun(spec)
	if err != nil {
		return nil, err
	}
	currentMu.Lock()
	currentRun = r
	currentMu.Unlock()
	return r, nil
}

// MustStart is Start for notebooks: it panics on error.
func MustStart(spec RunSpec) *Run {
	r, err := Start(spec)
	if err != nil {
		panic(err)
	}
	return r
}

func unsetCurrent(r *Run) {
	currentMu.Lock()
	defer currentMu.Unlock()
	if currentRun == r {
		currentRun = nil
	}
}

// Current is the run started last by Start in this process and not ended, or nil.
func Current() *Run {
	currentMu.Lock()
	defer currentMu.Unlock()
	return currentRun
}

// recordFigure is nb.SaveHook: every figure a notebook saves goes into the Default database
// (with the current run, if any), so cmd/figures can redraw figures/ from it alone.
func recordFigure(slug, name string, spec *nb.FigureSpec, png []byte) {
	db, err := Default()
	if err != nil || db == nil {
		if err != nil {
			fmt.Fprintf(os.Stderr, "results: figure %s/%s not recorded: %v\n", slug, name, err)
		}
		return
	}
	if err := db.RecordFigure(Current(), slug, name, spec, png); err != nil {
		fmt.Fprintf(os.Stderr, "results: %v\n", err)
	}
}

func init() { nb.SaveHook = recordFigure }

// Recorder records each method a comparison trains (fit.CompareOnImages, CompareOnMath) as
// a run of one experiment in the Default database.
type Recorder struct {
	Paper, Experiment, Notebook string
	Seed                        *int64
	Dataset                     *Dataset
}

// StartMethod implements fit.Recorder.
func (rec Recorder) StartMethod(method string, config any) (fit.MethodRecord, error) {
	notebook := rec.Notebook
	if notebook == "" {
		notebook = rec.Paper
	}
	return Start(RunSpec{Paper: rec.Paper, Experiment: rec.Experiment, Method: method, Config: config,
		Seed: rec.Seed, Dataset: rec.Dataset, Notebook: notebook})
}
