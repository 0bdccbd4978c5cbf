/**
 * The fine-tune's last stages, the same for every backend: the trained export is checked file by file against the
 * sha256s of the trainer's result.json (a mismatch fails the job and registers nothing), then registered as a model
 * with its lineage; registering twice (a re-attach after a crash) finds the first one.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FinetuneLineage, FinetuneResult, FinetuneSpec } from '../../shared/finetune-types';
import type { JobBackend } from '../../shared/jobs';
import type { Db } from '../db/open-database';
import { findModelByFinetuneJob, getModel, registerModel } from '../models/model-registry';
import { getVersion } from '../versions/snapshot';
import { metricsSummary, readMetrics } from './finetune-metrics';

/** Where a finished run's files are: the trainer's out folder (result.json, export/) and the live logs beside it. */
export interface RunFiles {
  out: string;
  metrics: string;
  trainLog: string;
}

interface TrainerResult {
  steps: number;
  train_seconds: number;
  files: Record<string, string>;
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/** Checks every export file result.json lists; throws naming the first that is missing or differs. */
export async function verifyRunExport(out: string): Promise<TrainerResult> {
  const file = join(out, 'result.json');
  if (!existsSync(file)) throw new Error(`the trainer finished without writing ${file}`);
  const result = JSON.parse(readFileSync(file, 'utf8')) as TrainerResult;
  const entries = Object.entries(result.files ?? {}).filter(([rel]) => rel.startsWith('export/'));
  if (entries.length === 0) throw new Error(`${file} lists no export files`);
  for (const [rel, sha] of entries) {
    const path = join(out, rel);
    if (!existsSync(path)) throw new Error(`artifact ${rel} is missing; nothing was registered`);
    const got = await sha256File(path);
    if (got !== sha) throw new Error(`artifact ${rel} failed its sha256 check (result.json says ${sha.slice(0, 12)}…, got ${got.slice(0, 12)}…); nothing was registered`);
  }
  return result;
}

/** The optimizer the trainer really used: its log says when adamw_8bit fell back. */
function usedOptimizer(trainLog: string, asked: string): string {
  const log = existsSync(trainLog) ? readFileSync(trainLog, 'utf8') : '';
  return log.includes('falling back to adamw_torch') ? 'adamw_torch' : asked;
}

function lineage(db: Db, spec: FinetuneSpec, labels: string[], jobId: string, optimizer: string, backend: JobBackend): FinetuneLineage {
  const base = getModel(db, spec.baseModelId);
  const version = getVersion(db, spec.versionId);
  const dataset = db.prepare('SELECT name FROM datasets WHERE id = ?').pluck(true).get(version.datasetId) as string;
  return {
    baseModelId: base.id,
    baseModelName: base.name,
    datasetId: version.datasetId,
    datasetName: dataset,
    versionId: version.id,
    versionName: version.name,
    systemPrompt: spec.systemPrompt,
    userPrompt: spec.userPrompt,
    labels,
    hyperparams: spec.hyperparams,
    jobId,
    backend,
    optimizer,
  };
}

/** Verifies the run's export and registers it (once per job); returns the job's result. */
export async function registerFinetune(db: Db, spec: FinetuneSpec, jobId: string, run: RunFiles, labels: string[], backend: JobBackend): Promise<FinetuneResult> {
  const trained = await verifyRunExport(run.out);
  const optimizer = usedOptimizer(run.trainLog, spec.hyperparams.optim);
  const base = getModel(db, spec.baseModelId);
  const name = spec.outputName ?? `${base.name}-ft-${jobId.slice(0, 8)}`;
  const model = findModelByFinetuneJob(db, jobId) ?? (await registerModel(db, join(run.out, 'export'), { name, lineage: lineage(db, spec, labels, jobId, optimizer, backend) }));
  return {
    modelId: model.id,
    modelName: model.name,
    exportDir: model.path,
    steps: trained.steps,
    trainSeconds: trained.train_seconds,
    ...metricsSummary(readMetrics(run.metrics)),
    optimizer,
  };
}
