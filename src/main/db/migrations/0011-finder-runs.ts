/** Data-quality finders: each run's ranked suspects as a review queue, cached perceptual hashes, and the source of an edit in the audit log. */
import type { Migration } from './types';

export const migration0011: Migration = {
  version: 11,
  name: 'finder-runs',
  sql: `
CREATE TABLE finder_runs (
  id INTEGER PRIMARY KEY,
  dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  finder TEXT NOT NULL,
  options_json TEXT NOT NULL,
  job_id TEXT,
  status TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running','done','failed','cancelled')),
  sample_count INTEGER NOT NULL DEFAULT 0,
  suspect_count INTEGER NOT NULL DEFAULT 0,
  stats_json TEXT,
  error TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  finished_at TEXT
);
CREATE INDEX finder_runs_by_dataset ON finder_runs(dataset_id, id);
CREATE TABLE finder_suspects (
  run_id INTEGER NOT NULL REFERENCES finder_runs(id) ON DELETE CASCADE,
  sample_id INTEGER NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
  rank INTEGER NOT NULL,
  score REAL NOT NULL,
  reason TEXT NOT NULL,
  grp INTEGER,
  suggested_label TEXT,
  detail_json TEXT NOT NULL DEFAULT '{}',
  review TEXT NOT NULL DEFAULT 'open' CHECK (review IN ('open','kept','dropped','relabeled')),
  change_id INTEGER REFERENCES changes(id) ON DELETE SET NULL,
  PRIMARY KEY (run_id, sample_id)
) WITHOUT ROWID;
CREATE INDEX finder_suspects_by_rank ON finder_suspects(run_id, rank);
CREATE TABLE finder_image_hashes (
  image_hash TEXT PRIMARY KEY,
  phash TEXT NOT NULL
) WITHOUT ROWID;
ALTER TABLE changes ADD COLUMN source TEXT;
`,
};
