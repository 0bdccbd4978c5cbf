/** The fine-tune state machine's phase stamps, its automatic base-vs-fine-tuned evaluation, and each SSH host's Python. */
import type { Migration } from './types';

export const migration0009: Migration = {
  version: 9,
  name: 'finetune-phases-evals',
  sql: `
CREATE TABLE finetune_phases (
  job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  phase TEXT NOT NULL,
  at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  detail TEXT,
  PRIMARY KEY (job_id, phase)
);
CREATE TABLE finetune_evals (
  job_id TEXT PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE,
  state TEXT NOT NULL,
  baseline_run_id INTEGER REFERENCES eval_runs(id) ON DELETE SET NULL,
  finetuned_run_id INTEGER REFERENCES eval_runs(id) ON DELETE SET NULL,
  error TEXT,
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
ALTER TABLE ssh_hosts ADD COLUMN python TEXT NOT NULL DEFAULT 'python3';
`,
};
