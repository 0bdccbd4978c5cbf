/** Handlers for the model registry and eval runs (eval and download work runs as jobs). */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Handlers } from './handler-types';
import type { JobManager } from '../jobs/job-manager';
import type { Workspace } from '../workspace/workspace';
import { StudioError } from '../errors';
import { inspectModelFolder } from '../models/inspect-model-folder';
import { getModel, listModels, registerModel, removeModel } from '../models/model-registry';
import { createEvalRun } from '../evals/eval-plan';
import { withPartialMetrics } from '../evals/eval-metrics';
import { liveClaimant } from '../evals/eval-claim';
import { deleteEvalRun, getEvalRun, listEvalRuns, setRunDevice } from '../evals/eval-store';
import { pageEvalSamples } from '../evals/eval-samples-query';
import { compareRuns } from '../evals/eval-compare';
import { promptHistory } from '../evals/prompt-history';
import { exportRunCsv, exportRunJson } from '../evals/eval-export';
import { exportEvalConfig } from '../evals/eval-config-resolve';

type EvalChannel = Extract<keyof Handlers, `models:${string}` | `evals:${string}`>;

/** The eval job currently queued or running for a run in this process, if any (found by its owner link). */
function activeEvalJob(jobs: JobManager, runId: number): string | null {
  return jobs.activeFor({ kind: 'eval-run', id: runId })?.id ?? null;
}

export function createEvalHandlers(workspace: Workspace, jobs: JobManager): Pick<Handlers, EvalChannel> {
  const { db } = workspace;
  return {
    'models:list': () => listModels(db),
    'models:inspect': ({ path }) => inspectModelFolder(resolve(path)),
    'models:register': ({ path, name }) => registerModel(db, resolve(path), { name }),
    'models:remove': ({ modelId }) => {
      removeModel(db, modelId);
      return { removed: true };
    },
    'models:download': (req) => ({ jobId: jobs.start('model-download', req) }),
    'models:createMiniVlm': (req) => ({ jobId: jobs.start('mini-vlm-create', req) }),
    'evals:list': ({ datasetId }) => listEvalRuns(db, datasetId).map((run) => withPartialMetrics(db, run)),
    'evals:get': ({ runId }) => withPartialMetrics(db, getEvalRun(db, runId)),
    'evals:create': async (params) => {
      getModel(db, params.modelId);
      const run = await createEvalRun(db, params);
      return { run, jobId: jobs.start('eval', { runId: run.id }) };
    },
    'evals:resume': ({ runId, device }) => {
      const run = getEvalRun(db, runId);
      if (run.status === 'done') throw new StudioError('conflict', `run "${run.name}" already finished`);
      const active = activeEvalJob(jobs, runId);
      if (active) throw new StudioError('conflict', `run "${run.name}" is already running (job ${active})`);
      const claimant = liveClaimant(db, runId);
      if (claimant !== null) throw new StudioError('conflict', `run "${run.name}" is already running in process ${claimant}`);
      if (device && device !== run.device) setRunDevice(db, runId, device);
      return { jobId: jobs.start('eval', { runId }) };
    },
    'evals:delete': ({ runId }) => {
      if (activeEvalJob(jobs, runId) || liveClaimant(db, runId) !== null) throw new StudioError('conflict', 'cancel the running eval before deleting it');
      deleteEvalRun(db, runId);
      return { deleted: true };
    },
    'evals:samples': ({ runId, filter, offset, limit }) => pageEvalSamples(db, runId, filter, offset, limit),
    'evals:export': async ({ runId, format, destination, thumbnails }) => {
      const text =
        format === 'csv'
          ? await exportRunCsv(db, workspace, runId, { thumbnails })
          : format === 'json'
            ? await exportRunJson(db, workspace, runId, { thumbnails })
            : exportEvalConfig(db, runId);
      const path = resolve(destination);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, text, { flag: 'wx' }).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'EEXIST') throw new StudioError('conflict', `${path} already exists; choose another file name`);
        throw err;
      });
      return { path, bytes: Buffer.byteLength(text) };
    },
    'evals:compare': ({ aId, bId }) => compareRuns(db, aId, bId),
    'evals:prompts': ({ datasetId }) => promptHistory(db, datasetId),
  };
}
