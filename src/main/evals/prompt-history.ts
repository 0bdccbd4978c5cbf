/** Prompt history for a dataset, derived from the prompts stored with its eval runs (no separate table to drift). */
import type { Db } from '../db/open-database';
import type { PromptHistoryEntry } from '../../shared/eval-views';
import { listEvalRuns } from './eval-store';

export function promptHistory(db: Db, datasetId: number): PromptHistoryEntry[] {
  const byPrompt = new Map<string, PromptHistoryEntry>();
  for (const run of listEvalRuns(db, datasetId)) {
    if (run.mode === 'classifier') continue;
    const key = JSON.stringify([run.systemPrompt, run.userPrompt]);
    const entry = byPrompt.get(key) ?? {
      systemPrompt: run.systemPrompt,
      userPrompt: run.userPrompt,
      runs: 0,
      lastUsed: run.createdAt,
      bestAccuracy: null,
      bestRunId: null,
    };
    entry.runs++;
    if (run.createdAt > entry.lastUsed) entry.lastUsed = run.createdAt;
    const acc = run.status === 'done' ? (run.metrics?.accuracy ?? null) : null;
    if (acc !== null && (entry.bestAccuracy === null || acc > entry.bestAccuracy)) {
      entry.bestAccuracy = acc;
      entry.bestRunId = run.id;
    }
    byPrompt.set(key, entry);
  }
  return [...byPrompt.values()].sort((x, y) => (x.lastUsed < y.lastUsed ? 1 : -1));
}
