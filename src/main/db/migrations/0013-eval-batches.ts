/** Prompt × model matrices: a batch of eval runs over one seeded sample plan, and which matrix cell each run fills. */
import type { Migration } from './types';

export const migration0013: Migration = {
  version: 13,
  name: 'eval-batches',
  sql: `
CREATE TABLE eval_batches (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  version_id INTEGER NOT NULL REFERENCES dataset_versions(id) ON DELETE CASCADE,
  split TEXT NOT NULL CHECK (split IN ('train','val','test','all')),
  seed INTEGER NOT NULL,
  n_samples INTEGER CHECK (n_samples IS NULL OR n_samples > 0),
  -- [{name, systemPrompt, userPrompt, promptVersionId}], [{id, name}], ["raw", …]: the matrix axes in display order.
  prompts_json TEXT NOT NULL,
  models_json TEXT NOT NULL,
  modes_json TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE INDEX eval_batches_by_dataset ON eval_batches(dataset_id, id);
CREATE TABLE eval_batch_cells (
  run_id INTEGER PRIMARY KEY REFERENCES eval_runs(id) ON DELETE CASCADE,
  batch_id INTEGER NOT NULL REFERENCES eval_batches(id) ON DELETE CASCADE,
  prompt_index INTEGER NOT NULL,
  model_index INTEGER NOT NULL,
  mode_index INTEGER NOT NULL,
  UNIQUE (batch_id, prompt_index, model_index, mode_index)
);
ALTER TABLE eval_runs ADD COLUMN batch_id INTEGER REFERENCES eval_batches(id) ON DELETE SET NULL;
CREATE INDEX eval_runs_by_batch ON eval_runs(batch_id);
`,
};
