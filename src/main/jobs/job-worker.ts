/**
 * Worker-thread entry for every thread-backend job: opens its own DB connection and switches on the job kind; results
 * are typed per kind. Started with InferenceHostData it is instead the long-lived inference host (inference-host-worker.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { assertNever } from '../../shared/assert-never';
import { openDatabase } from '../db/open-database';
import { toErrorPayload } from '../errors';
import { runExport } from '../exports/export-runner';
import { runImport } from '../imports/import-runner';
import { runEval } from '../evals/run-eval';
import { deriveRobustnessVersions } from '../robustness/derive-versions';
import { runFinder } from '../finders/run-finder';
import { runPromptTry } from '../prompts/prompt-try-run';
import { downloadFromHub } from '../models/hub-download';
import { findModelByPath, registerModel } from '../models/model-registry';
import { createMiniVlm } from '../finetunes/mini-vlm-create';
import type { ModelDtype } from '../../shared/model-types';
import type { JobResultMap } from '../../shared/jobs';
import { installCudaRuntime } from '../runtime/install-cuda-runtime';
import { providerStatus } from '../runtime/provider-status';
import { modelStoreDir, workspacePaths, type Workspace } from '../workspace/workspace';
import type { FromWorker, JobWorkerData, ToWorker } from './job-messages';
import { isInferenceHostData } from './inference-host-messages';
import { serveInferenceHost } from './inference-host-worker';

async function runJob(data: JobWorkerData, ws: Workspace, signal: AbortSignal, post: (m: FromWorker) => void): Promise<void> {
  const onProgress = (value: number, message: string): void => post({ type: 'progress', value, message });
  switch (data.kind) {
    case 'import': {
      const report = await runImport(ws, data.params, { onProgress, signal });
      const result: JobResultMap['import'] = {
        reportId: report.id,
        datasetId: report.datasetId,
        imported: report.imported,
        alreadyPresent: report.alreadyPresent,
        issueCount: report.issues.length,
        skippedSideFileCount: report.skippedSideFiles.length,
        cancelled: report.cancelled,
      };
      post({ type: 'done', result, cancelled: report.cancelled, datasetId: report.datasetId });
      return;
    }
    case 'export': {
      try {
        const result: JobResultMap['export'] = await runExport(ws, data.params, onProgress, signal);
        post({ type: 'done', result, cancelled: false, datasetId: null });
      } catch (err) {
        if (!signal.aborted) throw err;
        post({ type: 'done', result: null, cancelled: true, datasetId: null });
      }
      return;
    }
    case 'eval': {
      const run = await runEval(ws, data.params.runId, { onProgress, signal });
      const result: JobResultMap['eval'] = { runId: run.id, status: run.status };
      post({ type: 'done', result, cancelled: run.status === 'cancelled', datasetId: null });
      return;
    }
    case 'model-download': {
      const { repoId, revision, dtype, endpoint, name } = data.params;
      const token = data.secrets?.hfToken;
      const downloaded = await downloadFromHub({ repoId, revision, dtype: dtype as ModelDtype, endpoint, destRoot: modelStoreDir(ws), token, onProgress, signal });
      const existing = findModelByPath(ws.db, downloaded.dir);
      const model: JobResultMap['model-download'] = existing ?? (await registerModel(ws.db, downloaded.dir, { name: name ?? repoId }));
      post({ type: 'done', result: model, cancelled: false, datasetId: null });
      return;
    }
    case 'runtime-install': {
      const installedFiles = await installCudaRuntime({ onProgress, signal });
      const result: JobResultMap['runtime-install'] = { runtime: data.params.runtime, installedFiles, status: await providerStatus('cuda') };
      post({ type: 'done', result, cancelled: false, datasetId: null });
      return;
    }
    case 'mini-vlm-create': {
      const model: JobResultMap['mini-vlm-create'] = await createMiniVlm(ws, data.params.name, { onProgress, signal });
      post({ type: 'done', result: model, cancelled: false, datasetId: null });
      return;
    }
    case 'robustness-derive': {
      const result = await deriveRobustnessVersions(ws, data.params.versionId, { seed: data.params.seed, onProgress, signal });
      post({ type: 'done', result, cancelled: result.cancelled, datasetId: null });
      return;
    }
    case 'find': {
      const result: JobResultMap['find'] = await runFinder(ws, data.params, { onProgress, signal, jobId: data.jobId });
      post({ type: 'done', result, cancelled: result.cancelled, datasetId: data.params.datasetId });
      return;
    }
    case 'prompt-try': {
      const result: JobResultMap['prompt-try'] = await runPromptTry(ws, data.params, { onProgress, signal });
      post({ type: 'done', result, cancelled: result.cancelled, datasetId: null });
      return;
    }
    case 'finetune':
      throw new Error('fine-tune jobs run in a detached process (src/main/finetunes/finetune-child.ts), not in the worker thread');
    default:
      assertNever(data, 'job kind');
  }
}

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('job-worker must run in a worker thread');
  const data = workerData as JobWorkerData;
  const controller = new AbortController();
  const onMessage = (m: ToWorker): void => {
    if (m.type === 'cancel') controller.abort();
  };
  port.on('message', onMessage);
  const post = (m: FromWorker): void => port.postMessage(m);
  const paths = workspacePaths(data.workspaceRoot);
  let db: ReturnType<typeof openDatabase> | null = null;
  try {
    db = openDatabase(paths.dbPath, { skipMigrations: true });
    const conn = db;
    await runJob(data, { ...paths, db: conn, close: () => conn.close() }, controller.signal, post);
  } catch (err) {
    post({ type: 'error', error: toErrorPayload(err) });
  } finally {
    db?.close();
    port.off('message', onMessage);
  }
}

if (isInferenceHostData(workerData)) {
  if (!parentPort) throw new Error('the inference host must run in a worker thread');
  serveInferenceHost(parentPort, workerData);
} else {
  void main();
}
