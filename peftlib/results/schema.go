package results

import "strings"

// schemaVersion is the version the migrations bring a database to.
const schemaVersion = 1

// migrations[i] brings a database from version i to i+1. Statements are separated by ";\n"
// and written for SQLite; dialect.rewrite adapts them to PostgreSQL.
var migrations = []string{
	`CREATE TABLE paper (
  slug    TEXT PRIMARY KEY,
  title   TEXT NOT NULL DEFAULT '',
  authors TEXT NOT NULL DEFAULT '',
  venue   TEXT NOT NULL DEFAULT '',
  url     TEXT NOT NULL DEFAULT ''
);
CREATE TABLE claim (
  id         {{id}},
  paper      TEXT NOT NULL REFERENCES paper(slug) ON DELETE RESTRICT,
  experiment TEXT NOT NULL,
  setting    TEXT NOT NULL,
  metric     TEXT NOT NULL,
  value      DOUBLE PRECISION NOT NULL,
  unit       TEXT NOT NULL DEFAULT '',
  source     TEXT NOT NULL DEFAULT '',
  confidence TEXT NOT NULL CHECK (confidence IN ('code', 'abs', 'mem', 'review', 'infer', 'summary page', 'paper')),
  UNIQUE (paper, experiment, setting, metric)
);
CREATE TABLE experiment (
  id          {{id}},
  paper       TEXT NOT NULL REFERENCES paper(slug) ON DELETE RESTRICT,
  name        TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  UNIQUE (paper, name)
);
CREATE TABLE environment (
  id            {{id}},
  go_version    TEXT NOT NULL,
  gomlx_version TEXT NOT NULL,
  backend       TEXT NOT NULL,
  device        TEXT NOT NULL,
  cpus          INTEGER NOT NULL CHECK (cpus > 0),
  host          TEXT NOT NULL,
  UNIQUE (go_version, gomlx_version, backend, device, cpus, host)
);
CREATE TABLE dataset (
  id      {{id}},
  name    TEXT NOT NULL,
  version TEXT NOT NULL,
  params  TEXT NOT NULL DEFAULT '{}',
  UNIQUE (name, version, params)
);
CREATE TABLE run (
  id          {{id}},
  experiment  INTEGER NOT NULL REFERENCES experiment(id) ON DELETE RESTRICT,
  method      TEXT NOT NULL,
  config      TEXT NOT NULL DEFAULT '{}',
  seed        BIGINT,
  dataset     INTEGER REFERENCES dataset(id) ON DELETE RESTRICT,
  environment INTEGER NOT NULL REFERENCES environment(id) ON DELETE RESTRICT,
  notebook    TEXT NOT NULL DEFAULT '',
  git_commit  TEXT NOT NULL DEFAULT '',
  scale       TEXT NOT NULL CHECK (scale IN ('smoke', 'full')),
  started_at  TEXT NOT NULL,
  finished_at TEXT,
  status      TEXT NOT NULL CHECK (status IN ('running', 'finished', 'failed', 'incomplete')),
  error       TEXT NOT NULL DEFAULT '',
  pid         INTEGER NOT NULL DEFAULT 0,
  CHECK ((status = 'running') = (finished_at IS NULL))
);
CREATE INDEX run_experiment ON run(experiment, method);
CREATE INDEX run_status ON run(status);
CREATE TABLE param (
  run   INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
  name  TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (run, name)
);
CREATE TABLE metric (
  run   INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
  name  TEXT NOT NULL,
  step  INTEGER NOT NULL CHECK (step >= -1),
  value DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (run, name, step)
);
CREATE INDEX metric_name ON metric(name, step);
CREATE TABLE artifact (
  run    INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
  path   TEXT NOT NULL,
  kind   TEXT NOT NULL CHECK (kind IN ('figure', 'adapter', 'checkpoint', 'table', 'other')),
  bytes  BIGINT NOT NULL CHECK (bytes >= 0),
  sha256 TEXT NOT NULL,
  PRIMARY KEY (run, path)
);
CREATE TABLE figure (
  id         {{id}},
  run        INTEGER REFERENCES run(id) ON DELETE SET NULL,
  slug       TEXT NOT NULL,
  name       TEXT NOT NULL,
  spec       TEXT NOT NULL,
  image      {{blob}},
  created_at TEXT NOT NULL
);
CREATE INDEX figure_name ON figure(slug, name, id);
CREATE TABLE doc_topic (
  topic TEXT PRIMARY KEY,
  body  TEXT NOT NULL
);
CREATE VIEW v_run_summary AS
-- One row per run: its paper, experiment, method, seed, status, duration in seconds, number of metric values.
SELECT r.id AS run, e.paper, e.name AS experiment, r.method, r.seed, r.scale, r.status, r.started_at,
       {{duration}} AS seconds, r.git_commit, r.notebook,
       (SELECT COUNT(*) FROM metric m WHERE m.run = r.id) AS metric_values, r.error
FROM run r JOIN experiment e ON e.id = r.experiment;
CREATE VIEW v_latest_results AS
-- For each paper, experiment, method and final metric: the value of the most recent finished full-scale run.
SELECT e.paper, e.name AS experiment, r.method, m.name AS metric, m.value, r.id AS run, r.started_at
FROM metric m JOIN run r ON r.id = m.run JOIN experiment e ON e.id = r.experiment
WHERE m.step = -1 AND r.status = 'finished' AND r.scale = 'full'
  AND r.id = (SELECT r2.id FROM run r2 JOIN metric m2 ON m2.run = r2.id
              WHERE r2.experiment = r.experiment AND r2.method = r.method AND r2.status = 'finished'
                AND r2.scale = 'full' AND m2.name = m.name AND m2.step = -1
              ORDER BY r2.started_at DESC, r2.id DESC LIMIT 1);
CREATE VIEW v_paper_vs_ours AS
-- Every claim of a paper next to our latest value of the same experiment, setting (= our method) and metric,
-- with the claim's source and confidence tag.
SELECT c.paper, c.experiment, c.setting, c.metric, c.value AS paper_value, l.value AS our_value,
       c.unit, c.source, c.confidence, l.run
FROM claim c LEFT JOIN v_latest_results l
  ON l.paper = c.paper AND l.experiment = c.experiment AND l.method = c.setting AND l.metric = c.metric`,
}

