/**
 * Worker side of the inference host: one long-lived thread with one DB connection and one ONNX session cache runs
 * several eval runs at once as interleaved async work, so evals of a base and its fine-tunes share the sessions
 * whose content is equal. A run's error or cancel is reported for that run only; the others go on.
 */
import type { MessagePort } from 'node:worker_threads';
import { assertNever } from '../../shared/assert-never';
import { openDatabase } from '../db/open-database';
import { toErrorPayload } from '../errors';
import { runEval } from '../evals/run-eval';
import { workspacePaths } from '../workspace/workspace';
import type { FromHost, InferenceHostData, InferenceHostStats, ToHost } from './inference-host-messages';

/** Serves start/cancel/stats requests until the main thread terminates this thread. */
export function serveInferenceHost(port: MessagePort, data: InferenceHostData): void {
  const paths = workspacePaths(data.workspaceRoot);
  const db = openDatabase(paths.dbPath, { skipMigrations: true });
  const ws = { ...paths, db, close: () => db.close() };
  const runs = new Map<string, AbortController>();
  const post = (m: FromHost): void => port.postMessage(m);

  const start = (jobId: string, runId: number): void => {
    if (runs.has(jobId)) return;
    const controller = new AbortController();
    runs.set(jobId, controller);
    const onProgress = (value: number, message: string): void => post({ type: 'progress', jobId, value, message });
    // runEval never rejects synchronously and every outcome is caught here: one run's failure cannot reach the others.
    runEval(ws, runId, { onProgress, signal: controller.signal })
      .then(
        (run) => post({ type: 'done', jobId, result: { runId: run.id, status: run.status } }),
        (err: unknown) => post({ type: 'error', jobId, error: toErrorPayload(err) }),
      )
      .finally(() => runs.delete(jobId));
  };

  const stats = async (requestId: number): Promise<void> => {
    const { sessionCacheCounters, sessionCacheStats } = await import('../inference/vlm/session-cache');
    const s: InferenceHostStats = {
      runs: runs.size,
      sessions: sessionCacheStats().map(({ id, file, refs }) => ({ id, file, refs })),
      created: sessionCacheCounters().created,
    };
    post({ type: 'stats', requestId, stats: s });
  };

  port.on('message', (m: ToHost) => {
    switch (m.type) {
      case 'start':
        start(m.jobId, m.runId);
        return;
      case 'cancel':
        runs.get(m.jobId)?.abort();
        return;
      case 'stats':
        void stats(m.requestId);
        return;
      default:
        assertNever(m, 'inference host message');
    }
  });
}
