/** Model registry and evaluations: registered model folders, eval runs pinned to a snapshot, and their planned rows. */
import type { Migration } from './types';

export const migration0004: Migration = {
  version: 4,
  name: 'models-and-evals',
  sql: `
CREATE TABLE models (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  kind TEXT NOT NULL CHECK (kind IN ('vlm','onnx-classifier')),
  path TEXT NOT NULL UNIQUE,
  architecture TEXT,
  dtype TEXT,
  dtypes_json TEXT NOT NULL DEFAULT '[]',
  total_bytes INTEGER NOT NULL DEFAULT 0,
  provenance_json TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);

-- One evaluation of one model on one snapshot split; prompts and labels are stored with the run.
CREATE TABLE eval_runs (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  version_id INTEGER NOT NULL REFERENCES dataset_versions(id) ON DELETE CASCADE,
  split TEXT NOT NULL CHECK (split IN ('train','val','test','all')),
  model_id INTEGER REFERENCES models(id) ON DELETE SET NULL,
  mode TEXT NOT NULL CHECK (mode IN ('raw','constrained','scored','classifier')),
  system_prompt TEXT NOT NULL DEFAULT '',
  user_prompt TEXT NOT NULL DEFAULT '',
  labels_json TEXT NOT NULL,
  seed INTEGER NOT NULL,
  n_samples INTEGER CHECK (n_samples IS NULL OR n_samples > 0),
  device TEXT NOT NULL DEFAULT 'cpu' CHECK (device IN ('cpu','cuda','webgpu')),
  dtype TEXT,
  class_mapping_json TEXT,
  status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued','running','done','failed','cancelled')),
  error TEXT,
  metrics_json TEXT,
  config_json TEXT NOT NULL DEFAULT '{}',
  -- Sum of per-sample processing time across every (resumed) attempt: the eval's wall time for throughput.
  elapsed_ms REAL NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  started_at TEXT,
  finished_at TEXT
);
CREATE INDEX eval_runs_by_dataset ON eval_runs(dataset_id, id);
CREATE INDEX eval_runs_by_version ON eval_runs(version_id, id);
CREATE INDEX eval_runs_by_model ON eval_runs(model_id);

-- The plan (seeded sample, fixed order) is written at creation; done = 1 once a row has its outcome.
CREATE TABLE eval_samples (
  run_id INTEGER NOT NULL REFERENCES eval_runs(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  sample_id INTEGER NOT NULL,
  image_hash TEXT NOT NULL,
  truth TEXT NOT NULL,
  prediction TEXT,
  raw_output TEXT,
  probabilities_json TEXT,
  latency_ms REAL,
  error TEXT,
  done INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0,1)),
  PRIMARY KEY (run_id, sample_id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX eval_samples_by_position ON eval_samples(run_id, position);
CREATE INDEX eval_samples_pending ON eval_samples(run_id, done, position);
`,
};
