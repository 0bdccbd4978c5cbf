/**
 * Cascade runs as a user drives them (browser host + headless chromium) on real Oxford-pets breed photos: the new-eval
 * form's "Cascade: classifier proposes top-k" option with the real MobileNetV2 and a tiny LFM2-VL, the stage-2-alone
 * sibling started with it, the dashboard's cascade report matching the core's numbers, and the flips in the comparison.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CascadeReport } from '../../src/shared/cascade-types';
import type { EvalRun, EvalSampleRow, RegisteredModel } from '../../src/shared/eval-types';
import { ensureTinyVlm } from '../../tools/tiny-vlm';
import { asset } from '../support/assets';
import { copyPetBreeds } from '../fixtures/pets-breeds';
import { seedPets, type SeededPets } from './support/eval-setup';
import { launchStudio, REPO_ROOT, type LaunchedStudio } from './support/launch-studio';

const ARTIFACTS = join(REPO_ROOT, 'tests', 'artifacts');
/** Five breeds whose names ImageNet has and one it lacks (abyssinian: never proposed). */
const BREEDS = ['abyssinian', 'beagle', 'persian', 'pug', 'samoyed', 'siamese'];

describe('cascade runs (browser host)', () => {
  let tmp: string;
  let studio: LaunchedStudio;
  let seeded: SeededPets;
  let tiny: RegisteredModel;
  let mobilenet: RegisteredModel;
  let cascadeRunId = 0;
  const shot = (name: string) => studio.page.screenshot({ path: join(ARTIFACTS, `cascade-${name}.png`), fullPage: false });
  const runs = async () => (await seeded.call('evals:list', { datasetId: seeded.dataset.id })) as EvalRun[];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    tmp = mkdtempSync(join(tmpdir(), 'vcs-cascade-e2e-'));
    copyPetBreeds(join(tmp, 'breeds'), BREEDS, 4);
    studio = await launchStudio({ workspaceDir: join(tmp, 'workspace'), viewport: { width: 1280, height: 720 }, navigate: false });
    seeded = await seedPets(studio.core, join(tmp, 'breeds'));
    mobilenet = (await seeded.call('models:register', { path: asset('models', 'mobilenetv2-12-int8'), name: 'mobilenet' })) as RegisteredModel;
    tiny = (await seeded.call('models:register', { path: ensureTinyVlm('lfm2-vl'), name: 'tiny lfm2-vl' })) as RegisteredModel;
    await studio.page.goto(studio.url);
    await studio.page.getByTestId('dataset-title').waitFor();
  }, 180_000);

  afterAll(async () => {
    await studio?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('starts a cascade run (MobileNetV2 top-3 → tiny VLM scored) and its stage-2-alone sibling from the form', async () => {
    const { page } = studio;
    await page.getByTestId('section-evals').click();
    await page.getByTestId('eval-new-open').click();
    await page.getByTestId('eval-model').selectOption(String(tiny.id));
    await page.getByTestId('eval-mode-scored').check();
    await page.getByTestId('cascade-enabled').check();
    expect(await page.getByTestId('cascade-classifier').inputValue()).toBe(String(mobilenet.id));
    await page.getByTestId('cascade-k').fill('3');
    const preview = page.getByTestId('cascade-mapping-preview');
    await expect.poll(() => preview.getAttribute('data-matched')).toBe('5');
    expect(await preview.textContent()).toContain('persian → Persian cat');
    expect(await preview.textContent()).toContain('never proposed: abyssinian');

    // A broken custom mapping is refused before anything starts.
    await page.getByTestId('cascade-mapping').selectOption('custom');
    expect(await page.getByTestId('cascade-mapping-json').inputValue()).toContain('"pug"');
    await page.getByTestId('cascade-mapping-json').fill('{"pug": "x"}');
    await page.locator('.cascade-options .form-error').waitFor();
    expect(await page.getByTestId('eval-start').isDisabled()).toBe(true);
    await page.getByTestId('cascade-mapping').selectOption('by-name');
    expect(await page.getByTestId('eval-start').isDisabled()).toBe(false);

    expect(await page.getByTestId('cascade-stage2').isChecked()).toBe(true);
    await page.getByTestId('eval-name').fill('breeds cascade');
    await page.getByTestId('cascade-stage2').evaluate((e) => e.scrollIntoView({ block: 'center' }));
    await shot('01-new-eval');
    await page.getByTestId('eval-start').click();
    const dashboard = page.getByTestId('run-dashboard');
    await expect.poll(() => dashboard.getAttribute('data-status'), { timeout: 200_000, interval: 500 }).toBe('done');
    cascadeRunId = Number(await dashboard.getAttribute('data-run-id'));
    const all = await runs();
    const run = all.find((r) => r.id === cascadeRunId);
    expect(run).toMatchObject({ name: 'breeds cascade', mode: 'scored', cascade: { classifierModelId: mobilenet.id, k: 3, classMappingId: null } });
    const sibling = all.find((r) => r.name === 'breeds cascade · stage 2 alone');
    expect(sibling).toMatchObject({ cascade: null, mode: 'scored', seed: run?.seed, split: run?.split, modelId: tiny.id });
  }, 240_000);

  it('shows the cascade report: stage 1 alone, top-k recall, stage 2 alone and the cascade on the same samples', async () => {
    const { page } = studio;
    await expect.poll(async () => (await runs()).every((r) => r.status === 'done'), { timeout: 200_000, interval: 1000 }).toBe(true);
    const rep = (await seeded.call('cascade:report', { runId: cascadeRunId })) as CascadeReport;
    expect(rep.stage2).not.toBeNull();
    const section = page.getByTestId('cascade-section');
    await section.waitFor();
    await expect.poll(() => page.getByTestId('cascade-row-stage2').getAttribute('data-accuracy'), { timeout: 30_000 }).toBe(String(rep.stage2?.accuracy));
    expect(Number(await page.getByTestId('cascade-row-stage1').getAttribute('data-accuracy'))).toBeCloseTo(rep.stage1.accuracy ?? NaN, 12);
    expect(Number(await page.getByTestId('cascade-row-cascade').getAttribute('data-accuracy'))).toBeCloseTo(rep.cascade.accuracy ?? NaN, 12);
    expect(Number(await page.getByTestId('cascade-row-recall').getAttribute('data-recall'))).toBeCloseTo(rep.topKRecall.recall ?? NaN, 12);
    expect(await page.getByTestId('cascade-row-recall').textContent()).toContain(`${rep.topKRecall.hits} / ${rep.topKRecall.n}`);
    expect(await section.textContent()).toContain('covers 5 of the 6 candidate labels');
    // Real MobileNetV2 on the breeds it can name: most truths are among its 3 proposals, the cascade never beats that ceiling.
    expect(rep.cascade.correct).toBeLessThanOrEqual(rep.topKRecall.hits);
    expect(rep.topKRecall.hits).toBeGreaterThanOrEqual(Math.ceil(0.6 * rep.shared));
    expect(await page.getByTestId('run-dashboard').textContent()).toContain('Scored · cascade top-3');
    // Each sample lists stage 1's proposals; those without the truth are the misses the cascade could not fix.
    await expect.poll(() => page.getByTestId('eval-stage1').count()).toBeGreaterThan(0);
    const shown = await page
      .getByTestId('eval-sample')
      .evaluateAll((els) => els.map((e) => [Number(e.getAttribute('data-sample-id')), e.querySelector('[data-testid="eval-stage1"]')?.getAttribute('data-hit')] as const));
    const stored = (await seeded.call('evals:samples', { runId: cascadeRunId, filter: {}, offset: 0, limit: 100 })) as { rows: EvalSampleRow[] };
    const truthProposed = new Map(stored.rows.map((r) => [r.sampleId, String(r.stage1?.labels.includes(r.truth))]));
    expect(stored.rows.filter((r) => r.stage1?.labels.includes(r.truth)).length).toBe(rep.topKRecall.hits);
    for (const [sampleId, hit] of shown) expect(hit).toBe(truthProposed.get(sampleId));
    await section.scrollIntoViewIfNeeded();
    await shot('02-report');
    await page.getByTestId('eval-stage1').first().evaluate((e) => e.scrollIntoView({ block: 'center' }));
    await shot('03-samples');
  }, 240_000);

  it('opens the flips between stage 2 alone and the cascade in the comparison view', async () => {
    const { page } = studio;
    await page.getByTestId('cascade-compare').click();
    await page.getByTestId('compare-view').waitFor();
    const rep = (await seeded.call('cascade:report', { runId: cascadeRunId })) as CascadeReport;
    const cmp = (await seeded.call('evals:compare', { aId: rep.stage2?.runId ?? 0, bId: cascadeRunId })) as { shared: number; disagreements: unknown[] };
    expect(cmp.shared).toBe(rep.shared);
    expect(await page.getByTestId('disagreement').count()).toBe(cmp.disagreements.length);
    await shot('04-compare');
  }, 60_000);

  it('"Rerun with changes" from the cascade run opens the form with its cascade prefilled (classifier, k, mapping)', async () => {
    const { page } = studio;
    await page.getByTestId('compare-side-b').getByRole('button', { name: 'breeds cascade', exact: true }).first().click();
    await page.getByTestId('run-dashboard').waitFor();
    expect(await page.getByTestId('run-dashboard').getAttribute('data-run-id')).toBe(String(cascadeRunId));
    await page.getByTestId('run-rerun').click();
    await page.getByTestId('new-eval-form').waitFor();
    await expect.poll(() => page.getByTestId('cascade-enabled').isChecked(), { timeout: 20_000 }).toBe(true);
    expect(await page.getByTestId('eval-model').inputValue()).toBe(String(tiny.id));
    expect(await page.getByTestId('eval-mode-scored').isChecked()).toBe(true);
    expect(await page.getByTestId('cascade-classifier').inputValue()).toBe(String(mobilenet.id));
    expect(await page.getByTestId('cascade-k').inputValue()).toBe('3');
    expect(await page.getByTestId('cascade-mapping').inputValue()).toBe('by-name');
    await expect.poll(() => page.getByTestId('cascade-mapping-preview').getAttribute('data-matched')).toBe('5');
    expect(await page.getByTestId('eval-start').isDisabled()).toBe(false);
    await page.getByTestId('cascade-options').evaluate((e) => e.scrollIntoView({ block: 'center' }));
    await shot('05-rerun');
    expect(studio.pageErrors).toEqual([]);
  }, 60_000);
});
