/**
 * The cascade report of one run: stage 1 alone (classifier top-1), stage 2 alone (a sibling run of the VLM over all
 * labels on the same plan), the cascade, and stage 1's top-k recall (the cascade's ceiling), all on the same samples.
 */
import type { CascadeArm, CascadeReport, CascadeSiblingRun } from '../../shared/cascade-types';
import type { EvalRun, EvalSampleRow } from '../../shared/eval-types';
import type { Db } from '../db/open-database';
import { stmt } from '../db/statement-cache';
import { StudioError } from '../errors';
import { runStoredCascade } from './cascade-plan';
import { evalSampleRows, getEvalRun } from './eval-store';
import { percentileLinear } from './metrics-stats';

const invalid = (message: string): StudioError => new StudioError('invalid-args', message);

/** Runs of the same VLM over the same plan (version, split, seed, sample count) that are not cascades: stage 2 alone. */
export function cascadeSiblings(db: Db, run: EvalRun): CascadeSiblingRun[] {
  return stmt(
    db,
    `SELECT id, name, mode, status FROM eval_runs
     WHERE version_id = ? AND split = ? AND seed = ? AND n_samples IS ? AND model_id IS ? AND cascade_json IS NULL
       AND mode != 'classifier' AND id != ? ORDER BY id DESC`,
  ).all(run.versionId, run.split, run.seed, run.nSamples, run.modelId, run.id) as CascadeSiblingRun[];
}

function median(values: readonly number[]): number | null {
  return values.length === 0 ? null : percentileLinear(values, 50);
}

function arm(correct: boolean[], latencies: (number | null)[]): CascadeArm {
  const n = correct.length;
  const hits = correct.filter(Boolean).length;
  return { correct: hits, n, accuracy: n === 0 ? null : hits / n, p50LatencyMs: median(latencies.filter((x): x is number => x !== null)) };
}

const isCorrect = (r: EvalSampleRow): boolean => r.error === null && r.prediction !== null && r.prediction === r.truth;

/** Builds the report; `stage2RunId` picks the stage-2 run (default: the newest finished sibling, else the newest one). */
export function cascadeReport(db: Db, runId: number, stage2RunId?: number): CascadeReport {
  const run = getEvalRun(db, runId);
  const cascade = runStoredCascade(db, runId);
  if (cascade === null) throw invalid(`Eval ${runId} ("${run.name}") is not a cascade run`);
  const siblings = cascadeSiblings(db, run);
  let stage2Run: EvalRun | null = null;
  if (stage2RunId !== undefined) {
    if (stage2RunId === runId) throw invalid('Stage 2 alone must be another run than the cascade');
    stage2Run = getEvalRun(db, stage2RunId);
    if (stage2Run.datasetId !== run.datasetId) throw invalid(`Run ${stage2RunId} evaluates another dataset`);
  } else {
    const pick = siblings.find((s) => s.status === 'done') ?? siblings[0];
    stage2Run = pick ? getEvalRun(db, pick.id) : null;
  }
  const stage2Rows = stage2Run === null ? null : new Map(evalSampleRows(db, stage2Run.id).filter((r) => r.done).map((r) => [r.sampleId, r]));
  const rows = evalSampleRows(db, runId).filter((r) => r.done && (stage2Rows === null || stage2Rows.has(r.sampleId)));

  const stage1Latency = rows.map((r) => r.stage1LatencyMs);
  const stage2Latency = rows.map((r) => (r.latencyMs !== null && r.stage1LatencyMs !== null ? r.latencyMs - r.stage1LatencyMs : null));
  const recallHits = rows.filter((r) => r.stage1?.labels.includes(r.truth) === true);
  const stage2Matched = stage2Rows === null ? null : rows.map((r) => stage2Rows.get(r.sampleId) as EvalSampleRow);
  return {
    runId,
    k: cascade.k,
    classifierName: cascade.classifierName,
    mappingName: cascade.mapping.name,
    mappedLabels: cascade.mapping.classes.length,
    totalLabels: run.labels.length,
    shared: rows.length,
    stage1: arm(
      rows.map((r) => r.stage1?.labels[0] === r.truth),
      stage1Latency,
    ),
    topKRecall: { hits: recallHits.length, n: rows.length, recall: rows.length === 0 ? null : recallHits.length / rows.length },
    cascade: arm(
      rows.map(isCorrect),
      rows.map((r) => r.latencyMs),
    ),
    stage2:
      stage2Run === null || stage2Matched === null
        ? null
        : {
            ...arm(
              stage2Matched.map(isCorrect),
              stage2Matched.map((r) => r.latencyMs),
            ),
            runId: stage2Run.id,
            runName: stage2Run.name,
          },
    cascadeGivenRecall: recallHits.length === 0 ? null : recallHits.filter(isCorrect).length / recallHits.length,
    stage1P50Ms: median(stage1Latency.filter((x): x is number => x !== null)),
    stage2P50Ms: median(stage2Latency.filter((x): x is number => x !== null)),
    siblings,
  };
}
