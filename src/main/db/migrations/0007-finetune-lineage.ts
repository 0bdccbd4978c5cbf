/** Fine-tuned models name their base and the job that trained them, indexed, so "what was trained from this model" is one lookup (full lineage stays in provenance_json). */
import type { Migration } from './types';

export const migration0007: Migration = {
  version: 7,
  name: 'finetune-lineage',
  sql: `
ALTER TABLE models ADD COLUMN base_model_id INTEGER REFERENCES models(id) ON DELETE SET NULL;
ALTER TABLE models ADD COLUMN finetune_job_id TEXT;
CREATE INDEX models_by_base ON models(base_model_id);
CREATE UNIQUE INDEX models_by_finetune_job ON models(finetune_job_id) WHERE finetune_job_id IS NOT NULL;
`,
};
