/** E2E: the Models page's "Create a mini VLM" button starts the mini-vlm-create job (the real Python export), the jobs bar follows it, and the registered model appears in the table. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegisteredModel } from '../../src/shared/eval-types';
import { launchStudio, type LaunchedStudio } from './support/launch-studio';

describe('Models page: Create a mini VLM', () => {
  let tmp: string;
  let studio: LaunchedStudio;

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'vcs-mini-e2e-'));
    studio = await launchStudio({ workspaceDir: join(tmp, 'workspace'), viewport: { width: 1280, height: 720 } });
  });

  afterAll(async () => {
    await studio?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('builds and registers the mini VLM named in the dialog, with progress in the jobs bar', { timeout: 400_000 }, async () => {
    const { page } = studio;
    await page.getByTestId('section-models').click();
    await page.getByTestId('models-empty').waitFor();
    expect(await page.getByTestId('mini-vlm-open').textContent()).toBe('Create a mini VLM (MobileNetV2 + small LM)');
    await page.getByTestId('mini-vlm-open').click();
    await page.getByTestId('mini-vlm-name').fill('pets mini');
    await page.getByTestId('mini-vlm-start').click();
    const running = page.locator('[data-testid="job"][data-status="running"]');
    await running.waitFor({ timeout: 30_000 });
    expect(await running.locator('.job-kind').textContent()).toBe('Mini VLM');
    const done = page.locator('[data-testid="job"][data-status="done"]');
    await done.waitFor({ timeout: 360_000 });
    expect(await done.textContent()).toContain('Created and registered pets mini');
    await page.locator('[data-testid="model-row"][data-model-name="pets mini"]').waitFor();
    const models = studio.core.handlers['models:list']({}) as RegisteredModel[];
    expect(models.map((m) => [m.name, m.architecture])).toEqual([['pets mini', 'lfm2_vl']]);
    expect(studio.pageErrors).toEqual([]);
  });
});
