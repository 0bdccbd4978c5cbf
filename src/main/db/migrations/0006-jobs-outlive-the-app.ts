/**
 * Jobs that outlive the app: where a job runs (backend), the handle to re-attach to it (external_ref, log_offset),
 * which studio process drives it (host), and what it works on (owner, indexed). Eval runs get a cross-process claim (pid + process start) and may be
 * 'interrupted'; SQLite cannot drop a CHECK in place, so eval_runs (and eval_samples, whose foreign key would
 * otherwise cascade on the drop) are rebuilt with every row kept and the status checked in code.
 */
import type { Migration } from './types';

export const migration0006: Migration = {
  version: 6,
  name: 'jobs-outlive-the-app',
  sql: `
ALTER TABLE jobs ADD COLUMN backend TEXT NOT NULL DEFAULT 'thread';
ALTER TABLE jobs ADD COLUMN external_ref TEXT;
ALTER TABLE jobs ADD COLUMN log_offset INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN owner_kind TEXT;
ALTER TABLE jobs ADD COLUMN owner_id INTEGER;
-- The studio process driving (or following) the job: another live one keeps it; a dead one's jobs are recovered.
ALTER TABLE jobs ADD COLUMN host_pid INTEGER;
ALTER TABLE jobs ADD COLUMN host_started TEXT;
UPDATE jobs SET owner_kind = 'eval-run', owner_id = json_extract(params_json, '$.runId')
  WHERE kind = 'eval' AND json_valid(params_json) AND json_type(params_json, '$.runId') = 'integer';
CREATE INDEX jobs_by_owner ON jobs(owner_kind, owner_id, status);
CREATE INDEX jobs_by_status ON jobs(status);

CREATE TABLE eval_runs_new (
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
  status TEXT NOT NULL DEFAULT 'queued',
  error TEXT,
  metrics_json TEXT,
  config_json TEXT NOT NULL DEFAULT '{}',
  elapsed_ms REAL NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  started_at TEXT,
  finished_at TEXT,
  -- The process computing the run: pid + its start time (a reused pid is not the claimant).
  claim_pid INTEGER,
  claim_started TEXT
);
INSERT INTO eval_runs_new (id, name, dataset_id, version_id, split, model_id, mode, system_prompt, user_prompt, labels_json,
  seed, n_samples, device, dtype, class_mapping_json, status, error, metrics_json, config_json, elapsed_ms, created_at,
  started_at, finished_at)
SELECT id, name, dataset_id, version_id, split, model_id, mode, system_prompt, user_prompt, labels_json,
  seed, n_samples, device, dtype, class_mapping_json, status, error, metrics_json, config_json, elapsed_ms, created_at,
  started_at, finished_at FROM eval_runs;

CREATE TABLE eval_samples_new (
  run_id INTEGER NOT NULL REFERENCES eval_runs_new(id) ON DELETE CASCADE,
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
INSERT INTO eval_samples_new SELECT run_id, position, sample_id, image_hash, truth, prediction, raw_output,
  probabilities_json, latency_ms, error, done FROM eval_samples;

DROP TABLE eval_samples;
DROP TABLE eval_runs;
ALTER TABLE eval_runs_new RENAME TO eval_runs;
ALTER TABLE eval_samples_new RENAME TO eval_samples;
CREATE INDEX eval_runs_by_dataset ON eval_runs(dataset_id, id);
CREATE INDEX eval_runs_by_version ON eval_runs(version_id, id);
CREATE INDEX eval_runs_by_model ON eval_runs(model_id);
CREATE INDEX eval_runs_claimed ON eval_runs(claim_pid) WHERE claim_pid IS NOT NULL;
CREATE UNIQUE INDEX eval_samples_by_position ON eval_samples(run_id, position);
CREATE INDEX eval_samples_pending ON eval_samples(run_id, done, position);
`,
};
