/** The studio's own job kinds (the list in src/shared/jobs.ts): their schemas, executor and owner links. */
import { jobParamSchemas, jobResultSchemas, type JobKind, type JobParamsMap, type JobResultMap } from '../../shared/jobs';
import { abandonRun } from '../evals/eval-claim';
import { abandonFinderRuns } from '../finders/finder-store';
import { finetuneExecutor } from '../finetunes/finetune-kind';
import { eraseKind, type AnyJobKindDef, type JobKindDef } from './job-kind';
import { threadExecutor, type StartWorker } from './thread-executor';
import { inferenceHostExecutor, type InferenceHost } from './inference-host';

export type BuiltinJobKinds = { [K in JobKind]: JobKindDef<JobParamsMap[K], JobResultMap[K]> };

/**
 * startWorker: tests swap the worker thread (e.g. one blocked on a FIFO); default the real job worker.
 * inferenceHost: where eval jobs run together (shared sessions); null = one worker thread per eval job.
 */
export function builtinJobKinds(startWorker?: StartWorker, inferenceHost: InferenceHost | null = null): BuiltinJobKinds {
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
    'model-download': { ...schemas('model-download'), producedOwner: (model) => ({ kind: 'model', id: model.id }) },
    'runtime-install': schemas('runtime-install'),
    // A worker that died mid-run leaves its finder run 'running': close it so the queue list does not wait forever.
    find: { ...schemas('find'), onStopped: (db, { datasetId, finder }, status) => abandonFinderRuns(db, datasetId, finder, status === 'cancelled' ? 'cancelled' : 'failed') },
    // A detached process: training outlives the studio and is re-attached at the next start. Owner: the base model.
    finetune: { ...schemas('finetune'), executor: finetuneExecutor(), owner: ({ baseModelId }) => ({ kind: 'model', id: baseModelId }) },
  };
}

export function builtinKindList(startWorker?: StartWorker): AnyJobKindDef[] {
  const kinds = builtinJobKinds(startWorker);
  return Object.values(kinds).map((def) => eraseKind(def as JobKindDef<unknown, unknown>));
}
