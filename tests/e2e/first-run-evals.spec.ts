/**
 * Models and Evals at 1280×720 as a new user meets them (browser host + Debian chromium, real MobileNetV2, real photos):
 * a cancelled run shows partial metrics, every eval view follows the dataset selected in the sidebar, the Add-model
 * dialog never shows stale or wrong facts, and no page overflows the window.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatasetSummary } from '../../src/shared/domain';
import type { EvalRun, RegisteredModel } from '../../src/shared/eval-types';
import { createEvalRun } from '../../src/main/evals/eval-plan';
import { asset } from '../support/assets';
import { copyPetsSpread } from '../fixtures/real-photos';
import { seedPets, type SeededPets } from './support/eval-setup';
import { launchStudio, REPO_ROOT, type LaunchedStudio } from './support/launch-studio';
import { runEvalCancelledAfter } from '../fixtures/eval-cancel';

const MOBILENET = asset('models', 'mobilenetv2-12-int8');
const ARTIFACTS = join(REPO_ROOT, 'tests', 'artifacts');

describe('first run, Models and Evals at 1280×720 (browser host)', () => {
  let tmp: string;
  let studio: LaunchedStudio;
  let seeded: SeededPets;
  let shelter: DatasetSummary;
  let model: RegisteredModel;
  let finished: EvalRun;
  let partial: EvalRun;
  const shot = (name: string) => studio.page.screenshot({ path: join(ARTIFACTS, `first-run-${name}.png`) });
  const pageWidth = () => studio.page.locator('html').evaluate((el) => el.scrollWidth);
  const classifier = (name: string) => ({
    name, versionId: seeded.version.id, split: 'all', modelId: model.id, mode: 'classifier', seed: 23, nSamples: null, classMapping: 'imagenet-cats-vs-dogs',
  });

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    tmp = mkdtempSync(join(tmpdir(), 'vcs-first-run-evals-'));
    copyPetsSpread(join(tmp, 'pets'), 10);
    copyPetsSpread(join(tmp, 'shelter'), 2);
    studio = await launchStudio({ workspaceDir: join(tmp, 'workspace'), viewport: { width: 1280, height: 720 }, navigate: false });
    seeded = await seedPets(studio.core, join(tmp, 'pets'));
    const { jobId } = (await seeded.call('datasets:import', { source: join(tmp, 'shelter'), format: 'imagefolder', datasetName: 'shelter' })) as { jobId: string };
    await studio.core.jobs.wait(jobId);
    shelter = ((await seeded.call('datasets:list', {})) as DatasetSummary[]).find((d) => d.name === 'shelter')!;
    model = (await seeded.call('models:register', { path: MOBILENET, name: 'mobilenet' })) as RegisteredModel;
    const created = (await seeded.call('evals:create', classifier('complete run'))) as { run: EvalRun; jobId: string };
    await studio.core.jobs.wait(created.jobId);
    finished = created.run;
    // A run the user cancelled after 3 of its 20 samples (the same path as Cancel in the jobs bar).
    partial = await createEvalRun(studio.core.workspace.db, { ...classifier('cancelled at 3'), split: 'all' } as Parameters<typeof createEvalRun>[1]);
    const stopped = await runEvalCancelledAfter(studio.core.workspace, partial.id, 3);
    if (stopped.status !== 'cancelled') throw new Error(`expected a cancelled run, got ${stopped.status}`);
    await studio.page.goto(studio.url);
    await studio.page.getByTestId('dataset-title').waitFor();
  });

  afterAll(async () => {
    await studio?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('marks a cancelled run’s metrics "Partial — 3 of 20 samples" in the list and on its dashboard', async () => {
    const { page } = studio;
    await page.locator(`[data-testid="dataset-item"][data-dataset-id="${seeded.dataset.id}"]`).click();
    await page.getByTestId('section-evals').click();
    const row = page.locator(`[data-testid="run-row"][data-run-id="${partial.id}"]`);
    await row.waitFor();
    expect(await row.getByTestId('run-partial').textContent()).toBe('Partial — 3 of 20 samples');
    expect(await page.locator(`[data-testid="run-row"][data-run-id="${finished.id}"]`).getByTestId('run-partial').count()).toBe(0);
    expect(await pageWidth()).toBeLessThanOrEqual(1280);
    const card = (await page.locator('.runs-card').boundingBox())!;
    const actions = (await row.getByTestId('run-delete').boundingBox())!;
    expect(actions.x + actions.width).toBeLessThanOrEqual(card.x + card.width); // Export…/Delete… not scrolled out of view
    await shot('10-runs-list');
    await row.getByTestId('run-open').click();
    await page.getByTestId('partial-note').waitFor();
    expect(await page.getByTestId('metrics-partial').textContent()).toBe('Partial — 3 of 20 samples');
    expect(await page.getByTestId('metric-cards').count()).toBe(1);
    expect(await page.getByTestId('run-no-metrics').count()).toBe(0);
    expect(await pageWidth()).toBeLessThanOrEqual(1280);
    await shot('11-partial-dashboard');

    // The same run left 'running' by a crash (no eval job alive): interrupted, with the same partial metrics.
    const db = studio.core.workspace.db;
    db.prepare(`UPDATE eval_runs SET status = 'running' WHERE id = ?`).run(partial.id);
    await page.reload();
    await page.getByTestId('section-evals').click();
    await page.locator(`[data-testid="run-row"][data-run-id="${partial.id}"] [data-testid="run-open"]`).click();
    await page.getByTestId('partial-note').waitFor();
    expect(await page.getByTestId('partial-note').textContent()).toContain('was interrupted before the end');
    expect(await page.getByTestId('run-live').count()).toBe(0);
    db.prepare(`UPDATE eval_runs SET status = 'cancelled' WHERE id = ?`).run(partial.id);
    await page.getByTestId('runs-back').click();
  });

  it('follows the sidebar: another dataset shows its own runs, and a run opened from the jobs bar selects its dataset', async () => {
    const { page } = studio;
    await page.locator(`[data-testid="dataset-item"][data-dataset-id="${shelter.id}"]`).click();
    await expect.poll(() => page.getByTestId('evals-screen').getAttribute('data-dataset-id')).toBe(String(shelter.id));
    expect(await page.getByTestId('evals-dataset').textContent()).toBe('shelter');
    expect(await page.getByTestId('run-dashboard').count()).toBe(0);
    await page.getByTestId('runs-empty').waitFor();
    await shot('12-evals-other-dataset');

    const started = (await seeded.call('evals:create', { ...classifier('started elsewhere'), nSamples: 4 })) as { run: EvalRun; jobId: string };
    await page.locator(`[data-testid="job"][data-job-id="${started.jobId}"] [data-testid="job-open-run"]`).click({ timeout: 60_000 });
    await expect.poll(() => page.getByTestId('run-dashboard').getAttribute('data-run-id')).toBe(String(started.run.id));
    expect(await page.getByTestId('evals-dataset').textContent()).toBe('pets');
    expect(await page.locator('[data-testid="dataset-item"].active').getAttribute('data-dataset-id')).toBe(String(seeded.dataset.id));
    await shot('13-run-from-jobs-bar');
  });

  it('Add model: the name follows the path, a failed inspect says why, a classifier shows its precision, Esc closes', async () => {
    const { page } = studio;
    await page.getByTestId('section-models').click();
    await page.getByTestId('model-add-open').first().click();
    await page.getByTestId('model-path').fill(MOBILENET);
    await page.getByTestId('model-inspect').click();
    await page.getByTestId('model-inspection').waitFor();
    expect(await page.getByTestId('inspection-dtypes').count()).toBe(0);
    expect(await page.getByTestId('inspection-precision').textContent()).toContain('no dtype variants');
    expect(await page.getByTestId('model-name').getAttribute('placeholder')).toBe('mobilenetv2-12-int8');
    await shot('14-add-classifier');

    await page.getByTestId('model-path').fill(join(tmp, 'not-a-model'));
    expect(await page.getByTestId('model-name').inputValue()).toBe('');
    expect(await page.getByTestId('model-name').getAttribute('placeholder')).toBe('not-a-model');
    await page.getByTestId('model-inspect').click();
    await page.getByTestId('model-inspect-error').waitFor();
    expect(await page.getByTestId('model-inspect-error').textContent()).toContain('not found');
    expect(await page.getByTestId('model-path-changed').count()).toBe(0);
    expect(await page.getByTestId('model-inspection').count()).toBe(0);
    await shot('15-add-model-failed-inspect');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('add-model-dialog').count()).toBe(0);
    expect(await pageWidth()).toBeLessThanOrEqual(1280);
    await shot('16-models-page');
  });

  it('New eval and Compare fit 1280×720', async () => {
    const { page } = studio;
    await page.getByTestId('section-evals').click();
    await page.getByTestId('runs-back').click(); // Evals remembers the run opened before Models
    await page.getByTestId('eval-new-open').click();
    await page.getByTestId('new-eval-form').waitFor();
    expect(await pageWidth()).toBeLessThanOrEqual(1280);
    await shot('17-new-eval');
    // A trip to Models (say, to add the model) and back finds the form as it was left.
    await page.getByTestId('eval-name').fill('draft that survives');
    await page.getByTestId('eval-seed').fill('99');
    await page.getByTestId('section-models').click();
    await page.getByTestId('models-screen').waitFor();
    await page.getByTestId('section-evals').click();
    await page.getByTestId('new-eval-form').waitFor();
    expect(await page.getByTestId('eval-name').inputValue()).toBe('draft that survives');
    expect(await page.getByTestId('eval-seed').inputValue()).toBe('99');
    await page.keyboard.press('Escape'); // nothing to close: the form stays, no error
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.locator(`[data-testid="run-row"][data-run-id="${finished.id}"] [data-testid="run-pick"]`).check();
    await page.locator(`[data-testid="run-row"][data-run-id="${partial.id}"] [data-testid="run-pick"]`).check();
    await page.getByTestId('runs-compare').click();
    await page.getByTestId('compare-view').waitFor();
    expect(await pageWidth()).toBeLessThanOrEqual(1280);
    await shot('18-compare');
    expect(studio.pageErrors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });
});
