/** Base + 3 fine-tunes evaluated as four concurrent eval JOBS through the JobManager: the shared inference thread vs one thread per job (time to first result, peak RSS). */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { StudioEventBus } from '../src/main/api/event-bus';
import { createEvalRun } from '../src/main/evals/eval-plan';
import { runImport } from '../src/main/imports/import-runner';
import { InferenceHost } from '../src/main/jobs/inference-host';
import { JobManager } from '../src/main/jobs/job-manager';
import { registerModel } from '../src/main/models/model-registry';
import { assignSplits } from '../src/main/splits/stratified-split';
import { createVersion } from '../src/main/versions/snapshot';
import { openWorkspace } from '../src/main/workspace/workspace';

export type JobsScenario = 'jobs-shared' | 'jobs-threads';

export interface JobsFigures {
  /** Start of the four jobs until every one has finished its first sample (model load + one sample). */
  firstResultMs: number;
  /** Start until all four jobs are done. */
  totalMs: number;
  /** Peak process RSS (every thread counts) above the RSS before the jobs started. */
  peakRssDeltaMb: number;
  /** Vision encoder sessions the shared thread's cache created (counter); null on the old path, where each job thread makes its own. */
  visionSessions: number | null;
  samplesPerJob: number;
}

const PETS = join(import.meta.dirname, '../resources/sample-project/pets');

/** Runs one eval job per model folder at once (fresh workspace, real photos) and measures the scenario. */
export async function measureEvalJobs(scenario: JobsScenario, dirs: string[], samplesPerJob: number, dataRoot: string): Promise<JobsFigures> {
  const root = mkdtempSync(join(dataRoot, 'eval-jobs-ws-'));
  const ws = openWorkspace(root);
  const host = scenario === 'jobs-shared' ? new InferenceHost({ maxRuns: dirs.length }) : null;
  const bus = new StudioEventBus();
  const jobs = new JobManager({ workspaceRoot: root, bus, db: ws.db, maxConcurrent: dirs.length, inferenceHost: host });
  try {
    const report = await runImport(ws, { source: PETS, format: 'imagefolder', datasetName: 'pets' }, {});
    assignSplits(ws.db, { datasetId: report.datasetId, seed: 7, ratios: { train: 0.5, val: 0, test: 0.5 } });
    const version = createVersion(ws.db, report.datasetId, 'v1');
    const runIds: number[] = [];
    for (const [i, dir] of dirs.entries()) {
      const model = await registerModel(ws.db, dir, { name: `m${i}` });
      const run = await createEvalRun(ws.db, { name: `r${i}`, versionId: version.id, split: 'all', modelId: model.id, mode: 'scored', seed: 5, nSamples: samplesPerJob });
      runIds.push(run.id);
    }
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    const t0 = performance.now();
    const firstAt = new Map<string, number>();
    bus.on('jobs:progress', (p) => {
      if (p.message.startsWith('Evaluated') && !firstAt.has(p.jobId)) firstAt.set(p.jobId, performance.now() - t0);
    });
    const jobIds = runIds.map((runId) => jobs.start('eval', { runId }));
    const ended = await Promise.all(jobIds.map((id) => jobs.wait(id)));
    const totalMs = performance.now() - t0;
    const stats = host ? await host.stats(root) : null;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    const bad = ended.find((j) => j.status !== 'done');
    if (bad) throw new Error(`eval job ${bad.id} ended ${bad.status}: ${bad.error ?? ''}`);
    return {
      firstResultMs: Math.max(...jobIds.map((id) => firstAt.get(id) ?? totalMs)),
      totalMs,
      peakRssDeltaMb: (peak - rss0) / (1 << 20),
      visionSessions: stats ? (stats.created.vision_encoder ?? 0) : null,
      samplesPerJob,
    };
  } finally {
    await jobs.close();
    ws.close();
    rmSync(root, { recursive: true, force: true });
  }
}
