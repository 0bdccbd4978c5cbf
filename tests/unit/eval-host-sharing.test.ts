/**
 * Eval JOBS of a base and its fine-tunes run together in the one inference host thread: sessions whose content is
 * equal are created once (read from the thread's session-cache counters), results equal each run alone, and cancel,
 * a failing run and a dying thread each end only what they should (real worker thread, real onnxruntime sessions).
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTinyVlm, writeFineTuneCopy } from '../../tools/tiny-vlm';
import type { RegisteredModel } from '../../src/shared/eval-types';
import { createStudioCore } from '../../src/main/api/studio-core';
import { createDispatcher } from '../../src/main/api/dispatch';
import { StudioEventBus } from '../../src/main/api/event-bus';
import { createEvalRun } from '../../src/main/evals/eval-plan';
import { evalSampleRows, getEvalRun } from '../../src/main/evals/eval-store';
import { runEval } from '../../src/main/evals/run-eval';
import { InferenceHost } from '../../src/main/jobs/inference-host';
import { JobManager } from '../../src/main/jobs/job-manager';
import { registerModel } from '../../src/main/models/model-registry';
import { openWorkspace } from '../../src/main/workspace/workspace';
import { cleanupTempDirs, makeTempDir } from '../fixtures/temp-dirs';
import { REPO_ROOT } from '../support/assets';
import { runTsx } from '../support/run-tsx';
import { makePetsWorkspace, type PetsWorkspace } from './eval-fixture';

let pw: PetsWorkspace;
let base: RegisteredModel;
let decoderFts: RegisteredModel[];
let visionFt: RegisteredModel;
let broken: RegisteredModel;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  pw = await makePetsWorkspace(3);
  const baseDir = ensureTinyVlm('lfm2-vl', 1);
  const root = makeTempDir();
  base = await registerModel(pw.db, baseDir, { name: 'base' });
  decoderFts = [];
  for (const seed of [41, 42, 43]) {
    writeFineTuneCopy(baseDir, join(root, `ft-${seed}`), ['decoder_model_merged'], { seed });
    decoderFts.push(await registerModel(pw.db, join(root, `ft-${seed}`), { name: `ft-${seed}` }));
  }
  writeFineTuneCopy(baseDir, join(root, 'vision-ft'), ['vision_encoder'], { seed: 44, match: (n) => n === 'vision.projector.linear_1' });
  visionFt = await registerModel(pw.db, join(root, 'vision-ft'), { name: 'vision-ft' });
  // Registered while intact, then its decoder is overwritten: loading it throws inside the host thread.
  writeFineTuneCopy(baseDir, join(root, 'broken'), ['decoder_model_merged'], { seed: 45 });
  broken = await registerModel(pw.db, join(root, 'broken'), { name: 'broken' });
  for (const f of readdirSync(join(root, 'broken', 'onnx')).filter((n) => n.startsWith('decoder_model_merged'))) {
    writeFileSync(join(root, 'broken', 'onnx', f), 'this is not an ONNX graph');
  }
}, 180_000);
afterAll(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  pw?.cleanup();
  cleanupTempDirs();
});

/** A JobManager whose eval jobs run on this host (other thread jobs keep their own slots). */
function managerWith(host: InferenceHost, bus = new StudioEventBus()): JobManager {
  const jobs = new JobManager({ workspaceRoot: pw.root, bus, db: pw.db, inferenceHost: host });
  closers.push(() => jobs.close());
  return jobs;
}

async function scoredRun(model: RegisteredModel, name: string, nSamples: number | null): Promise<number> {
  const run = await createEvalRun(pw.db, { name, versionId: pw.version.id, split: 'all', modelId: model.id, mode: 'scored', seed: 5, nSamples, dtype: 'q8' });
  return run.id;
}
const rowsOf = (runId: number) => evalSampleRows(pw.db, runId).map((r) => [r.sampleId, r.prediction, r.probabilities, r.error]);

