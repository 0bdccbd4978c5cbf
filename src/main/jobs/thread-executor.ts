/** Runs a job's work in a worker thread of this process: fast to start, but the work dies with the process (no re-attach). */
import type { Worker } from 'node:worker_threads';
import { assertNever } from '../../shared/assert-never';
import type { JobExecutor, JobRunContext } from './job-kind';
import type { FromWorker, JobWorkerData, ToWorker, WorkerSecrets } from './job-messages';
import { startJobWorker } from './worker-entry';

export type StartWorker = (data: JobWorkerData) => Worker;

/** secrets: read at each start and passed to the worker in memory (workerData is not persisted). */
export function threadExecutor<P, R>(startWorker: StartWorker = startJobWorker, secrets?: (ctx: JobRunContext<P, R>) => WorkerSecrets): JobExecutor<P, R> {
  return {
    backend: 'thread',
    reattach: () => null,
    run(ctx) {
      const data = { jobId: ctx.jobId, kind: ctx.kind, params: ctx.params, workspaceRoot: ctx.workspaceRoot, secrets: secrets?.(ctx) } as JobWorkerData;
      const worker = startWorker(data);
      const { events } = ctx;
      worker.on('message', (m: FromWorker) => {
        switch (m.type) {
          case 'progress':
            events.progress(m.value, m.message);
            return;
          case 'done':
            events.done(m.result as R | null, m.cancelled);
            if (m.datasetId !== null) events.datasetChanged(m.datasetId);
            return;
          case 'error':
            events.failed(m.error.message);
            return;
          default:
            assertNever(m, 'worker message');
        }
      });
      worker.on('error', (err) => events.failed(err.message));
      worker.on('exit', (code) => events.exited(`the job worker stopped unexpectedly (exit code ${code})`));
      return {
        cancel: () => worker.postMessage({ type: 'cancel' } satisfies ToWorker),
        kill: () => void worker.terminate().catch(() => {}),
        detach: async (graceMs) => {
          await terminateWithin(worker, graceMs);
          return false;
        },
      };
    },
  };
}

/** worker.terminate(), but gives up waiting after ms (a thread blocked in a system call never finishes terminating). */
export function terminateWithin(worker: Worker, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    worker.terminate().then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      () => resolve(),
    );
  });
}
