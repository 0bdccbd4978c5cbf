/** The typed protocol between the JobManager (main thread) and a job worker thread. */
import type { ExportRequest, ExportResult, ImportRequest, JobKind, ModelDownloadRequest } from '../../shared/domain';
import type { RegisteredModel } from '../../shared/eval-types';
import type { StudioErrorPayload } from '../../shared/ipc-contract';
import type { RuntimeInstallResult, RuntimeName } from '../../shared/runtime-types';

/** Parameters each job kind takes. */
export interface JobParamsMap {
  import: ImportRequest;
  export: ExportRequest;
  eval: { runId: number };
  'model-download': ModelDownloadRequest;
  'runtime-install': { runtime: RuntimeName };
}

/** What an import job reports as its result (the full report is in import_reports). */
export interface ImportJobResult {
  reportId: number;
  datasetId: number;
  imported: number;
  alreadyPresent: number;
  issueCount: number;
  skippedSideFileCount: number;
  cancelled: boolean;
}

export interface JobResultMap {
  import: ImportJobResult;
  export: ExportResult;
  eval: { runId: number; status: string };
  'model-download': RegisteredModel;
  'runtime-install': RuntimeInstallResult;
}

export type JobWorkerData = {
  [K in JobKind]: { jobId: string; kind: K; params: JobParamsMap[K]; workspaceRoot: string };
}[JobKind];

export type ToWorker = { type: 'cancel' };

export type FromWorker =
  | { type: 'progress'; value: number; message: string }
  | { type: 'done'; result: unknown; cancelled: boolean; datasetId: number | null }
  | { type: 'error'; error: StudioErrorPayload };
