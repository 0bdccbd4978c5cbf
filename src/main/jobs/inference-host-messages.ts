/** The typed protocol between the inference host (main thread) and its long-lived inference worker thread. */
import type { StudioErrorPayload } from '../../shared/ipc-contract';
import type { JobResultMap } from '../../shared/jobs';

/** workerData of an inference host thread (the job worker script tells it apart from a one-job worker by `role`). */
export interface InferenceHostData {
  role: 'inference-host';
  workspaceRoot: string;
}

/** What the session cache of the host thread holds and has created (tests, bench, diagnostics). */
export interface InferenceHostStats {
  /** Eval runs in flight in the thread. */
  runs: number;
  /** Live cached sessions with their reference counts. */
  sessions: { id: number; file: string; refs: number }[];
  /** InferenceSession.create calls made by the cache since the thread started, per session role. */
  created: Record<string, number>;
}

export type ToHost =
  | { type: 'start'; jobId: string; runId: number }
  | { type: 'cancel'; jobId: string }
  | { type: 'stats'; requestId: number };

export type FromHost =
  | { type: 'progress'; jobId: string; value: number; message: string }
  | { type: 'done'; jobId: string; result: JobResultMap['eval'] }
  | { type: 'error'; jobId: string; error: StudioErrorPayload }
  | { type: 'stats'; requestId: number; stats: InferenceHostStats };

export function isInferenceHostData(data: unknown): data is InferenceHostData {
  return typeof data === 'object' && data !== null && (data as { role?: unknown }).role === 'inference-host';
}
