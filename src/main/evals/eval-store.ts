/** Reads eval runs and their per-sample rows back from SQLite into the shared eval types. */
import type { EvalDevice, EvalMode, EvalRun, EvalRunConfig, EvalSampleRow, EvalSplit, EvalStatus } from '../../shared/eval-types';
import type { EvalMetrics } from '../../shared/metrics-types';
import type { ClassMapping } from '../inference/classifier/class-mapping';
import type { Db } from '../db/open-database';
import { stmt } from '../db/statement-cache';
import { notFound, StudioError } from '../errors';
import { parseRunCascade, parseStage1 } from './cascade-stored';

interface RunRow {
  id: number;
  name: string;
  datasetId: number;
  versionId: number;
  split: EvalSplit;
  modelId: number | null;
  mode: EvalMode;
  systemPrompt: string;
  userPrompt: string;
  labelsJson: string;
  seed: number;
  nSamples: number | null;
  device: EvalDevice;
  dtype: string | null;
  classMappingJson: string | null;
  status: EvalStatus;
  error: string | null;
  metricsJson: string | null;
  configJson: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  plannedCount: number;
  doneCount: number;
  truthLabelsJson: string | null;
  abstainLabel: string | null;
  batchId: number | null;
  cascadeJson: string | null;
  promptVersionId: number | null;
  promptVersionName: string | null;
}

const RUN_COLUMNS = `r.id, r.name, r.dataset_id AS datasetId, r.version_id AS versionId, r.split, r.model_id AS modelId, r.mode,
  r.system_prompt AS systemPrompt, r.user_prompt AS userPrompt, r.labels_json AS labelsJson, r.seed,
  r.n_samples AS nSamples, r.device, r.dtype, r.class_mapping_json AS classMappingJson, r.status, r.error,
  r.metrics_json AS metricsJson, r.config_json AS configJson, r.created_at AS createdAt,
  r.started_at AS startedAt, r.finished_at AS finishedAt,
  r.truth_labels_json AS truthLabelsJson, r.abstain_label AS abstainLabel,
  r.started_at AS startedAt, r.finished_at AS finishedAt, r.batch_id AS batchId,
  (SELECT COUNT(*) FROM eval_samples e WHERE e.run_id = r.id) AS plannedCount,
  (SELECT COUNT(*) FROM eval_samples e WHERE e.run_id = r.id AND e.done = 1) AS doneCount, r.cascade_json AS cascadeJson,
  r.prompt_version_id AS promptVersionId,
  (SELECT p.name || ' v' || pv.number FROM prompt_versions pv JOIN prompts p ON p.id = pv.prompt_id WHERE pv.id = r.prompt_version_id) AS promptVersionName`;

function toRun(row: RunRow): EvalRun {
  const mapping = row.classMappingJson === null ? null : (JSON.parse(row.classMappingJson) as ClassMapping);
  const labels = JSON.parse(row.labelsJson) as string[];
  return {
    id: row.id,
    name: row.name,
    datasetId: row.datasetId,
    versionId: row.versionId,
    split: row.split,
    modelId: row.modelId,
    mode: row.mode,
    systemPrompt: row.systemPrompt,
    userPrompt: row.userPrompt,
    labels,
    // Runs from before open label sets (migration 0012) offered exactly the snapshot's classes.
    truthLabels: row.truthLabelsJson === null ? labels : (JSON.parse(row.truthLabelsJson) as string[]),
    abstainLabel: row.abstainLabel,
    seed: row.seed,
    nSamples: row.nSamples,
    device: row.device,
    dtype: row.dtype,
    classMapping: mapping?.name ?? null,
    status: row.status,
    error: row.error,
    metrics: row.metricsJson === null ? null : (JSON.parse(row.metricsJson) as EvalMetrics),
    config: JSON.parse(row.configJson) as EvalRunConfig,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    plannedCount: row.plannedCount,
    doneCount: row.doneCount,
    batchId: row.batchId,
    cascade: parseRunCascade(row.cascadeJson),
    promptVersionId: row.promptVersionId,
    promptVersionName: row.promptVersionName,
  };
}

