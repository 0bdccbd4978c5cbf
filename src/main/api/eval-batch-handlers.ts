/** Handlers for prompt × model matrix batches: each cell is an ordinary eval run driven by an ordinary eval job. */
import type { Handlers } from './handler-types';
import type { JobManager } from '../jobs/job-manager';
import type { Workspace } from '../workspace/workspace';
import { StudioError } from '../errors';
import { batchRunIds, createEvalBatch, getEvalBatch, listEvalBatches } from '../evals/eval-batch-store';
import { liveClaimant } from '../evals/eval-claim';
import { getEvalRun } from '../evals/eval-store';

type BatchChannel = Extract<keyof Handlers, `batches:${string}`>;

export function createEvalBatchHandlers(workspace: Workspace, jobs: JobManager): Pick<Handlers, BatchChannel> {
  const { db } = workspace;
  const activeJob = (runId: number): string | null => jobs.activeFor({ kind: 'eval-run', id: runId })?.id ?? null;
  return {
    'batches:create': async (params) => {
      const batch = await createEvalBatch(db, params);
      // Queued in cell order; the job system (the shared inference host) decides how many run at once.
      const jobIds = batch.cells.map((cell) => jobs.start('eval', { runId: cell.runId }));
      return { batch: getEvalBatch(db, batch.id), jobIds };
    },
    'batches:list': ({ datasetId }) => listEvalBatches(db, datasetId),
    'batches:get': ({ batchId }) => getEvalBatch(db, batchId),
    'batches:cancel': ({ batchId }) => {
      let cancelled = 0;
      // Queued cells first, so none of them slips into a slot freed by a cancelled running one.
      const live = batchRunIds(db, batchId)
        .map((runId) => activeJob(runId))
        .filter((jobId): jobId is string => jobId !== null)
        .sort((a, b) => Number(jobs.get(b).status === 'queued') - Number(jobs.get(a).status === 'queued'));
      for (const jobId of live) if (jobs.cancel(jobId)) cancelled++;
      return { cancelled };
    },
    'batches:resume': ({ batchId }) => {
      const pending = batchRunIds(db, batchId).filter((runId) => getEvalRun(db, runId).status !== 'done' && activeJob(runId) === null);
      const claimed = pending.find((runId) => liveClaimant(db, runId) !== null);
      if (claimed !== undefined) throw new StudioError('conflict', `eval #${claimed} of this matrix is running in process ${liveClaimant(db, claimed)}`);
      if (pending.length === 0 && getEvalBatch(db, batchId).status === 'done') throw new StudioError('conflict', 'every cell of this matrix already finished');
      return { jobIds: pending.map((runId) => jobs.start('eval', { runId })) };
    },
  };
}
