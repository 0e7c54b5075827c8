package results

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/peftlab/peftlab/peftlib/nb"
)

// openTemp opens a fresh SQLite database in a temporary folder.
func openTemp(t *testing.T) *DB {
	t.Helper()
	db, err := Open(filepath.Join(t.TempDir(), "results.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func seed(v int64) *int64 { return &v }

// exercise runs the acceptance scenario on any database (SQLite here, PostgreSQL below).
func exercise(t *testing.T, db *DB) {
	if err := db.AddPaper(Paper{Slug: "p", Title: "A paper"}); err != nil {
		t.Fatal(err)
	}
	if err := db.AddClaims(Claim{Paper: "p", Experiment: "table1", Setting: "LoRA", Metric: "accuracy", Value: 0.9, Source: "README", Confidence: "code"},
		Claim{Paper: "p", Experiment: "table1", Setting: "Prefix", Metric: "accuracy", Value: 0.4, Source: "README", Confidence: "code"}); err != nil {
		t.Fatal(err)
	}
	if err := db.AddClaims(Claim{Paper: "p", Experiment: "table1", Setting: "LoRA", Metric: "accuracy", Value: 0.9, Confidence: "code"}); err != nil {
		t.Fatalf("re-adding the same claim must be a no-op: %v", err)
	}
	if err := db.AddClaims(Claim{Paper: "p", Experiment: "table1", Setting: "LoRA", Metric: "accuracy", Value: 0.5, Confidence: "code"}); err == nil ||
		!strings.Contains(err.Error(), "never overwritten") {
		t.Fatalf("changing a claim must be refused: %v", err)
	}
	for i, method := range []string{"LoRA", "Prefix", "LoRA"} {
		run, err := db.StartRun(RunSpec{Paper: "p", Experiment: "table1", Method: method, Seed: seed(int64(i)), Scale: "full",
			Config:  map[string]any{"r": 8, "lr": 0.001, "targets": map[string]any{"modules": []string{"q", "v"}}},
			Dataset: &Dataset{Name: "math", Version: "1", Params: map[string]int{"n": 6000}}})
		if err != nil {
			t.Fatal(err)
		}
		if err := run.LogCurve("loss", []int{0, 1, 2}, []float64{2, 1.5, 1}); err != nil {
			t.Fatal(err)
		}
		if err := run.LogFinal("accuracy", 0.5+0.1*float64(i)); err != nil {
			t.Fatal(err)
		}
		if err := run.LogMetric("loss", 1, 7); err == nil || !strings.Contains(err.Error(), "already has loss at step 1") {
			t.Fatalf("a duplicate step must be refused: %v", err)
		}
		if err := run.Finish(); err != nil {
			t.Fatal(err)
		}
		if err := run.Finish(); err != nil {
			t.Fatalf("finishing twice is harmless: %v", err)
		}
	}
	failed, err := db.StartRun(RunSpec{Paper: "p", Experiment: "table1", Method: "Series", Scale: "full"})
	if err != nil {
		t.Fatal(err)
	}
	if err := failed.Fail(errors.New("out of memory")); err != nil {
		t.Fatal(err)
	}
	// Acceptance: the latest full run per method, beside the paper's claims.
	final, err := db.FinalMetrics("p", "table1", "accuracy")
	if err != nil || len(final) != 2 || final["LoRA"] != 0.7 || final["Prefix"] != 0.6 {
		t.Fatalf("latest results %v (%v)", final, err)
	}
	cmp, err := db.PaperVsOurs("p")
	if err != nil || len(cmp.Rows) != 2 {
		t.Fatalf("paper vs ours: %v %v", cmp, err)
	}
	if s := cmp.String(); !strings.Contains(s, "0.7") || !strings.Contains(s, "code") {
		t.Fatalf("paper vs ours:\n%s", s)
	}
	sum, err := db.RunSummary("p")
	if err != nil || len(sum.Rows) != 4 {
		t.Fatalf("run summary: %v %v", sum, err)
	}
	bad, err := db.Query("failed runs", `SELECT run, method, error FROM v_run_summary WHERE status IN ('failed', 'incomplete')`)
	if err != nil || len(bad.Rows) != 1 || !strings.Contains(bad.String(), "out of memory") {
		t.Fatalf("failed runs: %v %v", bad, err)
	}
	noSeed, err := db.Query("runs without seed", `SELECT id FROM run WHERE seed IS NULL OR git_commit = ''`)
	if err != nil || len(noSeed.Rows) < 1 {
		t.Fatalf("runs missing a seed: %v %v", noSeed, err)
	}
	params, err := db.Query("", `SELECT value FROM param WHERE name = 'targets.modules' LIMIT 1`)
	if err != nil || len(params.Rows) != 1 || params.Rows[0][0] != `["q","v"]` {
		t.Fatalf("flattened params: %v %v", params, err)
	}
	// Bad input gives clear errors.
	if _, err := db.StartRun(RunSpec{Paper: "p", Experiment: "e", Method: "m", Config: []int{1}}); err == nil ||
		!strings.Contains(err.Error(), "JSON object") {
		t.Fatalf("a malformed config must be refused: %v", err)
	}
	if err := (&Run{ID: 99999, db: db}).LogFinal("x", 1); err == nil || !strings.Contains(err.Error(), "no run 99999") {
		t.Fatalf("an unknown run must be refused: %v", err)
	}
	if err := (&Run{ID: 99999, db: db}).Finish(); err == nil {
		t.Fatal("finishing an unknown run must be an error")
	}
	h, err := db.Help("v_paper_vs_ours")
	if err != nil || !strings.Contains(h, "claim") {
		t.Fatalf("help: %q %v", h, err)
	}
	if _, err := db.Help("nonsense"); err == nil || !strings.Contains(err.Error(), "topics:") {
		t.Fatalf("help on an unknown topic must list the topics: %v", err)
	}
}

func TestAcceptanceOnSQLite(t *testing.T) { exercise(t, openTemp(t)) }

func TestFiguresRoundTrip(t *testing.T) {
	db := openTemp(t)
	t.Setenv("PEFTLAB_FIGURES_DIR", t.TempDir())
	p := nb.NewPlot("curve", "step", "loss")
	nb.Line(p, 0, "train", []float64{1, 2, 3}, []float64{3, 2, 1})
	run, err := db.StartRun(RunSpec{Paper: "p", Experiment: "fig", Method: "m", Scale: "smoke"})
	if err != nil {
		t.Fatal(err)
	}
	var got *nb.FigureSpec
	saved := nb.SaveHook
	nb.SaveHook = func(slug, name string, spec *nb.FigureSpec, png []byte) {
		got = spec
		if err := db.RecordFigure(run, slug, name, spec, png); err != nil {
			t.Fatal(err)
		}
	}
	defer func() { nb.SaveHook = saved }()
	if _, err := nb.Save("demo", "curve", p); err != nil {
		t.Fatal(err)
	}
	if got == nil || len(got.Panels) != 1 || got.Panels[0][0].Series[0].Y[2] != 1 {
		t.Fatalf("recorded spec %+v", got)
	}
	if err := db.RecordFigure(nil, "demo", "grid", nil, []byte("\x89PNG fake")); err != nil {
		t.Fatal(err)
	}
	figs, err := db.LatestFigures("demo")
	if err != nil || len(figs) != 2 || !strings.Contains(figs[0].Spec, `"Kind":"line"`) || string(figs[1].Image[:4]) != "\x89PNG" {
		t.Fatalf("latest figures %+v %v", figs, err)
	}
}

// TestKilledRunIsMarkedIncomplete: a process that dies mid-run leaves its run "running";
// the next Open marks it incomplete, and nothing of an unfinished transaction is left.
func TestKilledRunIsMarkedIncomplete(t *testing.T) {
	path := filepath.Join(t.TempDir(), "results.sqlite")
	if os.Getenv("PEFTLAB_RESULTS_CHILD") != "" {
		db, err := Open(os.Getenv("PEFTLAB_RESULTS_CHILD"))
		if err != nil {
			os.Exit(2)
		}
		run, err := db.StartRun(RunSpec{Paper: "p", Experiment: "crash", Method: "m", Scale: "full"})
		if err != nil {
			os.Exit(3)
		}
		_ = run.LogFinal("accuracy", 0.5)
		os.Exit(0) // dies without Finish
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestKilledRunIsMarkedIncomplete$")
	cmd.Env = append(os.Environ(), "PEFTLAB_RESULTS_CHILD="+path)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tab, err := db.Query("", `SELECT status, error FROM run`)
	if err != nil || len(tab.Rows) != 1 || tab.Rows[0][0] != "incomplete" {
		t.Fatalf("the crashed run: %v %v", tab, err)
	}
}

// TestConcurrentWriters: two processes' worth of writers (connections) log at once.
func TestConcurrentWriters(t *testing.T) {
	path := filepath.Join(t.TempDir(), "results.sqlite")
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			db, err := Open(path)
			if err != nil {
				errs <- err
				return
			}
			defer db.Close()
			run, err := db.StartRun(RunSpec{Paper: "p", Experiment: "e", Method: fmt.Sprint("m", w), Scale: "full"})
			if err != nil {
				errs <- err
				return
			}
			steps, vals := make([]int, 200), make([]float64, 200)
			for i := range steps {
				steps[i], vals[i] = i, float64(i)
			}
			if err := run.LogCurve("loss", steps, vals); err != nil {
				errs <- err
				return
			}
			errs <- run.Finish()
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	db, _ := Open(path)
	defer db.Close()
	tab, _ := db.Query("", `SELECT COUNT(*) FROM metric`)
	if tab.Rows[0][0] != 800 {
		t.Fatalf("%v metric rows, want 800", tab.Rows[0][0])
	}
}

func TestSchemaIsVersioned(t *testing.T) {
	path := filepath.Join(t.TempDir(), "results.sqlite")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL().Exec(`UPDATE schema_version SET version = 99`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := Open(path); err == nil || !strings.Contains(err.Error(), "newer than this peftlab") {
		t.Fatalf("a newer schema must be refused: %v", err)
	}
}

type codedError int

func (e codedError) Error() string { return fmt.Sprint("sqlite code ", int(e)) }
func (e codedError) Code() int     { return int(e) }

func TestIsBusy(t *testing.T) {
	for err, want := range map[error]bool{
		codedError(5):                                 true,
		codedError(5 | 2<<8):                          true, // SQLITE_BUSY_SNAPSHOT
		fmt.Errorf("wrapped: %w", codedError(5)):      true,
		codedError(6):                                 false, // SQLITE_LOCKED
		errors.New("database is locked, but no code"): false,
	} {
		if got := isBusy(err); got != want {
			t.Errorf("isBusy(%v) = %v, want %v", err, got, want)
		}
	}
}
