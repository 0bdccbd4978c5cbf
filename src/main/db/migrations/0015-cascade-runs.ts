/** Cascade runs: the run's classifier + k + mapping, and per sample stage 1's top-k proposals and latency (columns only). */
import type { Migration } from './types';

export const migration0015: Migration = {
  version: 15,
  name: 'cascade-runs',
  sql: `
-- {classifierModelId, k, classMappingId, classifierName, classifierPath, mapping}: null for every other run.
ALTER TABLE eval_runs ADD COLUMN cascade_json TEXT;
-- {labels, probabilities, unmappedMass}: the classifier's k proposals, best first.
ALTER TABLE eval_samples ADD COLUMN stage1_json TEXT;
-- Stage 1's part of latency_ms (latency_ms stays the whole sample: both stages).
ALTER TABLE eval_samples ADD COLUMN stage1_latency_ms REAL;
`,
};
