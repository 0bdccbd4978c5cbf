/**
 * The monitor's "Resume from step N" (browser host, no Python): shown for a cancelled job whose run folder holds a
 * complete checkpoint, absent without one; clicking goes through finetunes:resume, whose validation refuses this
 * seeded base (it has no PyTorch weights) with a clear error and no new job — on the same backend or on Modal
 * picked in the backend select.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finetuneRunDir } from '../../src/main/finetunes/finetune-run-files';
import { openWorkspace } from '../../src/main/workspace/workspace';
import { insertFinetuneJob, seedFinetuneRows, writeLogHeader, writeSteps } from './support/finetune-seed';
import { launchStudio, type LaunchedStudio } from './support/launch-studio';

describe('Fine-tune monitor: resume a stopped job (browser host)', () => {
  let tmp: string;
  let studio: LaunchedStudio;

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'vcs-ft-resume-e2e-'));
    const ws = join(tmp, 'ws');
    const workspace = openWorkspace(ws);
    const { baseId, versionId } = seedFinetuneRows(workspace.db, ws);
    const spec = { baseModelId: baseId, versionId, systemPrompt: 'You are a vet.', userPrompt: 'Which pet?\n{{labels}}', hyperparams: { max_steps: 24, save_steps: 4 } };
    const at = new Date(Date.now() - 20 * 60_000).toISOString();
    for (const id of ['ft-ckpt', 'ft-none']) {
      insertFinetuneJob(workspace.db, id, spec, { status: 'cancelled', message: 'step 9/24 · train_loss 0.9000', value: 9 / 24, createdAt: at, finishedAt: at });
      writeLogHeader(ws, id);
      writeSteps(ws, id, 1, 9);
    }
    // A checkpoint folder as the trainer leaves it after step 8 (only state.json marks it complete), plus an unfinished temp one.
    const ckpts = join(finetuneRunDir(ws, 'ft-ckpt'), 'checkpoints');
    mkdirSync(join(ckpts, 'step-8'), { recursive: true });
    writeFileSync(join(ckpts, 'step-8', 'state.json'), JSON.stringify({ format: 1, step: 8 }));
    mkdirSync(join(ckpts, '.tmp-step-12-77'));
    workspace.close();
    studio = await launchStudio({ workspaceDir: ws, viewport: { width: 1280, height: 720 } });
  });

  afterAll(async () => {
    await studio?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('offers "Resume from step 8" only where a checkpoint exists, and shows the refusal of a base that cannot train', async () => {
    const { page } = studio;
    await page.getByTestId('section-finetunes').click();
    await page.locator('[data-testid="finetune-row"][data-job-id="ft-none"]').getByTestId('finetune-open').click();
    await expect.poll(() => page.getByTestId('state-track').getAttribute('data-status')).toBe('cancelled');
    expect(await page.getByTestId('finetune-resume').count()).toBe(0);
    await page.getByTestId('finetune-back').click();
    await page.locator('[data-testid="finetune-row"][data-job-id="ft-ckpt"]').getByTestId('finetune-open').click();
    const resume = page.getByTestId('finetune-resume');
    await resume.waitFor();
    expect(await resume.textContent()).toBe('Resume from step 8');
    await resume.click();
    const banner = page.getByTestId('error-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('has no PyTorch weights (model.safetensors)');
    expect(await page.getByTestId('finetune-detail').getAttribute('data-job-id')).toBe('ft-ckpt');
    expect((await studio.core.handlers['finetunes:list']({})).map((f) => f.job.id).sort()).toEqual(['ft-ckpt', 'ft-none']); // no job was started
    // The backend select: as before by default, or Modal (no SSH host is configured here); Modal is refused for the same base, not for the backend.
    const target = page.getByTestId('finetune-resume-backend');
    expect(await target.locator('option').allTextContents()).toEqual(['on this computer (as before)', 'on Modal (A10G, 240 min)']);
    await target.selectOption('modal');
    await page.getByTestId('error-dismiss').click().catch(() => undefined);
    await resume.click();
    await expect.poll(async () => (await page.getByTestId('error-banner').allTextContents()).join(' ')).toContain('has no PyTorch weights');
    expect((await studio.core.handlers['finetunes:list']({})).map((f) => f.job.id).sort()).toEqual(['ft-ckpt', 'ft-none']);
    // The refused call is the host's 400 and reportError's console line; nothing else may fail.
    const expected = ['console: Failed to load resource: the server responded with a status of 400 (Bad Request)', 'console: [studio] Resuming the fine-tune: StudioCallError: Cannot start'];
    expect(studio.pageErrors.filter((e) => !expected.some((x) => e.startsWith(x)))).toEqual([]);
  });
});
