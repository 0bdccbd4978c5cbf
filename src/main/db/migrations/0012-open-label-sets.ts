/** Open label sets: a run's candidate list may exceed the snapshot's classes; it records the truth classes and an abstain candidate. */
import type { Migration } from './types';

// NULL truth_labels_json (every run before this migration) reads as "truth classes = labels" (eval-store.ts).
export const migration0012: Migration = {
  version: 12,
  name: 'open-label-sets',
  sql: `
ALTER TABLE eval_runs ADD COLUMN truth_labels_json TEXT;
ALTER TABLE eval_runs ADD COLUMN abstain_label TEXT;
`,
};
