/**
 * The Fine-tunes monitor at 1280×720 on a workspace seeded with finetune job rows and their run folders written as the
 * trainer writes them (no Python): list, detail with the uPlot loss curve whose plotted points follow metrics.jsonl as
 * it grows, the train.log tail, Cancel on the live job and the model link on the done one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processStartTime } from '../../src/main/system/process-identity';
import { openWorkspace } from '../../src/main/workspace/workspace';
import { insertFinetuneJob, seedFinetuneRows, writeLogHeader, writeSteps } from './support/finetune-seed';
import { launchStudio, REPO_ROOT, type LaunchedStudio } from './support/launch-studio';

const ARTIFACTS = join(REPO_ROOT, 'tests', 'artifacts');
/** Longer than the monitor's live refetch (LIVE_REFETCH_MS, 2 s in finetune-format.ts). */
const PAST_ONE_REFETCH_MS = 3000;

describe('Fine-tunes monitor (browser host)', () => {
  let tmp: string;
  let ws: string;
  let trainer: ChildProcess;
  let studio: LaunchedStudio;
  const shot = (name: string) => studio.page.screenshot({ path: join(ARTIFACTS, `finetunes-${name}.png`) });

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    tmp = mkdtempSync(join(tmpdir(), 'vcs-finetunes-e2e-'));
    ws = join(tmp, 'ws');
    // The live job belongs to another live process (as a detached trainer's studio would), so this studio leaves it running.
    trainer = spawn('sleep', ['600'], { stdio: 'ignore' });
    const workspace = openWorkspace(ws);
    const { baseId, versionId } = seedFinetuneRows(workspace.db, ws);
    const spec = (outputName: string) => ({ baseModelId: baseId, versionId, outputName, systemPrompt: 'You are a vet.', userPrompt: 'Which pet?\n{{labels}}', hyperparams: { lora_r: 8, num_train_epochs: 2, batch_size: 4, gradient_accumulation_steps: 1 } });
    insertFinetuneJob(workspace.db, 'ft-done', spec('pets-lora-r8'), {
      status: 'done',
      message: 'step 24/24 · train_loss 0.4410 · eval_loss 0.5610',
      value: 1,
      createdAt: new Date(Date.now() - 50 * 60_000).toISOString(),
      finishedAt: new Date(Date.now() - 38 * 60_000).toISOString(),
      result: { modelId: 9, modelName: 'pets-lora-r8', exportDir: join(ws, 'x'), steps: 24, trainSeconds: 700, firstTrainLoss: 2.5, lastTrainLoss: 0.44, lastEvalLoss: 0.56, optimizer: 'adamw_torch' },
    });
    workspace.db.prepare(`INSERT INTO models (name, kind, path, architecture, base_model_id, finetune_job_id) VALUES ('pets-lora-r8', 'vlm', ?, 'lfm2_vl', ?, 'ft-done')`).run(join(ws, 'ft-model'), baseId);
    writeLogHeader(ws, 'ft-done');
    writeSteps(ws, 'ft-done', 1, 24);
    insertFinetuneJob(workspace.db, 'ft-live', spec('pets-lora-r16'), { status: 'running', message: 'step 8/24 · train_loss 0.9000', value: 8 / 24, createdAt: new Date(Date.now() - 4 * 60_000).toISOString(), hostPid: trainer.pid, hostStarted: processStartTime(trainer.pid!) });
    writeLogHeader(ws, 'ft-live');
    writeSteps(ws, 'ft-live', 1, 8);
    workspace.close();
    studio = await launchStudio({ workspaceDir: ws, viewport: { width: 1280, height: 720 } });
  });

  afterAll(async () => {
    await studio?.close();
    trainer?.kill();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('lists both fine-tunes with base model, snapshot, state and steps', async () => {
    const { page } = studio;
    await page.getByTestId('section-finetunes').click();
    const rows = page.getByTestId('finetune-row');
    await expect.poll(() => rows.count()).toBe(2);
    const live = page.locator('[data-testid="finetune-row"][data-job-id="ft-live"]');
    expect(await live.getByTestId('finetune-status').textContent()).toBe('running');
    expect(await live.getByTestId('finetune-steps').textContent()).toBe('8 / 24');
    expect(await live.textContent()).toContain('LFM2-VL-450M');
    expect(await live.textContent()).toContain('pets / v1');
    expect(await live.getByTestId('finetune-row-cancel').count()).toBe(1);
    const done = page.locator('[data-testid="finetune-row"][data-job-id="ft-done"]');
    expect(await done.getByTestId('finetune-steps').textContent()).toBe('24 / 24');
    expect(await done.getByTestId('finetune-row-cancel').count()).toBe(0);
    await shot('01-list');
  });

  it('the live job plots metrics.jsonl, follows appended rows and tails train.log', async () => {
    const { page } = studio;
    await page.locator('[data-testid="finetune-row"][data-job-id="ft-live"]').getByTestId('finetune-open').click();
    const chart = page.getByTestId('loss-chart');
    await chart.waitFor();
    expect(await chart.locator('canvas').count()).toBe(1);
    expect(await chart.getAttribute('data-points')).toBe('8');
    expect(await chart.getAttribute('data-eval-points')).toBe('2');
    expect(await chart.getAttribute('data-scale-x-max')).toBe('8');
    expect(await page.getByTestId('state-track').getAttribute('data-status')).toBe('running');
    expect(await page.getByTestId('ft-steps').textContent()).toContain('8 / 24');
    expect(await page.getByTestId('ft-eta').textContent()).not.toContain('—');
    expect(await page.getByTestId('finetune-cancel').isVisible()).toBe(true);
    const log = page.getByTestId('log-tail');
    await expect.poll(() => log.textContent()).toContain('step=8 ');
    expect(await log.textContent()).toContain('LoRA wraps 6 modules');
    await shot('02-live');

    writeSteps(ws, 'ft-live', 9, 14);
    await expect.poll(() => chart.getAttribute('data-points'), { timeout: 10_000 }).toBe('14');
    await expect.poll(() => chart.getAttribute('data-scale-x-max')).toBe('14');
    expect(await chart.getAttribute('data-eval-points')).toBe('3');
    await expect.poll(() => log.textContent()).toContain('step=14 ');
    expect(await page.getByTestId('ft-steps').textContent()).toContain('14 / 24');
    await page.getByTestId('log-tail').scrollIntoViewIfNeeded();
    await shot('03-live-appended');
  });

  it('the done job shows its end state and links to the registered model', async () => {
    const { page } = studio;
    await page.getByTestId('finetune-back').click();
    await page.locator('[data-testid="finetune-row"][data-job-id="ft-done"]').getByTestId('finetune-open').click();
    await expect.poll(() => page.getByTestId('state-track').getAttribute('data-status')).toBe('done');
    await expect.poll(() => page.getByTestId('loss-chart').getAttribute('data-points')).toBe('24');
    expect(await page.getByTestId('finetune-cancel').count()).toBe(0);
    await shot('04-done');
    // A finished job is not polled: rows written now show only once a finetune event invalidates the cache.
    writeSteps(ws, 'ft-done', 25, 26);
    await new Promise((r) => setTimeout(r, PAST_ONE_REFETCH_MS));
    expect(await page.getByTestId('loss-chart').getAttribute('data-points')).toBe('24');
    studio.core.bus.emit('jobs:changed', studio.core.jobs.get('ft-done'));
    await expect.poll(() => page.getByTestId('loss-chart').getAttribute('data-points')).toBe('26');
    await page.getByTestId('finetune-model').click();
    await page.getByTestId('models-screen').waitFor();
    expect(await page.getByTestId('models-screen').textContent()).toContain('pets-lora-r8');
    expect(studio.pageErrors).toEqual([]);
  });
});

describe('Fine-tunes empty state (browser host)', () => {
  it('offers the New fine-tune form and the CLI', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'vcs-finetunes-empty-'));
    const studio = await launchStudio({ workspaceDir: join(tmp, 'ws'), seedSample: true, viewport: { width: 1280, height: 720 } });
    try {
      await studio.page.getByTestId('dataset-title').waitFor();
      await studio.page.getByTestId('section-finetunes').click();
      const empty = studio.page.getByTestId('finetunes-empty');
      await empty.waitFor();
      expect(await empty.textContent()).toContain('npm run studio -- finetune --config');
      expect(await studio.page.getByTestId('new-finetune-open').isEnabled()).toBe(true);
      expect(await studio.page.getByTestId('finetunes-table').count()).toBe(0);
      await studio.page.screenshot({ path: join(ARTIFACTS, 'finetunes-00-empty.png') });
      expect(studio.pageErrors).toEqual([]);
    } finally {
      await studio.close();
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