export function getEvalRun(db: Db, runId: number): EvalRun {
  if (!Number.isInteger(runId)) throw new StudioError('invalid-args', `eval run id must be an integer, got ${String(runId)}`);
  const row = stmt(db, `SELECT ${RUN_COLUMNS} FROM eval_runs r WHERE r.id = ?`).get(runId) as RunRow | undefined;
  if (!row) throw notFound(`eval run ${runId}`);
  return toRun(row);
}

/** Newest first; optionally only one dataset's runs. */
export function listEvalRuns(db: Db, datasetId?: number): EvalRun[] {
  const rows =
    datasetId === undefined
      ? (stmt(db, `SELECT ${RUN_COLUMNS} FROM eval_runs r ORDER BY r.id DESC`).all() as RunRow[])
      : (stmt(db, `SELECT ${RUN_COLUMNS} FROM eval_runs r WHERE r.dataset_id = ? ORDER BY r.id DESC`).all(datasetId) as RunRow[]);
  return rows.map(toRun);
}

/** The stored class mapping of a classifier run (null = the model's own labels). */
export function runClassMapping(db: Db, runId: number): ClassMapping | null {
  const json = stmt(db, 'SELECT class_mapping_json FROM eval_runs WHERE id = ?').pluck(true).get(runId) as string | null | undefined;
  if (json === undefined) throw notFound(`eval run ${runId}`);
  return json === null ? null : (JSON.parse(json) as ClassMapping);
}

interface SampleDbRow {
  position: number;
  sampleId: number;
  imageHash: string;
  originalPath: string | null;
  truth: string;
  prediction: string | null;
  rawOutput: string | null;
  probabilitiesJson: string | null;
  latencyMs: number | null;
  error: string | null;
  done: number;
  oodMass: number | null;
  modelTop1: string | null;
  stage1Json: string | null;
  stage1LatencyMs: number | null;
}

/** Every planned row of a run in position order (finished or not), with the sample's original path. */
export function evalSampleRows(db: Db, runId: number): EvalSampleRow[] {
  getEvalRun(db, runId);
  const rows = stmt(
    db,
    `SELECT e.position, e.sample_id AS sampleId, e.image_hash AS imageHash, vs.original_path AS originalPath, e.truth,
       e.prediction, e.raw_output AS rawOutput, e.probabilities_json AS probabilitiesJson, e.latency_ms AS latencyMs,
       e.error, e.done, e.ood_mass AS oodMass, e.model_top1 AS modelTop1, e.stage1_json AS stage1Json, e.stage1_latency_ms AS stage1LatencyMs
     FROM eval_samples e JOIN eval_runs r ON r.id = e.run_id
     LEFT JOIN version_samples vs ON vs.version_id = r.version_id AND vs.sample_id = e.sample_id
     WHERE e.run_id = ? ORDER BY e.position`,
  ).all(runId) as SampleDbRow[];
  return rows.map((r) => ({
    position: r.position,
    sampleId: r.sampleId,
    imageHash: r.imageHash,
    originalPath: r.originalPath ?? '',
    truth: r.truth,
    prediction: r.prediction,
    rawOutput: r.rawOutput,
    probabilities: r.probabilitiesJson === null ? null : (JSON.parse(r.probabilitiesJson) as number[]),
    latencyMs: r.latencyMs,
    error: r.error,
    done: r.done === 1,
    oodMass: r.oodMass,
    modelTop1: r.modelTop1,
    stage1: parseStage1(r.stage1Json),
    stage1LatencyMs: r.stage1LatencyMs,
  }));
}

/** Deletes a run and its rows (never one that is running in this process — the caller checks). */
export function deleteEvalRun(db: Db, runId: number): void {
  const changes = stmt(db, 'DELETE FROM eval_runs WHERE id = ?').run(runId).changes;
  if (changes === 0) throw notFound(`eval run ${runId}`);
}

/** Switches an unfinished run to another device (e.g. CPU after CUDA failed to start); finished rows are kept. */
export function setRunDevice(db: Db, runId: number, device: EvalRun['device']): void {
  const run = getEvalRun(db, runId);
  if (run.status === 'done' || run.status === 'running') {
    throw new StudioError('conflict', `run "${run.name}" is ${run.status}; only an unfinished run can change device`);
  }
  stmt(db, 'UPDATE eval_runs SET device = ? WHERE id = ?').run(device, runId);
}
