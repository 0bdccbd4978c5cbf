/** Initial schema: datasets, classes, content-addressed images, samples, immutable versions, audit log, imports, jobs. */
import type { Migration } from './types';

export const migration0001: Migration = {
  version: 1,
  name: 'init',
  sql: `
CREATE TABLE datasets (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);

CREATE TABLE classes (
  id INTEGER PRIMARY KEY,
  dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  position INTEGER NOT NULL,
  UNIQUE (dataset_id, name)
);

-- One row per distinct file content (sha256); the bytes live in the workspace image store.
CREATE TABLE images (
  hash TEXT PRIMARY KEY,
  ext TEXT NOT NULL,
  format TEXT NOT NULL,
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  has_thumb INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

CREATE TABLE samples (
  id INTEGER PRIMARY KEY,
  dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  image_hash TEXT NOT NULL REFERENCES images(hash),
  original_path TEXT NOT NULL,
  class_id INTEGER REFERENCES classes(id) ON DELETE SET NULL,
  split TEXT CHECK (split IN ('train','val','test')),
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','dropped')),
  drop_reason TEXT,
  notes TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  UNIQUE (dataset_id, image_hash)
);
CREATE INDEX samples_by_class ON samples(dataset_id, class_id, id);
CREATE INDEX samples_by_split ON samples(dataset_id, split, id);
CREATE INDEX samples_by_status ON samples(dataset_id, status, id);
CREATE INDEX samples_by_status_class ON samples(dataset_id, status, class_id, id);

-- Immutable snapshots that evals pin to. Triggers below forbid edits after creation.
CREATE TABLE dataset_versions (
  id INTEGER PRIMARY KEY,
  dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  classes_json TEXT NOT NULL,
  sample_count INTEGER NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  UNIQUE (dataset_id, name)
);
CREATE TABLE version_samples (
  version_id INTEGER NOT NULL REFERENCES dataset_versions(id) ON DELETE CASCADE,
  sample_id INTEGER NOT NULL,
  image_hash TEXT NOT NULL,
  original_path TEXT NOT NULL,
  label TEXT NOT NULL,
  split TEXT,
  PRIMARY KEY (version_id, sample_id)
) WITHOUT ROWID;
CREATE TRIGGER dataset_versions_immutable BEFORE UPDATE ON dataset_versions
BEGIN SELECT RAISE(ABORT, 'dataset versions are immutable'); END;
CREATE TRIGGER version_samples_immutable BEFORE UPDATE ON version_samples
BEGIN SELECT RAISE(ABORT, 'dataset versions are immutable'); END;
CREATE TRIGGER version_samples_no_insert_after BEFORE INSERT ON version_samples
WHEN (SELECT sealed FROM version_seals WHERE version_id = NEW.version_id) = 1
BEGIN SELECT RAISE(ABORT, 'dataset versions are immutable'); END;
CREATE TABLE version_seals (version_id INTEGER PRIMARY KEY REFERENCES dataset_versions(id) ON DELETE CASCADE, sealed INTEGER NOT NULL);

-- Audit log: one change (unit of undo/redo) holds many per-sample field edits.
CREATE TABLE changes (
  id INTEGER PRIMARY KEY,
  dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  summary TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'applied' CHECK (state IN ('applied','undone','discarded'))
);
CREATE INDEX changes_by_dataset ON changes(dataset_id, state, id);
CREATE TABLE change_entries (
  change_id INTEGER NOT NULL REFERENCES changes(id) ON DELETE CASCADE,
  sample_id INTEGER NOT NULL,
  field TEXT NOT NULL CHECK (field IN ('class_id','split','status','drop_reason','notes')),
  before TEXT,
  after TEXT
);
CREATE INDEX change_entries_by_change ON change_entries(change_id);
CREATE INDEX change_entries_by_sample ON change_entries(sample_id);

CREATE TABLE import_reports (
  id INTEGER PRIMARY KEY,
  dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  source TEXT NOT NULL,
  format TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  scanned INTEGER NOT NULL,
  imported INTEGER NOT NULL,
  already_present INTEGER NOT NULL,
  classes_json TEXT NOT NULL,
  cancelled INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE import_issues (
  report_id INTEGER NOT NULL REFERENCES import_reports(id) ON DELETE CASCADE,
  path TEXT NOT NULL,
  reason TEXT NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX import_issues_by_report ON import_issues(report_id);

CREATE TABLE jobs (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  value REAL NOT NULL DEFAULT 0,
  message TEXT NOT NULL DEFAULT '',
  params_json TEXT NOT NULL,
  result_json TEXT,
  error TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  finished_at TEXT
);
`,
};
