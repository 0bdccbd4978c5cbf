/** The typed protocol between the JobManager (main thread) and a job worker thread. */
import type { ExportRequest, ExportResult, ImportRequest, JobKind } from '../../shared/domain';
import type { StudioErrorPayload } from '../../shared/ipc-contract';

/** Parameters each job kind takes. */
export interface JobParamsMap {
  import: ImportRequest;
  export: ExportRequest;
}

/** What an import job reports as its result (the full report is in import_reports). */
export interface ImportJobResult {
  reportId: number;
  datasetId: number;
  imported: number;
  alreadyPresent: number;
  issueCount: number;
  cancelled: boolean;
}

export interface JobResultMap {
  import: ImportJobResult;
  export: ExportResult;
}

export type JobWorkerData = {
  [K in JobKind]: { jobId: string; kind: K; params: JobParamsMap[K]; workspaceRoot: string };
}[JobKind];

export type ToWorker = { type: 'cancel' };

export type FromWorker =
  | { type: 'progress'; value: number; message: string }
  | { type: 'done'; result: unknown; cancelled: boolean; datasetId: number | null }
  | { type: 'error'; error: StudioErrorPayload };