describe('eval jobs in the shared inference thread', () => {
  it('base + 3 decoder-only fine-tunes as four jobs create the vision encoder once and score as each run alone', { timeout: 240_000 }, async () => {
    const models = [base, ...decoderFts];
    const alone: unknown[] = [];
    for (const m of models) {
      const id = await scoredRun(m, `alone-${m.name}`, 4);
      expect((await runEval(pw.ws, id)).status).toBe('done');
      alone.push(rowsOf(id));
    }
    // The fine-tunes really differ from the base, or equal rows below would prove nothing.
    expect(alone[1]).not.toEqual(alone[0]);

    const host = new InferenceHost();
    const jobs = managerWith(host);
    const ids = await Promise.all(models.map((m) => scoredRun(m, `jobs-${m.name}`, 4)));
    const jobIds = ids.map((runId) => jobs.start('eval', { runId }));
    expect(jobIds.map((id) => jobs.get(id).status)).toEqual(['running', 'running', 'running', 'running']);
    const ended = await Promise.all(jobIds.map((id) => jobs.wait(id)));
    expect(ended.map((j) => [j.status, j.error])).toEqual(ended.map(() => ['done', null]));
    expect(ids.map(rowsOf)).toEqual(alone);

    const stats = await host.stats(pw.root);
    expect(stats?.created).toEqual({ vision_encoder: 1, embed_tokens: 1, decoder_model_merged: 4 });
    // Released as soon as no run used them (the cache's policy), while the thread itself stays for the next runs.
    expect(stats?.sessions).toEqual([]);
  });

  it('a fine-tune whose vision encoder weights differ gets its own vision session', { timeout: 180_000 }, async () => {
    const host = new InferenceHost();
    const jobs = managerWith(host);
    const ids = await Promise.all([base, visionFt].map((m) => scoredRun(m, `vision-${m.name}`, 2)));
    const ended = await Promise.all(ids.map((runId) => jobs.wait(jobs.start('eval', { runId }))));
    expect(ended.map((j) => j.status)).toEqual(['done', 'done']);
    expect((await host.stats(pw.root))?.created).toEqual({ vision_encoder: 2, embed_tokens: 1, decoder_model_merged: 1 });
  });

  it('cancelling one of four running jobs mid-run leaves the other three to finish', { timeout: 240_000 }, async () => {
    const bus = new StudioEventBus();
    const jobs = managerWith(new InferenceHost(), bus);
    const ids = await Promise.all([base, ...decoderFts].map((m) => scoredRun(m, `cancel-${m.name}`, null)));
    const jobIds = ids.map((runId) => jobs.start('eval', { runId }));
    const target = jobIds[1];
    bus.on('jobs:progress', (p) => {
      if (p.jobId === target && p.message.startsWith('Evaluated')) jobs.cancel(target);
    });
    const ended = await Promise.all(jobIds.map((id) => jobs.wait(id)));
    expect(ended.map((j) => j.status)).toEqual(['done', 'cancelled', 'done', 'done']);
    const runs = ids.map((id) => getEvalRun(pw.db, id));
    expect(runs.map((r) => r.status)).toEqual(['done', 'cancelled', 'done', 'done']);
    expect(runs[1].doneCount).toBeGreaterThan(0);
    expect(runs[1].doneCount).toBeLessThan(runs[1].plannedCount);
    for (const i of [0, 2, 3]) expect(runs[i].doneCount).toBe(runs[i].plannedCount);
  });

  it('a run that throws fails its job alone; the runs beside it finish', { timeout: 240_000 }, async () => {
    const jobs = managerWith(new InferenceHost());
    const ids = await Promise.all([base, broken, decoderFts[0]].map((m) => scoredRun(m, `throw-${m.name}`, 3)));
    const ended = await Promise.all(ids.map((runId) => jobs.wait(jobs.start('eval', { runId }))));
    expect(ended.map((j) => j.status)).toEqual(['done', 'failed', 'done']);
    expect(ended[1].error, String(ended[1].error)).toMatch(/^Loading .*broken.*failed/);
    expect(getEvalRun(pw.db, ids[1]).status).toBe('failed');
    for (const i of [0, 2]) expect(getEvalRun(pw.db, ids[i])).toMatchObject({ status: 'done', doneCount: 3 });
  });

  it('terminating the inference thread mid-run leaves its jobs interrupted (or, when onnxruntime aborts the process, interrupted at the next start), and evals:resume finishes them', { timeout: 240_000 }, async () => {
    const ids = await Promise.all([base, decoderFts[1]].map((m) => scoredRun(m, `crash-${m.name}`, null)));
    // In a child process: a thread terminated during an onnxruntime call may take its process down (onnxruntime#24486).
    const child = await runTsx(join(REPO_ROOT, 'tests', 'fixtures', 'inference-thread-kill-child.ts'), [pw.root, ...ids.map(String)]);
    if (child.code === 0) {
      const ended = JSON.parse(child.out.trim().split('\n').at(-1) as string) as { status: string; error: string | null }[];
      expect(ended.map((j) => j.status)).toEqual(['interrupted', 'interrupted']);
      expect(ended[0]?.error).toMatch(/inference thread stopped/);
      for (const id of ids) expect(getEvalRun(pw.db, id).status).toBe('interrupted');
    } else {
      // The known native abort, nothing else: the runs stay claimed by a dead process until the next start.
      expect(child.err, `child exited ${child.code}`).toMatch(/Napi::Error/);
    }
    const before = ids.map((id) => evalSampleRows(pw.db, id).filter((r) => r.done));
    const core = createStudioCore(openWorkspace(pw.root));
    closers.push(() => core.close());
    for (const id of ids) expect(getEvalRun(pw.db, id).status).toBe('interrupted');
    const call = createDispatcher(core.handlers);
    for (const [i, runId] of ids.entries()) {
      const { jobId } = (await call('evals:resume', { runId })) as { jobId: string };
      const job = await core.jobs.wait(jobId);
      expect(job.status, job.error ?? '').toBe('done');
      const run = getEvalRun(pw.db, runId);
      expect(run).toMatchObject({ status: 'done', doneCount: run.plannedCount, error: null });
      // The samples finished before the crash are kept, not redone.
      const kept = new Set(before[i].map((r) => r.sampleId));
      expect(evalSampleRows(pw.db, runId).filter((r) => kept.has(r.sampleId))).toEqual(before[i]);
    }
  });
});
