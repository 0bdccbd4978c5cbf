/** The studio's own job kinds (the list in src/shared/jobs.ts): their schemas, executor and owner links. */
import { jobParamSchemas, jobResultSchemas, type JobKind, type JobParamsMap, type JobResultMap } from '../../shared/jobs';
import { abandonRun } from '../evals/eval-claim';
import type { Db } from '../db/open-database';
import { abandonFinderRuns } from '../finders/finder-store';
import { finetuneExecutor } from '../finetunes/finetune-kind';
import { recordPhase } from '../finetunes/finetune-state-store';
import { eraseKind, type AnyJobKindDef, type JobKindDef } from './job-kind';
import { threadExecutor, type StartWorker } from './thread-executor';
import { inferenceHostExecutor, type InferenceHost } from './inference-host';

export type BuiltinJobKinds = { [K in JobKind]: JobKindDef<JobParamsMap[K], JobResultMap[K]> };

/** What kinds that work outside a worker thread need from the studio (the database for SSH hosts and phase stamps; in-memory passphrases; the shared inference thread). */
export interface BuiltinKindDeps {
  db?: Db;
  sshPassphrase?: (hostId: number) => string | undefined;
  /** Where eval jobs run together (shared sessions); null/unset = one worker thread per eval job. */
  inferenceHost?: InferenceHost | null;
  /** How often a Modal fine-tune polls its volume (default 10 s). */
  modalPollMs?: number;
}

/** startWorker: tests swap the worker thread (e.g. one blocked on a FIFO); default the real job worker. */
export function builtinJobKinds(startWorker?: StartWorker, deps: BuiltinKindDeps = {}): BuiltinJobKinds {
  const { inferenceHost } = deps;
  const schemas = <K extends JobKind>(kind: K) => ({
    kind,
    params: jobParamSchemas[kind] as unknown as JobKindDef<JobParamsMap[K], JobResultMap[K]>['params'],
    result: jobResultSchemas[kind] as unknown as JobKindDef<JobParamsMap[K], JobResultMap[K]>['result'],
    executor: threadExecutor<JobParamsMap[K], JobResultMap[K]>(startWorker),
  });
  return {
    import: schemas('import'),
    export: schemas('export'),
    eval: {
      ...schemas('eval'),
      ...(inferenceHost ? { executor: inferenceHostExecutor(inferenceHost) } : {}),
      owner: ({ runId }) => ({ kind: 'eval-run', id: runId }),
      onStopped: (db, { runId }, status) => abandonRun(db, runId, status === 'cancelled' ? 'cancelled' : 'interrupted'),
    },
    'model-download': {
      ...schemas('model-download'),
      // The token travels to the worker thread in memory only (workerData), read at each start (per-job value, then the store).
      executor: threadExecutor(startWorker, (ctx) => ({ hfToken: ctx.secret?.('hf-token') })),
      producedOwner: (model) => ({ kind: 'model', id: model.id }),
    },
    'runtime-install': schemas('runtime-install'),
    'mini-vlm-create': { ...schemas('mini-vlm-create'), producedOwner: (model) => ({ kind: 'model', id: model.id }) },
    // Training outlives the studio (a detached process, or a detached process on an SSH host) and is re-attached at the next start. Owner: the base model.
    finetune: {
      ...schemas('finetune'),
      executor: finetuneExecutor(deps),
      owner: ({ baseModelId }) => ({ kind: 'model', id: baseModelId }),
      onCreated: (db, _spec, jobId) => recordPhase(db, jobId, 'queued'),
      onStopped: (db, _spec, status, jobId) => recordPhase(db, jobId, status),
    },
    'robustness-derive': schemas('robustness-derive'),
    // A worker that died mid-run leaves its finder run 'running': close it so the queue list does not wait forever.
    'prompt-try': schemas('prompt-try'),
    find: { ...schemas('find'), onStopped: (db, { datasetId, finder }, status) => abandonFinderRuns(db, datasetId, finder, status === 'cancelled' ? 'cancelled' : 'failed') },
  };
}

export function builtinKindList(startWorker?: StartWorker, deps: BuiltinKindDeps = {}): AnyJobKindDef[] {
  const kinds = builtinJobKinds(startWorker, deps);
  return Object.values(kinds).map((def) => eraseKind(def as JobKindDef<unknown, unknown>));
}
