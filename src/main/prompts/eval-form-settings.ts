/** The New eval form's last settings per dataset, kept in the workspace so they survive restarts and reach every front end. */
import { evalFormSettingsSchema, type EvalFormSettings } from '../../shared/eval-form-settings';
import type { Db } from '../db/open-database';
import { nowIso, stmt } from '../db/statement-cache';
import { requireDataset } from '../datasets/dataset-service';

/** The remembered settings, or null when none were saved (or they no longer parse: an older shape is dropped, not guessed). */
export function loadEvalFormSettings(db: Db, datasetId: number): EvalFormSettings | null {
  requireDataset(db, datasetId);
  const json = stmt(db, 'SELECT settings_json FROM eval_form_settings WHERE dataset_id = ?').pluck(true).get(datasetId) as string | undefined;
  if (json === undefined) return null;
  const parsed = evalFormSettingsSchema.safeParse(JSON.parse(json));
  return parsed.success ? parsed.data : null;
}

/** Replaces the dataset's remembered settings. */
export function saveEvalFormSettings(db: Db, datasetId: number, settings: EvalFormSettings): void {
  requireDataset(db, datasetId);
  const clean = evalFormSettingsSchema.parse(settings);
  stmt(
    db,
    `INSERT INTO eval_form_settings (dataset_id, settings_json, updated_at) VALUES (?, ?, ?)
     ON CONFLICT(dataset_id) DO UPDATE SET settings_json = excluded.settings_json, updated_at = excluded.updated_at`,
  ).run(datasetId, JSON.stringify(clean), nowIso());
}