// helpTopics is the embedded user documentation stored in doc_topic.
var helpTopics = map[string]string{
	"overview": `peftlab results database. Every notebook run is a row of run (with its experiment and paper); what it
measured is in metric (step -1 = final value), what it produced in artifact, what it plotted in figure. The papers'
own numbers are in claim. Views: v_run_summary (one line per run), v_latest_results (latest final values),
v_paper_vs_ours (claims beside our values). help('<table or view>') explains each.`,
	"paper":            "paper: one row per reproduced paper (slug as in notebooks/<slug>.ipynb).",
	"claim":            "claim: a number the paper reports, with where it comes from (source) and how sure we are (confidence: code, abs, mem, review, infer, summary page, paper). Never overwritten by our measurements.",
	"experiment":       "experiment: a table or figure of a paper that a notebook reproduces (e.g. 'table1').",
	"run":              "run: one execution of an experiment by a notebook cell: method, config (JSON), seed, dataset, environment, git commit, scale (smoke or full), start and end, status (running, finished, failed, incomplete) and the error of a failed run.",
	"param":            "param: the run's config flattened to one row per parameter (for queries; run.config keeps the JSON).",
	"metric":           "metric: a value a run measured, by name and step; step -1 is the final value. Unique per (run, name, step).",
	"artifact":         "artifact: a file a run produced (figure, adapter, checkpoint, table), with its size and SHA-256.",
	"figure":           "figure: every saved figure, with the run that drew it (if any): its data and layout (spec, JSON) or, for image grids, its PNG. The latest row of each (slug, name) is the current figure; cmd/figures redraws figures/ from these rows alone.",
	"environment":      "environment: Go and GoMLX versions, backend, device, CPUs and host a run ran on.",
	"dataset":          "dataset: a dataset name, version and generator parameters a run used.",
	"v_run_summary":    "v_run_summary: one row per run: paper, experiment, method, seed, scale, status, start, duration (s), commit, notebook, number of metric values, error.",
	"v_latest_results": "v_latest_results: for each paper, experiment, method and final metric, the value of the most recent finished full-scale run.",
	"v_paper_vs_ours":  "v_paper_vs_ours: each claim of a paper beside our latest value of the same experiment, setting (our method) and metric.",
}

// statements splits a migration into statements.
func statements(script string) []string {
	var out []string
	for _, s := range strings.Split(script, ";\n") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
