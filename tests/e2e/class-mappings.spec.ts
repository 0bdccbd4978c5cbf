/**
 * Editable class mappings as a user drives them (browser host + headless chromium): build a mapping from MobileNetV2's
 * own labels by search (dog = 151–268, cat = 281–285, the rest → "other"), save it, run a classifier eval with it on
 * real Oxford pets photos plus an "other" class (coffee, astronaut, adoption banners), read the OOD mass per sample and
 * for the run; then merge and delete a dataset class in the Data view and undo each.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher, type Dispatch } from '../../src/main/api/dispatch';
import type { OodSummary, SavedClassMapping } from '../../src/shared/class-mapping-types';
import type { ChangeRecord, ClassInfo, DatasetSummary } from '../../src/shared/domain';
import type { EvalRun, RegisteredModel } from '../../src/shared/eval-types';
import { asset } from '../support/assets';
import { copyPetsSpread } from '../fixtures/real-photos';
import { launchStudio, REPO_ROOT, type LaunchedStudio } from './support/launch-studio';

const ARTIFACTS = join(REPO_ROOT, 'tests', 'artifacts');
const OTHER = [
  asset('datasets', 'skimage-samples', 'coffee.png'),
  asset('datasets', 'skimage-samples', 'astronaut.png'),
  asset('datasets', 'bad-samples', 'adopted-banner.jpg'),
  asset('datasets', 'bad-samples', 'adopt-me-card.jpg'),
];

describe('class mappings (browser host)', () => {
  let tmp: string;
  let studio: LaunchedStudio;
  let call: Dispatch;
  let dataset: DatasetSummary;
  let model: RegisteredModel;
  const shot = (name: string) => studio.page.screenshot({ path: join(ARTIFACTS, `class-mappings-${name}.png`), fullPage: false });
  const classes = async () => (await call('classes:list', { datasetId: dataset.id })) as ClassInfo[];
  const classCount = (name: string) => studio.page.getByTestId(`class-count-${name}`).getAttribute('data-count');

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    tmp = mkdtempSync(join(tmpdir(), 'vcs-mappings-e2e-'));
    copyPetsSpread(join(tmp, 'pets'), 4);
    mkdirSync(join(tmp, 'pets', 'other'));
    for (const f of OTHER) copyFileSync(f, join(tmp, 'pets', 'other', f.slice(f.lastIndexOf('/') + 1)));
    studio = await launchStudio({ workspaceDir: join(tmp, 'workspace'), viewport: { width: 1280, height: 720 }, navigate: false });
    call = createDispatcher(studio.core.handlers);
    const { jobId } = (await call('datasets:import', { source: join(tmp, 'pets'), format: 'imagefolder', datasetName: 'pets' })) as { jobId: string };
    const job = await studio.core.jobs.wait(jobId);
    if (job.status !== 'done') throw new Error(`import ended as ${job.status}: ${job.error ?? ''}`);
    dataset = ((await call('datasets:list', {})) as DatasetSummary[])[0];
    await call('versions:create', { datasetId: dataset.id, name: 'v1', note: 'cat, dog, other' });
    model = (await call('models:register', { path: asset('models', 'mobilenetv2-12-int8'), name: 'mobilenet' })) as RegisteredModel;
    await studio.page.goto(studio.url);
    await studio.page.getByTestId('dataset-title').waitFor();
  });

  afterAll(async () => {
    await studio?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('builds a mapping from the model labels by search and saves it', async () => {
    const { page } = studio;
    await page.getByTestId('section-evals').click();
    await page.getByTestId('eval-new-open').click();
    await page.getByTestId('eval-model').selectOption(String(model.id));
    await expect.poll(() => page.getByTestId('eval-mode-classifier').isChecked()).toBe(true);
    await page.getByTestId('eval-mapping-new').click();
    const editor = page.getByTestId('class-mapping-editor');
    await editor.waitFor();
    await expect.poll(() => page.getByTestId('mapping-shown-count').textContent()).toBe('1000 of 1000');

    await page.getByTestId('mapping-name').fill('pets-with-other');
    await page.getByTestId('mapping-search').fill('terrier');
    await expect.poll(() => page.getByTestId('mapping-label-row').count()).toBe(19);
    const indices = await page.getByTestId('mapping-label-row').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-index'))));
    expect(indices.every((i) => i >= 151 && i <= 268)).toBe(true); // every terrier is inside the dog range
    await shot('01-search-terrier');

    for (const [range, target, n] of [['151-268', 'dog', 118], ['281-285', 'cat', 5]] as const) {
      await page.getByTestId('mapping-search').fill(range);
      await expect.poll(() => page.getByTestId('mapping-label-row').count()).toBe(n);
      await page.getByTestId('mapping-select-shown').click();
      await expect.poll(() => page.getByTestId('mapping-selected-count').textContent()).toBe(`${n} selected`);
      await page.getByTestId('mapping-target-input').fill(target);
      await page.getByTestId('mapping-assign').click();
      await expect.poll(() => page.locator(`[data-testid="mapping-target-row"][data-target="${target}"]`).getAttribute('data-count')).toBe(String(n));
    }
    expect(await page.getByTestId('mapping-save').isDisabled()).toBe(false);
    // The rest as abstain: an "unknown" target marked as the abstain answer …
    await page.getByTestId('mapping-rest-abstain').check();
    expect(await page.getByTestId('mapping-rest-target').inputValue()).toBe('unknown');
    expect(await page.getByTestId('mapping-abstain').inputValue()).toBe('unknown');
    await shot('02a-editor-rest-abstain');
    // … or, as this dataset has an "other" class, a plain target "other".
    await page.getByTestId('mapping-rest-to-target').check();
    expect(await page.getByTestId('mapping-abstain').inputValue()).toBe('');
    await page.getByTestId('mapping-rest-target').fill('other');
    await page.getByTestId('mapping-search').fill('');
    await expect.poll(() => page.locator('[data-testid="mapping-target-row"][data-rest="true"]').getAttribute('data-target')).toBe('other');
    await shot('02-editor-rest-other');
    await page.getByTestId('mapping-save').click();
    await expect.poll(() => editor.count()).toBe(0);
    await expect.poll(() => page.getByTestId('eval-class-mapping').inputValue()).toBe('pets-with-other');

    const saved = (await call('classMappings:list', {})) as SavedClassMapping[];
    expect(saved).toHaveLength(1);
    expect(saved[0].mapping).toEqual({
      name: 'pets-with-other',
      classes: [
        { label: 'dog', modelClasses: [{ from: 151, to: 268 }] },
        { label: 'cat', modelClasses: [{ from: 281, to: 285 }] },
      ],
      rest: 'other',
      abstain: null,
    });

    // Reopened for editing, the saved mapping comes back as it was (counts, rest target).
    await page.getByTestId('eval-mapping-edit').click();
    await editor.waitFor();
    await expect.poll(() => page.locator('[data-testid="mapping-target-row"][data-target="dog"]').getAttribute('data-count')).toBe('118');
    expect(await page.getByTestId('mapping-rest-target').inputValue()).toBe('other');
    expect(await page.getByTestId('mapping-delete').count()).toBe(1);
    await page.keyboard.press('Escape');
    await expect.poll(() => editor.count()).toBe(0);
  });

  it('runs a classifier eval with the saved mapping and shows the OOD mass per sample and for the run', async () => {
    const { page } = studio;
    await page.getByTestId('eval-split').selectOption('all');
    await page.getByTestId('eval-name').fill('mobilenet + other');
    await page.getByTestId('eval-start').click();
    const dashboard = page.getByTestId('run-dashboard');
    await dashboard.waitFor();
    await expect.poll(() => dashboard.getAttribute('data-status'), { timeout: 150_000, interval: 500 }).toBe('done');
    const runId = Number(await dashboard.getAttribute('data-run-id'));
    const run = (await call('evals:get', { runId })) as EvalRun;
    expect(run.classMapping).toBe('pets-with-other');
    expect(run.metrics?.n).toBe(12);

    const summary = (await call('classMappings:ood', { runId })) as OodSummary;
    expect(summary.count).toBe(12);
    const card = page.getByTestId('ood-summary');
    await card.waitFor();
    expect(Number(await card.getAttribute('data-mean'))).toBeCloseTo(summary.meanOodMass ?? -1, 12);
    expect(await page.getByTestId('ood-share').textContent()).toBe(`${((summary.shareAboveHalf ?? 0) * 100).toFixed(1)}%`);
    expect(summary.shareAboveHalf).toBeGreaterThanOrEqual(4 / 12); // the four non-animal photos at least
    expect(await page.getByTestId('calibration-renormalised').count()).toBe(1);

    await expect.poll(() => page.getByTestId('eval-sample').count()).toBe(12);
    const rows = await page.getByTestId('eval-sample').evaluateAll((els) =>
      els.map((e) => ({ truth: e.getAttribute('data-truth'), prediction: e.getAttribute('data-prediction'), ood: Number(e.querySelector('[data-testid="eval-ood"]')?.getAttribute('data-ood') ?? 'NaN') })),
    );
    for (const r of rows) expect(r.ood).toBeGreaterThanOrEqual(0);
    const others = rows.filter((r) => r.truth === 'other');
    expect(others).toHaveLength(4);
    for (const r of others) {
      expect(r.prediction).toBe('other');
      expect(r.ood).toBeGreaterThan(0.5);
    }
    await shot('03-run-ood-summary');
    await page.locator('[data-testid="eval-sample"][data-truth="other"]').first().scrollIntoViewIfNeeded();
    await shot('04-samples-ood');
  });

  it('merges a class and deletes a class in the Data view, each undone in one step', async () => {
    const { page } = studio;
    await page.getByTestId('section-data').click();
    await page.getByTestId('class-panel').waitFor();
    await expect.poll(() => classCount('other')).toBe('4');

    await page.getByTestId('class-merge-other').click();
    await page.getByTestId('class-remove-dialog').waitFor();
    await page.getByTestId('class-remove-target').selectOption({ label: 'dog (4)' });
    await shot('05-merge-dialog');
    await page.getByTestId('class-remove-submit').click();
    await expect.poll(() => page.getByTestId('class-count-other').count()).toBe(0);
    await expect.poll(() => classCount('dog')).toBe('8');
    expect((await classes()).map((c) => c.name)).toEqual(['cat', 'dog']);
    const changes = (await call('history:list', { datasetId: dataset.id, limit: 5 })) as ChangeRecord[];
    expect(changes[0]).toMatchObject({ action: 'merge-class', summary: 'Merge class "other" into "dog" (4 samples)', state: 'applied' });
    await shot('06-after-merge');

    await page.getByTestId('undo-button').click();
    await expect.poll(() => classCount('other')).toBe('4');
    await expect.poll(() => classCount('dog')).toBe('4');

    await page.getByTestId('class-delete-other').click();
    await page.getByTestId('class-remove-dialog').waitFor();
    expect(await page.getByTestId('class-remove-target').inputValue()).toBe('unlabelled');
    await page.getByTestId('class-remove-submit').click();
    await expect.poll(() => page.getByTestId('class-count-other').count()).toBe(0);
    await page.getByTestId('history-open').click();
    await expect.poll(() => page.getByTestId('history-row').first().textContent()).toContain('Delete class "other" (4 samples → unlabelled)');
    await shot('07-history-after-delete');
    await page.keyboard.press('Escape');
    await page.getByTestId('undo-button').click();
    await expect.poll(() => classCount('other')).toBe('4');
    expect((await classes()).map((c) => `${c.name}:${c.count}`)).toEqual(['cat:4', 'dog:4', 'other:4']);
    await shot('08-after-undo');
  });
});
