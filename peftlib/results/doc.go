// Package results is peftlab's experiment-results database: every notebook run with its
// configuration, seed, data, code commit and machine; its metrics, artefacts and the data
// of its figures; and the papers' reported numbers beside ours. It is embedded SQLite
// (pure Go, no cgo) in the user's data folder by default, and PostgreSQL when given a
// postgres:// DSN, so a lab can share one database.
//
// Requirements, the entity–relationship design, business rules and the acceptance
// checklist are in DESIGN.md; the database documents itself (Help).
//
//	db, err := results.Open("")                       // ~/.local/share/peftlab/results.sqlite
//	run, err := db.StartRun(results.RunSpec{Paper: "tgeo_kd", Experiment: "table1", Method: "ours", Seed: &seed})
//	defer run.Done()                                  // finished, or failed if the cell panics
//	run.LogMetric("loss", step, loss)
//	run.LogFinal("accuracy", acc)
package results
