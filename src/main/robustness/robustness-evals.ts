/** The robustness action's eval side: one run per derived version with the template run's exact configuration. */
import type { EvalRun } from '../../shared/eval-types';
import { CORRUPTION_LABELS } from '../../shared/robustness-types';
import type { Db } from '../db/open-database';
import { stmt } from '../db/statement-cache';
import { StudioError } from '../errors';
import { createEvalRun } from '../evals/eval-plan';
import { runCascadeParams } from '../evals/cascade-plan';
import { getEvalRun } from '../evals/eval-store';
import { isDerivedVersion, listDerivedVersions } from './derived-store';

const invalid = (message: string): StudioError => new StudioError('invalid-args', message);

/**
 * Creates the missing runs (model, mode, prompts, labels, seed, sample count, device, dtype and class mapping copied
 * from the template, on each derived version's test split) and returns every run of this template, new or not.
 * With the same seed and sample ids, each run draws the same photos as the template: the accuracies are paired.
 */
export async function createRobustnessRuns(db: Db, templateRunId: number): Promise<EvalRun[]> {
  const template = getEvalRun(db, templateRunId);
  if (isDerivedVersion(db, template.versionId)) throw invalid(`Run "${template.name}" is itself on a robustness split; pick a run on the snapshot`);
  if (template.split !== 'test') {
    throw invalid(`Run "${template.name}" evaluated the ${template.split} split; robustness splits are derived from the test split, so pick a test-split run`);
  }
  if (template.modelId === null) throw invalid(`The model of run "${template.name}" was removed from the registry`);
  const derived = listDerivedVersions(db, template.versionId);
  if (derived.length === 0) throw invalid(`Snapshot "${template.config.versionName}" has no robustness splits yet; derive them first`);
  const existing = new Map(
    (stmt(db, 'SELECT version_id AS versionId, run_id AS runId FROM robustness_runs WHERE template_run_id = ?').all(template.id) as { versionId: number; runId: number }[]).map(
      (r) => [r.versionId, r.runId],
    ),
  );
  const runs: EvalRun[] = [];
  for (const d of derived) {
    const have = existing.get(d.versionId);
    if (have !== undefined) {
      runs.push(getEvalRun(db, have));
      continue;
    }
    const run = await createEvalRun(db, {
      name: `${template.name} · ${CORRUPTION_LABELS[d.corruption](d.param)}`,
      versionId: d.versionId,
      split: 'test',
      modelId: template.modelId,
      mode: template.mode,
      systemPrompt: template.systemPrompt,
      userPrompt: template.userPrompt,
      labels: template.labels,
      abstainLabel: template.abstainLabel,
      seed: template.seed,
      nSamples: template.nSamples === null ? null : Math.min(template.nSamples, d.sampleCount),
      device: template.device,
      dtype: template.dtype,
      classMapping: template.classMapping,
      cascade: runCascadeParams(db, template.id),
    });
    stmt(db, 'INSERT INTO robustness_runs (run_id, template_run_id, version_id) VALUES (?, ?, ?)').run(run.id, template.id, d.versionId);
    runs.push(run);
  }
  return runs;
}
