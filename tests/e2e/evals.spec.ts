/**
 * Models and evals as a user drives them (browser host + headless chromium) on a real snapshotted cats-vs-dogs set:
 * a broken folder is refused with its problems, MobileNetV2 and a tiny VLM are registered through Add local model,
 * a classifier eval and a scored VLM eval run as jobs, the dashboard matches the DB, the matrix filters the samples,
 * the prompt history lists the edited prompt, two runs are compared and a run's YAML config is exported.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvalRun, RegisteredModel } from '../../src/shared/eval-types';
import type { EvalComparison } from '../../src/shared/eval-views';
import { ensureTinyVlm } from '../../tools/tiny-vlm';
import { asset } from '../support/assets';
import { seedPets, type SeededPets } from './support/eval-setup';
import { copyPetsSpread } from '../fixtures/real-photos';
import { launchStudio, REPO_ROOT, type LaunchedStudio } from './support/launch-studio';

const MOBILENET = asset('models', 'mobilenetv2-12-int8');
const ARTIFACTS = join(REPO_ROOT, 'tests', 'artifacts');
const EDITED_PROMPT = 'Which animal is in this photo?\n{{labels}}\nAnswer with one word.';

describe('models and evals (browser host)', () => {
  let tmp: string;
  let studio: LaunchedStudio;
  let seeded: SeededPets;
  let classifierRunId = 0;
  let scoredRunId = 0;
  const shot = (name: string) => studio.page.screenshot({ path: join(ARTIFACTS, `evals-${name}.png`), fullPage: false });
  const getRun = async (runId: number) => (await seeded.call('evals:get', { runId })) as EvalRun;
  const models = async () => (await seeded.call('models:list', {})) as RegisteredModel[];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    tmp = mkdtempSync(join(tmpdir(), 'vcs-evals-e2e-'));
    copyPetsSpread(join(tmp, 'pets'), 10);
    mkdirSync(join(tmp, 'broken-model'));
    writeFileSync(join(tmp, 'broken-model', 'config.json'), JSON.stringify({ model_type: 'lfm2_vl' }));
    studio = await launchStudio({ workspaceDir: join(tmp, 'workspace'), viewport: { width: 1440, height: 960 }, navigate: false });
    seeded = await seedPets(studio.core, join(tmp, 'pets'));
    await studio.page.goto(studio.url);
    await studio.page.getByTestId('dataset-title').waitFor();
  });

  afterAll(async () => {
    await studio?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  async function addLocalModel(path: string, name: string) {
    const { page } = studio;
    await page.getByTestId('model-add-open').first().click();
    await page.getByTestId('model-path').fill(path);
    await page.getByTestId('model-inspect').click();
    await page.getByTestId('model-inspection').waitFor();
    await page.getByTestId('model-name').fill(name);
  }

  it('refuses a broken model folder and explains every problem', async () => {
    const { page } = studio;
    await page.getByTestId('section-models').click();
    await page.getByTestId('models-empty').waitFor();
    await expect.poll(() => page.locator('[data-testid="provider"][data-device="cpu"]').getAttribute('data-available')).toBe('true');
    await shot('01-models-empty');
    await addLocalModel(join(tmp, 'broken-model'), 'broken');
    expect(await page.getByTestId('model-inspection').getAttribute('data-supported')).toBe('false');
    expect(await page.getByTestId('inspection-problem').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('inspection-verdict').textContent()).toContain('Not supported');
    expect(await page.getByTestId('model-register').isDisabled()).toBe(true);
    await shot('02-broken-model');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('add-model-dialog').count()).toBe(0);
    expect(await models()).toHaveLength(0);
  });

  it('registers the real MobileNetV2 folder through Add local model', async () => {
    const { page } = studio;
    await addLocalModel(MOBILENET, 'mobilenet');
    expect(await page.getByTestId('model-inspection').getAttribute('data-supported')).toBe('true');
    await shot('03-inspect-mobilenet');
    await page.getByTestId('model-register').click();
    await page.locator('[data-testid="model-row"][data-model-name="mobilenet"]').waitFor();
    expect((await models()).map((m) => m.kind)).toEqual(['onnx-classifier']);
  });

  it('reports an unreachable Hub clearly', async () => {
    const { page } = studio;
    await page.getByTestId('model-download-open').click();
    await page.getByTestId('download-repo').fill('tiny/nowhere');
    await page.getByTestId('download-endpoint').fill('http://127.0.0.1:9');
    await page.getByTestId('download-start').click();
    const job = page.locator('[data-testid="job"][data-status="failed"]');
    await job.waitFor({ timeout: 60_000 });
    expect(await job.textContent()).toMatch(/Download.*Failed: Hugging Face Hub unreachable/);
    await expect.poll(() => page.getByTestId('error-banner').first().textContent()).toContain('Hub unreachable');
    await shot('04-hub-unreachable');
    for (const b of await page.getByTestId('error-dismiss').all()) await b.click();
    await job.getByTestId('job-dismiss').click();
  });

  it('runs a classifier eval whose dashboard matches the DB, and the matrix filters the samples', async () => {
    const { page } = studio;
    const mobilenet = (await models()).find((m) => m.name === 'mobilenet');
    await page.getByTestId('section-evals').click();
    await page.getByTestId('runs-empty').waitFor();
    await page.getByTestId('eval-new-open').click();
    await page.getByTestId('eval-model').selectOption(String(mobilenet?.id));
    await expect.poll(() => page.getByTestId('eval-mode-classifier').isChecked()).toBe(true);
    expect(await page.getByTestId('eval-mode-raw').isDisabled()).toBe(true);
    await page.getByTestId('eval-class-mapping').selectOption('imagenet-cats-vs-dogs');
    await page.getByTestId('eval-split').selectOption('test');
    expect(await page.getByTestId('eval-seed').inputValue()).toBe('23');
    await page.getByTestId('eval-name').fill('mobilenet test');
    await shot('05-new-classifier-eval');
    await page.getByTestId('eval-start').click();
    const dashboard = page.getByTestId('run-dashboard');
    await dashboard.waitFor();
    await expect.poll(() => dashboard.getAttribute('data-status'), { timeout: 150_000, interval: 500 }).toBe('done');
    classifierRunId = Number(await dashboard.getAttribute('data-run-id'));
    const run = await getRun(classifierRunId);
    expect(run.status).toBe('done');
    expect(run.metrics?.n).toBe(10);
    const accuracy = page.getByTestId('metric-accuracy');
    expect(Number(await accuracy.getAttribute('data-value'))).toBeCloseTo(run.metrics?.accuracy ?? -1, 10);
    expect(await accuracy.textContent()).toContain(`${((run.metrics?.accuracy ?? 0) * 100).toFixed(1)}%`);
    await expect.poll(() => page.getByTestId('eval-samples-count').textContent()).toBe('10 shown');
    await shot('06-classifier-dashboard');

    // Click the fullest cell (the cat/cat diagonal or wherever the model went) and check the list follows.
    const cells = await page.getByTestId('matrix-cell').evaluateAll((els) =>
      els.map((e) => ({ truth: e.getAttribute('data-truth') ?? '', prediction: e.getAttribute('data-prediction') ?? '', count: Number(e.getAttribute('data-count')) })),
    );
    expect(cells.reduce((a, c) => a + c.count, 0)).toBe(10);
    const target = cells.filter((c) => c.count > 0).sort((a, b) => a.count - b.count)[0];
    await page.locator(`[data-testid="matrix-cell"][data-truth="${target.truth}"][data-prediction="${target.prediction}"]`).click();
    await expect.poll(() => page.getByTestId('eval-samples-count').textContent()).toBe(`${target.count} shown`);
    await page.getByTestId('cell-filter').waitFor();
    await expect.poll(() => page.getByTestId('eval-sample').count()).toBe(target.count);
    const rows = await page.getByTestId('eval-sample').evaluateAll((els) => els.map((e) => [e.getAttribute('data-truth'), e.getAttribute('data-prediction')]));
    for (const [truth, prediction] of rows) expect([truth, prediction]).toEqual([target.truth, target.prediction]);
    await shot('07-matrix-filter');

    // A sample opens in the Data view, focused, so it can be relabelled or dropped.
    const first = page.getByTestId('eval-sample').first();
    const sampleId = await first.getAttribute('data-sample-id');
    await first.click();
    await expect.poll(() => page.getByTestId('section-data').getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => page.locator(`[data-testid="sample-row"][data-sample-id="${sampleId}"]`).count()).toBe(1);
    await expect.poll(() => page.getByTestId('sample-row').count()).toBe(1);
    await shot('08-open-in-data');
    await page.getByTestId('section-evals').click();
  });

  it('registers a tiny VLM and runs a scored eval with an edited prompt', async () => {
    const { page } = studio;
    await page.getByTestId('section-models').click();
    await addLocalModel(ensureTinyVlm('lfm2-vl'), 'tiny lfm2-vl');
    expect(await page.getByTestId('model-inspection').getAttribute('data-supported')).toBe('true');
    await page.getByTestId('model-register').click();
    await page.locator('[data-testid="model-row"][data-model-name="tiny lfm2-vl"]').waitFor();
    await shot('09-models');
    const tiny = (await models()).find((m) => m.name === 'tiny lfm2-vl');

    await page.getByTestId('section-evals').click();
    await page.getByTestId('runs-back').click(); // still on the classifier run's dashboard
    await page.getByTestId('eval-new-open').click();
    await page.getByTestId('eval-model').selectOption(String(tiny?.id));
    await page.getByTestId('eval-mode-scored').check();
    expect(await page.getByTestId('eval-mode-classifier').isDisabled()).toBe(true);
    expect(await page.getByTestId('eval-user-prompt').inputValue()).toContain('{{labels}}');
    await page.getByTestId('eval-user-prompt').fill(EDITED_PROMPT);
    await expect.poll(() => page.getByTestId('eval-prompt-preview').textContent()).toContain('- cat\n- dog');
    await page.getByTestId('eval-n').fill('3');
    await page.getByTestId('eval-name').fill('tiny scored');
    await shot('10-new-scored-eval');
    await page.getByTestId('eval-start').click();
    const dashboard = page.getByTestId('run-dashboard');
    await expect.poll(() => dashboard.getAttribute('data-status'), { timeout: 150_000, interval: 500 }).toBe('done');
    scoredRunId = Number(await dashboard.getAttribute('data-run-id'));
    const run = await getRun(scoredRunId);
    expect(run.userPrompt).toBe(EDITED_PROMPT);
    expect(run.metrics?.calibration).not.toBeNull();
    await page.getByTestId('reliability-diagram').waitFor();
    expect(await page.getByTestId('reliability-bin').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('metric-ece').textContent()).toContain((run.metrics?.calibration?.ece ?? 0).toFixed(3));
    await page.getByTestId('run-prompt').locator('summary').click();
    expect(await page.getByTestId('run-prompt').textContent()).toContain('Which animal is in this photo?');
    await shot('11-scored-dashboard');

    await page.getByTestId('runs-back').click();
    await page.getByTestId('eval-new-open').click();
    const entry = page.getByTestId('prompt-history-entry').filter({ hasText: 'Which animal is in this photo?' });
    await entry.waitFor();
    expect(await entry.textContent()).toContain('1 run');
    // The next New eval opens with the dataset's last settings (remembered in main): the edited prompt, scored mode.
    await expect.poll(() => page.getByTestId('eval-user-prompt').inputValue()).toBe(EDITED_PROMPT);
    expect(await page.getByTestId('eval-mode-scored').isChecked()).toBe(true);
    await page.getByTestId('eval-prompt-reset').click();
    expect(await page.getByTestId('eval-user-prompt').inputValue()).not.toBe(EDITED_PROMPT);
    await entry.click();
    expect(await page.getByTestId('eval-user-prompt').inputValue()).toBe(EDITED_PROMPT);
    await shot('12-prompt-history');
  });

  it('compares the two runs with the agreement table and McNemar p', async () => {
    const { page } = studio;
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByTestId('runs-table').waitFor();
    expect(await page.getByTestId('run-row').count()).toBe(2);
    await shot('13-runs-list');
    for (const id of [classifierRunId, scoredRunId]) await page.locator(`[data-testid="run-row"][data-run-id="${id}"] [data-testid="run-pick"]`).check();
    await page.getByTestId('runs-compare').click();
    await page.getByTestId('compare-view').waitFor();
    const cmp = (await seeded.call('evals:compare', { aId: classifierRunId, bId: scoredRunId })) as EvalComparison;
    expect(cmp.shared).toBe(3);
    expect(await page.getByTestId('agree-both-correct').textContent()).toContain(String(cmp.bothCorrect));
    expect(await page.getByTestId('agree-only-a').textContent()).toContain(String(cmp.onlyA));
    expect(await page.getByTestId('agree-only-b').textContent()).toContain(String(cmp.onlyB));
    expect(await page.getByTestId('agree-both-wrong').textContent()).toContain(String(cmp.bothWrong));
    expect(await page.getByTestId('mcnemar').textContent()).toContain(cmp.mcnemarP < 0.001 ? 'p < 0.001' : `p = ${cmp.mcnemarP.toFixed(3)}`);
    expect(await page.getByTestId('compare-matrix-a').count()).toBe(1);
    expect(await page.getByTestId('compare-matrix-b').count()).toBe(1);
    expect(await page.getByTestId('disagreement').count()).toBe(cmp.disagreements.length);
    await shot('14-compare');
  });

  it("exports a run's YAML config to a file", async () => {
    const { page } = studio;
    await page.getByRole('button', { name: '← All runs' }).click();
    await page.locator(`[data-testid="run-row"][data-run-id="${classifierRunId}"] [data-testid="run-export"]`).click();
    await page.getByTestId('export-run-format-yaml').check();
    const destination = join(tmp, 'out', 'mobilenet.yaml');
    await page.getByTestId('export-run-destination').fill(destination);
    await shot('15-export-yaml');
    await page.getByTestId('export-run-start').click();
    await expect.poll(() => existsSync(destination)).toBe(true);
    await expect.poll(() => page.getByTestId('export-run-dialog').count()).toBe(0);
    const yaml = readFileSync(destination, 'utf8');
    expect(yaml).toMatch(/seed: 23/);
    expect(yaml).toMatch(/mobilenet/);
  });

  it('shows the raw answers of a raw-mode VLM run, off-label ones included', async () => {
    const { page } = studio;
    await page.getByTestId('eval-new-open').click();
    await page.getByTestId('eval-mode-raw').check();
    await page.getByTestId('eval-n').fill('2');
    await page.getByTestId('eval-name').fill('tiny raw');
    await page.getByTestId('eval-start').click();
    const dashboard = page.getByTestId('run-dashboard');
    await expect.poll(() => dashboard.getAttribute('data-status'), { timeout: 150_000, interval: 500 }).toBe('done');
    const run = await getRun(Number(await dashboard.getAttribute('data-run-id')));
    await expect.poll(() => page.getByTestId('eval-raw-output').count()).toBe(2);
    const page0 = (await seeded.call('evals:samples', { runId: run.id, filter: {}, offset: 0, limit: 10 })) as { rows: { rawOutput: string | null }[] };
    const shown = await page.getByTestId('eval-raw-output').allTextContents();
    expect(shown.sort()).toEqual(page0.rows.map((r) => (r.rawOutput === '' ? '(empty)' : (r.rawOutput ?? ''))).sort());
    const offLabel = run.metrics?.offLabelCount ?? 0;
    const offCells = await page.locator('[data-testid="matrix-cell"][data-prediction=""]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-count'))));
    expect(offCells.reduce((a, b) => a + b, 0)).toBe(offLabel);
    if (offLabel > 0) {
      await page.getByTestId('outcome-chip-off-label').click();
      await expect.poll(() => page.getByTestId('eval-samples-count').textContent()).toBe(`${offLabel} shown`);
    }
    await shot('16-raw-dashboard');
    expect(studio.pageErrors.filter((e) => !e.includes('Hub unreachable'))).toEqual([]);
  });
  it('offers to resume on CPU when the GPU provider cannot start', async () => {
    const { page } = studio;
    const vlm = (await models()).find((m) => m.kind === 'vlm') as RegisteredModel;
    const { run, jobId } = (await seeded.call('evals:create', {
      name: 'tiny on cuda', versionId: seeded.version.id, split: 'test', modelId: vlm.id, mode: 'constrained', seed: 3, nSamples: 2, device: 'cuda',
    })) as { run: EvalRun; jobId: string };
    expect((await studio.core.jobs.wait(jobId)).status).toBe('failed');
    await page.getByRole('button', { name: '← All runs' }).click();
    const row = page.locator(`[data-testid="run-row"][data-run-id="${run.id}"]`);
    await expect.poll(() => row.getByTestId('run-status').getAttribute('data-status')).toBe('failed');
    expect(await row.getByTestId('run-error').textContent()).toMatch(/cuda/i);
    await shot('17-failed-on-cuda');
    await row.getByTestId('run-resume-cpu').click();
    await expect.poll(async () => (await getRun(run.id)).status, { timeout: 150_000, interval: 500 }).toBe('done');
    expect((await getRun(run.id)).device).toBe('cpu');
    await expect.poll(() => row.getByTestId('run-status').getAttribute('data-status'), { timeout: 30_000 }).toBe('done');
  });
});
