/** Saved, editable class mappings; per-sample out-of-distribution mass and model top-1; the class rows a merge/delete removed (for undo). */
import type { Migration } from './types';

export const migration0014: Migration = {
  version: 14,
  name: 'class-mappings',
  sql: `
CREATE TABLE class_mappings (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  model_id INTEGER REFERENCES models(id) ON DELETE SET NULL,
  model_class_count INTEGER NOT NULL CHECK (model_class_count > 0),
  mapping_json TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
ALTER TABLE eval_samples ADD COLUMN ood_mass REAL;
ALTER TABLE eval_samples ADD COLUMN model_top1 TEXT;
CREATE TABLE change_removed_classes (
  change_id INTEGER NOT NULL REFERENCES changes(id) ON DELETE CASCADE,
  class_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (change_id, class_id)
) WITHOUT ROWID;
`,
};
