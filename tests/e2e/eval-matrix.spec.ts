/**
 * A prompt × model matrix as a user drives it (browser host + headless chromium) on a real snapshotted cats-vs-dogs set:
 * pick two saved prompt versions (listed before the default and the prompt history), two tiny VLMs, start; the matrix
 * fills live with the stored metrics, the best cell is marked, a cell opens its run (and links back to the matrix, as the
 * runs table does) and two picked cells open the pairwise comparison.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvalRun, RegisteredModel } from '../../src/shared/eval-types';
import type { PromptVersion, SavePromptVersionResult } from '../../src/shared/prompt-types';
import { bestCell, type EvalBatch } from '../../src/shared/eval-matrix';
import { ensureTinyVlm } from '../../tools/tiny-vlm';
import { seedPets, type SeededPets } from './support/eval-setup';
import { copyPetsSpread } from '../fixtures/real-photos';
import { launchStudio, REPO_ROOT, type LaunchedStudio } from './support/launch-studio';

const ARTIFACTS = join(REPO_ROOT, 'tests', 'artifacts');
const EDITED_PROMPT = 'Cat or dog? Reply with one of:\n{{labels}}';
const pct = (x: number | undefined) => `${((x ?? NaN) * 100).toFixed(1)}%`;

describe('prompt × model matrix (browser host)', () => {
  let tmp: string;
  let studio: LaunchedStudio;
  let seeded: SeededPets;
  let lfm: RegisteredModel;
  let smol: RegisteredModel;
  let batch: EvalBatch;
  let v1: PromptVersion;
  let v2: PromptVersion;
  const shot = (name: string) => studio.page.screenshot({ path: join(ARTIFACTS, `matrix-${name}.png`), fullPage: false });

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    tmp = mkdtempSync(join(tmpdir(), 'vcs-matrix-e2e-'));
    // 40 photos per class: the cancel test needs a matrix that cannot finish before its Cancel click lands.
    copyPetsSpread(join(tmp, 'pets'), 40);
    studio = await launchStudio({ workspaceDir: join(tmp, 'workspace'), viewport: { width: 1280, height: 720 }, navigate: false });
    seeded = await seedPets(studio.core, join(tmp, 'pets'));
    lfm = (await seeded.call('models:register', { path: ensureTinyVlm('lfm2-vl', 1), name: 'tiny-lfm2' })) as RegisteredModel;
    smol = (await seeded.call('models:register', { path: ensureTinyVlm('smolvlm', 1), name: 'tiny-smol' })) as RegisteredModel;
    // An earlier run with an edited prompt puts that prompt in the dataset's prompt history.
    const { jobId } = (await seeded.call('evals:create', {
      name: 'edited prompt', versionId: seeded.version.id, split: 'test', modelId: lfm.id, mode: 'constrained',
      userPrompt: EDITED_PROMPT, seed: 1, nSamples: 2,
    })) as { run: EvalRun; jobId: string };
    expect((await studio.core.jobs.wait(jobId)).status).toBe('done');
    // Two saved versions of one prompt (v2 with label descriptions, expanded into the text its cells run with).
    v1 = ((await seeded.call('prompts:save', { name: 'cats-dogs', systemPrompt: '', userPrompt: 'Is this a cat or a dog? {{labels}}' })) as SavePromptVersionResult).version;
    v2 = (
      (await seeded.call('prompts:save', {
        promptId: v1.promptId,
        systemPrompt: 'You label pet photos.',
        userPrompt: '{{label_descriptions}}\nWhich one is it? {{labels}}',
        labelDescriptions: { cat: 'a small feline', dog: 'a domestic canine' },
      })) as SavePromptVersionResult
    ).version;
    await studio.page.goto(studio.url);
    await studio.page.getByTestId('dataset-title').waitFor();
  }, 180_000);

  afterAll(async () => {
    await studio?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('starts a 2 × 2 matrix from the form: two saved prompt versions, two VLMs, one mode', async () => {
    const { page } = studio;
    await page.getByTestId('section-evals').click();
    await page.getByTestId('matrix-open').click();
    const form = page.getByTestId('matrix-form');
    await form.waitFor();
    const prompts = page.getByTestId('matrix-prompt-option');
    // Saved versions first (newest first), then the studio default and the dataset's prompt history.
    await expect.poll(() => prompts.evaluateAll((els) => els.map((e) => e.getAttribute('data-prompt-name')))).toEqual([
      'cats-dogs v2',
      'cats-dogs v1',
      'default',
      expect.stringMatching(/^p1: Cat or dog\? Reply/),
    ]);
    expect(await page.getByTestId('matrix-prompt-saved').count()).toBe(2);
    expect(await prompts.nth(2).isChecked()).toBe(true); // the studio default
    await prompts.nth(2).uncheck();
    await prompts.nth(0).check();
    await prompts.nth(1).check();
    await page.locator('[data-testid="matrix-model-option"][data-model-name="tiny-lfm2"]').check();
    await page.locator('[data-testid="matrix-model-option"][data-model-name="tiny-smol"]').check();
    await page.getByTestId('matrix-mode-constrained').check();
    await page.getByTestId('matrix-n').fill('4');
    await page.getByTestId('matrix-name').fill('prompts vs models');
    expect(await page.getByTestId('matrix-cell-count').textContent()).toBe('2 prompts × 2 models × 1 mode = 4 runs of 4 samples');
    await shot('form');
    await page.getByTestId('matrix-start').click();
    const view = page.getByTestId('matrix-view');
    await view.waitFor();
    await shot('running');
    await expect.poll(() => view.getAttribute('data-status'), { timeout: 150_000, interval: 500 }).toBe('done');
    // Four evals finish together: the jobs bar keeps the newest two results open and folds the rest into one line.
    await expect.poll(() => page.locator('[data-testid="job"][data-status="done"]').count()).toBe(2);
    expect(await page.getByTestId('jobs-folded').textContent()).toMatch(/\d+ earlier results? folded/);
    const batches = (await seeded.call('batches:list', { datasetId: seeded.dataset.id })) as EvalBatch[];
    expect(batches).toHaveLength(1);
    batch = batches[0];
    expect(batch).toMatchObject({ name: 'prompts vs models', status: 'done', plannedCount: 16, doneCount: 16, modes: ['constrained'] });
    expect(batch.models.map((m) => m.id)).toEqual([lfm.id, smol.id]);
    expect(batch.prompts.map((p) => [p.name, p.promptVersionId, p.userPrompt])).toEqual([
      ['cats-dogs v2', v2.id, v2.expandedUserPrompt],
      ['cats-dogs v1', v1.id, 'Is this a cat or a dog? {{labels}}'],
    ]);
    expect(v2.expandedUserPrompt).toContain('a small feline');
    for (const cell of batch.cells) {
      const run = (await seeded.call('evals:get', { runId: cell.runId })) as EvalRun;
      expect(run.promptVersionId).toBe([v2.id, v1.id][cell.promptIndex]);
    }
  });

  it('shows rows = prompts, columns = models, the stored metrics per cell and the best cell marked', async () => {
    const { page } = studio;
    expect(await page.getByTestId('matrix-row').count()).toBe(2);
    expect(await page.locator('[data-testid="matrix-row"] th').allTextContents()).toEqual(['cats-dogs v2', 'cats-dogs v1']);
    expect(await page.getByTestId('matrix-column').allTextContents()).toEqual(['tiny-lfm2', 'tiny-smol']);
    const cells = page.getByTestId('matrix-cell');
    expect(await cells.count()).toBe(4);
    for (const cell of batch.cells) {
      const run = (await seeded.call('evals:get', { runId: cell.runId })) as EvalRun;
      expect(run.batchId).toBe(batch.id);
      const td = page.locator(`[data-testid="matrix-cell"][data-run-id="${cell.runId}"]`);
      expect(await td.getByTestId('matrix-cell-accuracy').textContent()).toContain(pct(run.metrics?.accuracy));
    }
    const best = bestCell(batch.cells);
    expect(await page.locator('[data-testid="matrix-cell"][data-best="true"]').getAttribute('data-run-id')).toBe(String(best?.runId));
    await shot('done');
  });

  it('a cell opens its run; two picked cells open the pairwise comparison', async () => {
    const { page } = studio;
    const [a, , , d] = batch.cells;
    await page.locator(`[data-testid="matrix-cell"][data-run-id="${a.runId}"]`).getByTestId('matrix-cell-open').click();
    await page.getByTestId('run-dashboard').waitFor();
    const runA = (await seeded.call('evals:get', { runId: a.runId })) as EvalRun;
    expect(await page.getByTestId('run-title').textContent()).toBe(runA.name);
    await shot('run');

    // The runs table marks the cell runs with their matrix; the link and the run view's "← Matrix" open it.
    await page.getByTestId('runs-back').click();
    const row = page.locator(`[data-testid="run-row"][data-run-id="${a.runId}"]`);
    expect(await row.getByTestId('run-matrix').textContent()).toBe(`matrix ${batch.id}`);
    expect(await page.locator('[data-testid="run-row"]').filter({ hasText: 'edited prompt' }).getByTestId('run-matrix').count()).toBe(0);
    await shot('runs');
    await row.getByTestId('run-matrix').click();
    await expect.poll(() => page.getByTestId('matrix-view').getAttribute('data-batch-id')).toBe(String(batch.id));
    await page.locator(`[data-testid="matrix-cell"][data-run-id="${a.runId}"]`).getByTestId('matrix-cell-open').click();
    await page.getByTestId('run-dashboard').waitFor();
    await page.getByTestId('run-matrix-back').click();
    await expect.poll(() => page.getByTestId('matrix-view').getAttribute('data-batch-id')).toBe(String(batch.id));
    expect(await page.getByTestId('matrix-compare').isDisabled()).toBe(true);
    await page.locator(`[data-testid="matrix-cell"][data-run-id="${a.runId}"]`).getByTestId('matrix-cell-pick').check();
    await page.locator(`[data-testid="matrix-cell"][data-run-id="${d.runId}"]`).getByTestId('matrix-cell-pick').check();
    await shot('picked');
    await page.getByTestId('matrix-compare').click();
    await page.getByTestId('compare-view').waitFor();
    const runD = (await seeded.call('evals:get', { runId: d.runId })) as EvalRun;
    expect(await page.getByTestId('compare-side-a').textContent()).toContain(runA.name);
    expect(await page.getByTestId('compare-side-b').textContent()).toContain(runD.name);
    await shot('compare');
  });

  it('a running matrix is cancelled as a whole and resumed to the end, keeping finished samples', async () => {
    const { page } = studio;
    await page.getByRole('button', { name: '← All runs' }).click();
    await page.getByTestId('matrix-open').click();
    await page.getByTestId('matrix-form').waitFor();
    // The form starts afresh after a start: the studio default alone.
    await expect.poll(() => page.getByTestId('matrix-prompt-option').evaluateAll((els) => els.map((e) => (e as unknown as { checked: boolean }).checked))).toEqual([false, false, true, false]);
    await page.locator('[data-testid="matrix-model-option"][data-model-name="tiny-lfm2"]').check();
    await page.locator('[data-testid="matrix-model-option"][data-model-name="tiny-smol"]').check();
    await page.getByTestId('matrix-mode-scored').check();
    await page.getByTestId('matrix-mode-constrained').uncheck();
    await page.getByTestId('matrix-n').fill('40');
    await page.getByTestId('matrix-name').fill('cancel me');
    await page.getByTestId('matrix-start').click();
    const view = page.getByTestId('matrix-view');
    await page.getByTestId('matrix-cancel').click();
    await expect.poll(() => view.getAttribute('data-status'), { timeout: 60_000, interval: 250 }).toBe('cancelled');
    const batchId = Number(await view.getAttribute('data-batch-id'));
    const cancelled = (await seeded.call('batches:get', { batchId })) as EvalBatch;
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.doneCount).toBeLessThan(cancelled.plannedCount);
    expect(await page.getByTestId('matrix-cell-status').count()).toBeGreaterThan(0);
    await shot('cancelled');
    await page.getByTestId('matrix-resume').click();
    await expect.poll(() => view.getAttribute('data-status'), { timeout: 150_000, interval: 500 }).toBe('done');
    const done = (await seeded.call('batches:get', { batchId })) as EvalBatch;
    expect(done).toMatchObject({ status: 'done', plannedCount: 80, doneCount: 80 });
    expect(studio.pageErrors).toEqual([]);
  });
});
