/** The typed protocol between the thread executor (main thread) and a job worker thread. */
import type { JobKind, JobParamsMap } from '../../shared/jobs';
import type { StudioErrorPayload } from '../../shared/ipc-contract';

/** Secrets a worker needs, handed over in memory at start (never in params, which the jobs table keeps). */
export interface WorkerSecrets {
  hfToken?: string;
}

export type JobWorkerData = {
  [K in JobKind]: { jobId: string; kind: K; params: JobParamsMap[K]; workspaceRoot: string; secrets?: WorkerSecrets };
}[JobKind];

export type ToWorker = { type: 'cancel' };

export type FromWorker =
  | { type: 'progress'; value: number; message: string }
  | { type: 'done'; result: unknown; cancelled: boolean; datasetId: number | null }
  | { type: 'error'; error: StudioErrorPayload };
