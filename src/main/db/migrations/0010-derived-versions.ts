/** Robustness splits: versions derived from a snapshot's test split under a corruption, and the eval runs made from a template run. */
import type { Migration } from './types';

export const migration0010: Migration = {
  version: 10,
  name: 'derived-versions',
  sql: `
-- A derived version is an ordinary (immutable) dataset version whose rows point at corrupted copies of the source's
-- images; those images are never samples of the dataset, so finders and sample counts do not see them.
CREATE TABLE derived_versions (
  version_id INTEGER PRIMARY KEY REFERENCES dataset_versions(id) ON DELETE CASCADE,
  source_version_id INTEGER NOT NULL REFERENCES dataset_versions(id) ON DELETE CASCADE,
  corruption TEXT NOT NULL CHECK (corruption IN ('blur','noise','jpeg','downscale')),
  severity INTEGER NOT NULL CHECK (severity >= 1),
  param REAL NOT NULL,
  seed INTEGER NOT NULL,
  UNIQUE (source_version_id, corruption, severity)
);
CREATE INDEX derived_versions_by_source ON derived_versions(source_version_id);

-- Runs the robustness action made from a template run (same model, mode, prompts, seed), one per derived version.
CREATE TABLE robustness_runs (
  run_id INTEGER PRIMARY KEY REFERENCES eval_runs(id) ON DELETE CASCADE,
  template_run_id INTEGER NOT NULL REFERENCES eval_runs(id) ON DELETE CASCADE,
  version_id INTEGER NOT NULL REFERENCES dataset_versions(id) ON DELETE CASCADE,
  UNIQUE (template_run_id, version_id)
);
`,
};
