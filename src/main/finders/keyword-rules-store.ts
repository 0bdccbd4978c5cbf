/** The overlay finder's keyword rules per dataset, stored in the workspace so every front end and restart starts from them. */
import { DEFAULT_KEYWORDS, keywordRulesSchema } from '../../shared/finder-keywords';
import type { KeywordRules } from '../../shared/ipc-contract-finders';
import type { Db } from '../db/open-database';
import { nowIso, stmt } from '../db/statement-cache';
import { requireDataset } from '../datasets/dataset-service';
import { StudioError } from '../errors';

/** The saved rules, else the shipped defaults (also when the stored ones no longer parse: dropped, not guessed). */
export function loadKeywordRules(db: Db, datasetId: number): KeywordRules {
  requireDataset(db, datasetId);
  const json = stmt(db, 'SELECT keywords_json FROM finder_keyword_rules WHERE dataset_id = ?').pluck(true).get(datasetId) as string | undefined;
  if (json !== undefined) {
    const parsed = keywordRulesSchema.safeParse(JSON.parse(json));
    if (parsed.success) return { keywords: parsed.data, isDefault: false };
  }
  return { keywords: [...DEFAULT_KEYWORDS], isDefault: true };
}

/** Replaces the dataset's rules after checking each compiles; a bad list is refused whole and the stored one kept. */
export function saveKeywordRules(db: Db, datasetId: number, keywords: readonly string[]): KeywordRules {
  requireDataset(db, datasetId);
  const parsed = keywordRulesSchema.safeParse(keywords);
  if (!parsed.success) throw new StudioError('invalid-args', `Keyword rules not saved: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  stmt(
    db,
    `INSERT INTO finder_keyword_rules (dataset_id, keywords_json, updated_at) VALUES (?, ?, ?)
     ON CONFLICT(dataset_id) DO UPDATE SET keywords_json = excluded.keywords_json, updated_at = excluded.updated_at`,
  ).run(datasetId, JSON.stringify(parsed.data), nowIso());
  return { keywords: parsed.data, isDefault: false };
}
