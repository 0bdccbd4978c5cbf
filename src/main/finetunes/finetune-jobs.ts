/** Fine-tune jobs as the API lists them: the job, its spec (the job's params) and the model it registered. */
import type { FinetuneJob } from '../../shared/ipc-contract-finetunes';
import { finetuneSpecSchema } from '../../shared/finetune-types';
import type { Db } from '../db/open-database';
import { notFound } from '../errors';
import type { JobManager } from '../jobs/job-manager';
import { findModelByFinetuneJob } from '../models/model-registry';
import { resumableStep } from './finetune-resume';
import { getEvaluation, listPhases } from './finetune-state-store';

export function getFinetuneJob(db: Db, jobs: JobManager, jobId: string, workspaceRoot: string): FinetuneJob {
  const row = db.prepare(`SELECT params_json FROM jobs WHERE id = ? AND kind = 'finetune'`).get(jobId) as { params_json: string } | undefined;
  if (!row) throw notFound(`fine-tune job ${jobId}`);
  const job = jobs.get(jobId);
  if (job.kind !== 'finetune') throw notFound(`fine-tune job ${jobId}`);
  const spec = finetuneSpecSchema.parse(JSON.parse(row.params_json));
  const baseModelName = (db.prepare(`SELECT name FROM models WHERE id = ?`).pluck(true).get(spec.baseModelId) as string | undefined) ?? null;
  const snapshot = db
    .prepare(`SELECT d.name AS datasetName, v.name AS versionName FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id WHERE v.id = ?`)
    .get(spec.versionId) as { datasetName: string; versionName: string } | undefined;
  return {
    job,
    spec,
    model: findModelByFinetuneJob(db, jobId),
    baseModelName,
    snapshot: snapshot ?? null, phases: listPhases(db, jobId),
    evaluation: getEvaluation(db, jobId),
    resumableStep: resumableStep(workspaceRoot, jobId, job.status),
  };
}

/** Newest first. */
export function listFinetuneJobs(db: Db, jobs: JobManager, workspaceRoot: string): FinetuneJob[] {
  const ids = db.prepare(`SELECT id FROM jobs WHERE kind = 'finetune' ORDER BY created_at DESC, rowid DESC`).pluck(true).all() as string[];
  return ids.map((id) => getFinetuneJob(db, jobs, id, workspaceRoot));
}
