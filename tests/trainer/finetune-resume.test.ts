/**
 * Resume on the local backend, end to end on the tiny LFM2-VL fixture: a fine-tune job cancelled mid-run is resumed
 * through finetunes:resume (a new job, seeded with the stopped job's newest checkpoint) and finishes with the same
 * per-step train and eval losses as an uninterrupted job of the same spec.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFinetuneHandlers } from '../../src/main/api/finetune-handlers';
import { StudioEventBus } from '../../src/main/api/event-bus';
import { finetuneJobDir } from '../../src/main/finetunes/finetune-kind';
import { runImport } from '../../src/main/imports/import-runner';
import { JobManager } from '../../src/main/jobs/job-manager';
import { listModels, registerModel } from '../../src/main/models/model-registry';
import { assignSplits } from '../../src/main/splits/stratified-split';
import { createVersion } from '../../src/main/versions/snapshot';
import { openWorkspace, type Workspace } from '../../src/main/workspace/workspace';
import { finetuneSpecSchema } from '../../src/shared/finetune-types';
import { copyPetsSpread } from '../fixtures/real-photos';
import { ensureTinyRegistrableBase, PETS_SYSTEM, PETS_USER } from './fixtures';
import { readRows } from './resume-run';

/** Enough steps that the cancel after step 3 lands before the end on a fast idle CPU. */
const STEPS = 40;

describe('resuming a cancelled local fine-tune job (finetunes:resume)', () => {
  let root: string;
  let ws: Workspace;
  let jobs: JobManager;
  const bus = new StudioEventBus();

  beforeAll(async () => {
    const base = await ensureTinyRegistrableBase();
    root = mkdtempSync(join(tmpdir(), 'vcs-ft-resume-'));
    const src = mkdtempSync(join(tmpdir(), 'vcs-ft-resume-src-'));
    ws = openWorkspace(root);
    copyPetsSpread(src, 2);
    const report = await runImport(ws, { source: src, format: 'imagefolder', datasetName: 'pets' }, {});
    rmSync(src, { recursive: true, force: true });
    assignSplits(ws.db, { datasetId: report.datasetId, seed: 7, ratios: { train: 0.5, val: 0.5, test: 0 } });
    createVersion(ws.db, report.datasetId, 'v1');
    await registerModel(ws.db, base, { name: 'tiny-base' });
    jobs = new JobManager({ workspaceRoot: ws.root, bus, db: ws.db });
  });

  afterAll(async () => {
    await jobs?.close();
    ws?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('a job cancelled after step 3 and resumed logs the same per-step losses as an uninterrupted job', async () => {
    const spec = finetuneSpecSchema.parse({
      baseModelId: 1,
      versionId: 1,
      systemPrompt: PETS_SYSTEM,
      userPrompt: PETS_USER,
      hyperparams: { max_steps: STEPS, gradient_accumulation_steps: 2, learning_rate: 5e-3, logging_steps: 1, eval_steps: 10, save_steps: 2, optim: 'adamw_torch' },
      evaluate: { enabled: false },
    });
    const handlers = createFinetuneHandlers(ws, jobs);
    const straight = jobs.start('finetune', spec);
    expect((await jobs.wait(straight)).status).toBe('done');

    const stopped = jobs.start('finetune', spec);
    const third = new Promise<void>((resolve) => {
      const off = bus.on('jobs:progress', (p) => {
        const step = /step (\d+)\//.exec(p.message)?.[1];
        if (p.jobId === stopped && step !== undefined && Number(step) >= 3) {
          off();
          jobs.cancel(stopped);
          resolve();
        }
      });
    });
    // Fail at once (not at the test timeout) when the job ends before the cancel could land.
    await Promise.race([third, jobs.wait(stopped).then((j) => expect.fail(`the job ended ${j.status} before it could be cancelled`))]);
    expect((await jobs.wait(stopped)).status).toBe('cancelled');
    const stoppedJob = await handlers['finetunes:get']({ jobId: stopped });
    expect(stoppedJob.resumableStep, 'the cancelled job offers its newest checkpoint').not.toBeNull();
    expect(stoppedJob.resumableStep! % 2).toBe(0);
    expect(stoppedJob.resumableStep!).toBeLessThan(STEPS);

    const { jobId: resumed } = await handlers['finetunes:resume']({ jobId: stopped });
    expect((await handlers['finetunes:get']({ jobId: resumed })).spec.resumeFrom).toEqual({ jobId: stopped });
    // The stopped job is being resumed: a second resume of it is refused while the first runs.
    await expect(async () => handlers['finetunes:resume']({ jobId: stopped })).rejects.toThrow(`job ${resumed} is already resuming job ${stopped}`);
    const info = await jobs.wait(resumed);
    expect(info.status, info.error ?? '').toBe('done');

    const a = readRows(join(finetuneJobDir(root, straight), 'run'));
    const b = readRows(join(finetuneJobDir(root, resumed), 'run'));
    expect(b.map((r) => r.step)).toEqual(Array.from({ length: STEPS }, (_, i) => i + 1));
    expect(a.map((r) => r.step)).toEqual(b.map((r) => r.step));
    let worst = 0;
    for (const [i, r] of b.entries()) {
      worst = Math.max(worst, Math.abs(r.train_loss - a[i].train_loss), Math.abs((r.eval_loss ?? 0) - (a[i].eval_loss ?? 0)));
      expect(r.eval_loss === undefined).toBe(a[i].eval_loss === undefined);
    }
    console.log(`[finetune-resume] resumed from step ${stoppedJob.resumableStep}; max |Δloss| over ${STEPS} steps ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-4);
    expect(listModels(ws.db).filter((m) => m.provenance.finetune?.jobId === resumed)).toHaveLength(1);
    expect(listModels(ws.db).filter((m) => m.provenance.finetune?.jobId === stopped)).toHaveLength(0);
  }, 1_500_000);
});
