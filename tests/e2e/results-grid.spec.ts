/**
 * The results grid and comparisons as a user drives them (browser host + headless chromium) on a real snapshotted
 * cats-vs-dogs set with a tiny VLM and MobileNetV2: a scored run's grid filtered by a confusion cell, a relabel by keyboard
 * recorded as "found via run N", windowing over a synthetic 2400-row run, and a comparison's flips, bootstrap CI and config diff.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChangeRecord } from '../../src/shared/domain';
import type { EvalRun, RegisteredModel } from '../../src/shared/eval-types';
import type { EvalComparison, EvalSamplePage } from '../../src/shared/eval-views';
import { ensureTinyVlm } from '../../tools/tiny-vlm';
import { asset } from '../support/assets';
import { copyPetsSpread } from '../fixtures/real-photos';
import { seedPets, type SeededPets } from './support/eval-setup';
import { launchStudio, REPO_ROOT, type LaunchedStudio } from './support/launch-studio';

const ARTIFACTS = join(REPO_ROOT, 'tests', 'artifacts');
const SYNTHETIC_ROWS = 2400;

describe('results grid and comparisons (browser host)', () => {
  let tmp: string;
  let studio: LaunchedStudio;
  let seeded: SeededPets;
  const runs: Record<'scored' | 'classifier' | 'constrained' | 'synthetic', EvalRun> = {} as never;
  const shot = (name: string) => studio.page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: false });

  async function runToEnd(args: Record<string, unknown>): Promise<EvalRun> {
    const { run, jobId } = (await seeded.call('evals:create', { versionId: seeded.version.id, split: 'test', seed: 5, nSamples: null, ...args })) as { run: EvalRun; jobId: string };
    const job = await studio.core.jobs.wait(jobId);
    expect(job.status, job.error ?? '').toBe('done');
    return (await seeded.call('evals:get', { runId: run.id })) as EvalRun;
  }

  /** A synthetic run (no model: rows written straight into eval_samples) big enough to test windowing; named as such. */
  function writeSyntheticRun(template: EvalRun): EvalRun {
    const db = studio.core.workspace.db;
    const id = Number(
      db
        .prepare(
          `INSERT INTO eval_runs (name, dataset_id, version_id, split, model_id, mode, labels_json, seed, status, config_json, created_at, finished_at)
           VALUES ('synthetic 2400-row run (windowing check, no model)', ?, ?, 'test', NULL, 'scored', ?, 1, 'done', ?, ?, ?)`,
        )
        .run(template.datasetId, template.versionId, JSON.stringify(template.labels), JSON.stringify({ ...template.config, modelName: 'synthetic (no model)' }), new Date().toISOString(), new Date().toISOString()).lastInsertRowid,
    );
    const ins = db.prepare('INSERT INTO eval_samples (run_id, position, sample_id, image_hash, truth, prediction, probabilities_json, latency_ms, done) VALUES (?, ?, ?, ?, ?, ?, ?, 1, 1)');
    db.transaction(() => {
      for (let i = 0; i < SYNTHETIC_ROWS; i++) {
        const truth = template.labels[i % 2];
        const p = ((i * 7919) % 1000) / 1000;
        ins.run(id, i, 1_000_000 + i, `synthetic-${i}`, truth, template.labels[p >= 0.5 ? 0 : 1], JSON.stringify([p, 1 - p]));
      }
    })();
    return (studio.core.handlers['evals:get'] as (a: { runId: number }) => EvalRun)({ runId: id });
  }

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    tmp = mkdtempSync(join(tmpdir(), 'vcs-grid-e2e-'));
    copyPetsSpread(join(tmp, 'pets'), 10);
    studio = await launchStudio({ workspaceDir: join(tmp, 'workspace'), viewport: { width: 1280, height: 720 }, navigate: false });
    seeded = await seedPets(studio.core, join(tmp, 'pets'));
    const tiny = (await seeded.call('models:register', { path: ensureTinyVlm('lfm2-vl'), name: 'tiny lfm2-vl' })) as RegisteredModel;
    const mobilenet = (await seeded.call('models:register', { path: asset('models', 'mobilenetv2-12-int8'), name: 'mobilenet' })) as RegisteredModel;
    runs.scored = await runToEnd({ name: 'tiny scored', modelId: tiny.id, mode: 'scored' });
    runs.classifier = await runToEnd({ name: 'mobilenet', modelId: mobilenet.id, mode: 'classifier', classMapping: 'imagenet-cats-vs-dogs' });
    runs.constrained = await runToEnd({ name: 'tiny constrained', modelId: tiny.id, mode: 'constrained', userPrompt: 'Which animal is this?\n{{labels}}\nOne word.' });
    runs.synthetic = writeSyntheticRun(runs.scored);
    await studio.page.goto(studio.url);
    await studio.page.getByTestId('dataset-title').waitFor();
  }, 600_000);

  afterAll(async () => {
    await studio?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  async function openRun(run: EvalRun) {
    const { page } = studio;
    await page.getByTestId('section-evals').click();
    const back = page.getByTestId('runs-back');
    if (await back.count()) await back.click();
    await page.locator(`[data-testid="run-row"][data-run-id="${run.id}"] [data-testid="run-open"]`).click();
    await page.locator(`[data-testid="run-dashboard"][data-run-id="${run.id}"]`).waitFor();
    await page.getByTestId('results-grid').waitFor();
  }
  const tiles = () => studio.page.getByTestId('result-tile');
  const gridCount = () => studio.page.getByTestId('results-grid-count').textContent();

  it('shows a scored run as tiles with verdict borders and confidence bars, filtered by a confusion cell', async () => {
    const { page } = studio;
    await openRun(runs.scored);
    await expect.poll(gridCount).toBe('10 shown');
    await expect.poll(() => tiles().count()).toBe(10);
    const shown = await tiles().evaluateAll((els) => els.map((e) => ({ verdict: e.getAttribute('data-verdict'), outcome: e.getAttribute('data-outcome'), conf: e.querySelector('[data-testid="tile-confidence"]') !== null })));
    for (const t of shown) expect(t.verdict).toBe(t.outcome === 'correct' ? 'correct' : 'wrong');
    expect(shown.every((t) => t.conf)).toBe(true);
    await page.getByTestId('results-grid').scrollIntoViewIfNeeded();
    await shot('results-grid-01-scored');

    // The emptiest non-empty cell (an off-diagonal one when the tiny model erred) filters the grid and brings it into view.
    const cells = await page.getByTestId('matrix-cell').evaluateAll((els) =>
      els.map((e) => ({ truth: e.getAttribute('data-truth') ?? '', prediction: e.getAttribute('data-prediction') ?? '', count: Number(e.getAttribute('data-count')) })),
    );
    const target = cells.filter((c) => c.count > 0).sort((a, b) => a.count - b.count || Number(a.truth === a.prediction) - Number(b.truth === b.prediction))[0];
    await page.locator(`[data-testid="matrix-cell"][data-truth="${target.truth}"][data-prediction="${target.prediction}"]`).click();
    await expect.poll(gridCount).toBe(`${target.count} shown`);
    await page.getByTestId('grid-cell-filter').waitFor();
    const filtered = await tiles().evaluateAll((els) => els.map((e) => [e.getAttribute('data-truth'), e.getAttribute('data-prediction')]));
    expect(filtered).toHaveLength(target.count);
    for (const pair of filtered) expect(pair).toEqual([target.truth, target.prediction]);
    await expect.poll(() => page.getByTestId('results-grid').evaluate((el) => Math.round(el.getBoundingClientRect().top)), { timeout: 5000 }).toBeLessThan(300);
    await shot('results-grid-02-cell-filter');

    // Confidence range and sort: most confident first, all within the range.
    await page.getByTestId('grid-cell-filter-clear').click();
    await page.getByTestId('grid-sort').selectOption('confidence-desc');
    await page.getByTestId('grid-conf-min').fill('50');
    const expected = (await seeded.call('evals:samples', { runId: runs.scored.id, filter: { minConfidence: 0.5, sort: 'confidence-desc' }, offset: 0, limit: 100 })) as EvalSamplePage;
    const ids = () => tiles().evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-sample-id'))));
    await expect.poll(ids).toEqual(expected.rows.map((r) => r.sampleId));
    const confs = await page.getByTestId('tile-confidence').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-confidence'))));
    expect(confs).toEqual([...confs].sort((a, b) => b - a));
    expect(confs.every((c) => c >= 0.5 - 1e-6)).toBe(true);
    await page.getByTestId('grid-conf-min').fill('');
    await page.getByTestId('grid-sort').selectOption('position');
    await expect.poll(gridCount).toBe('10 shown');
  });

  it('relabels and drops from the grid with the Data view keys, recorded as found via the run', async () => {
    const { page } = studio;
    const first = tiles().first();
    const sampleId = Number(await first.getAttribute('data-sample-id'));
    const truth = await first.getAttribute('data-truth');
    const classes = (await seeded.call('classes:list', { datasetId: seeded.dataset.id })) as { id: number; name: string; position: number }[];
    const ordered = [...classes].sort((a, b) => a.position - b.position);
    const digit = ordered.findIndex((c) => c.name !== truth) + 1;
    await first.click();
    await expect.poll(() => page.getByTestId('results-grid').getAttribute('data-focus')).toBe('0');
    await page.keyboard.press(String(digit));
    const tile = page.locator(`[data-testid="result-tile"][data-sample-id="${sampleId}"]`);
    await expect.poll(() => tile.getAttribute('data-current-label')).toBe(ordered[digit - 1].name);
    await tile.getByTestId('tile-now').waitFor();
    expect(await page.getByTestId('results-grid').getAttribute('data-focus')).toBe('1'); // advanced like a labelling tool
    const history = (await seeded.call('history:list', { datasetId: seeded.dataset.id, limit: 5 })) as ChangeRecord[];
    expect(history[0]).toMatchObject({ action: 'relabel', source: `run:${runs.scored.id}`, sampleCount: 1 });

    // D opens the same drop-reason picker as in the Data view; Enter drops the focused (second) sample.
    const second = await tiles().nth(1).getAttribute('data-sample-id');
    await page.keyboard.press('d');
    await page.getByTestId('drop-reason-picker').waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator(`[data-testid="result-tile"][data-sample-id="${second}"]`).getAttribute('class')).toContain('greyed');
    await shot('results-grid-03-relabel-drop');
    // Z undoes the drop through the same undo stack as the Data view; Shift+Z redoes it.
    await page.keyboard.press('z');
    await expect.poll(() => page.locator(`[data-testid="result-tile"][data-sample-id="${second}"]`).getAttribute('class')).not.toContain('greyed');
    await page.keyboard.press('Shift+Z');
    await expect.poll(() => page.locator(`[data-testid="result-tile"][data-sample-id="${second}"]`).getAttribute('class')).toContain('greyed');

    // The Data view's History names the run as the source of both edits.
    await page.getByTestId('section-data').click();
    await page.getByTestId('history-open').click();
    const rows = page.locator(`[data-testid="history-row"][data-source="run:${runs.scored.id}"]`);
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.first().textContent()).toContain(`found via run ${runs.scored.id}`);
    await shot('results-grid-04-history');
    await page.keyboard.press('Escape');
  });

  it(`keeps only the visible rows in the DOM over a synthetic ${SYNTHETIC_ROWS}-row run`, async () => {
    const { page } = studio;
    await openRun(runs.synthetic);
    await expect.poll(gridCount).toBe(`${SYNTHETIC_ROWS.toLocaleString()} shown`);
    await expect.poll(() => tiles().count()).toBeGreaterThan(0);
    const scroller = page.getByTestId('results-grid-tiles');
    const counts = [await page.locator('[data-testid="results-grid-tiles"] .image-tile').count()];
    await scroller.evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await expect.poll(() => page.locator(`[data-testid="result-tile"][data-index="${SYNTHETIC_ROWS - 1}"]`).count(), { timeout: 15_000 }).toBe(1);
    counts.push(await page.locator('[data-testid="results-grid-tiles"] .image-tile').count());
    console.log(`results grid: ${SYNTHETIC_ROWS} rows, tiles in the DOM at top/bottom: ${counts.join(' / ')}`);
    for (const c of counts) expect(c).toBeLessThan(80);
  });

  it('compares two runs of different modes: aligned cards, config diff, bootstrap CI and the flips as grids', async () => {
    const { page } = studio;
    await page.getByTestId('runs-back').click();
    const a = runs.classifier;
    const b = runs.constrained;
    for (const id of [a.id, b.id]) await page.locator(`[data-testid="run-row"][data-run-id="${id}"] [data-testid="run-pick"]`).check();
    await page.getByTestId('runs-compare').click();
    await page.getByTestId('compare-view').waitFor();
    const cmp = (await seeded.call('evals:compare', { aId: a.id, bId: b.id })) as EvalComparison;
    expect(cmp.accuracyDiffCi).not.toBeNull();

    // Cards line up slot for slot; B (constrained, no probabilities) shows "—" where A has calibration.
    const ids = (tag: string) => page.locator(`[data-testid="compare-cards-${tag}"] .metric-card`).evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    expect(await ids('b')).toEqual(await ids('a'));
    expect(await page.locator('[data-testid="compare-cards-b"] [data-testid="metric-ece"]').getAttribute('data-missing')).toBe('true');
    expect(await page.locator('[data-testid="compare-cards-b"] [data-testid="metric-ece"] .metric-value').textContent()).toBe('—');
    const changed = (await page.getByTestId('config-diff').getAttribute('data-changed'))?.split(' ') ?? [];
    expect(changed).toEqual(expect.arrayContaining(['model', 'mode', 'user-prompt', 'class-mapping']));
    await shot('compare-01-cards-config');

    const ci = page.getByTestId('bootstrap-ci');
    expect(Number(await ci.getAttribute('data-low'))).toBe(cmp.accuracyDiffCi?.low);
    expect(Number(await ci.getAttribute('data-high'))).toBe(cmp.accuracyDiffCi?.high);
    expect(Number(await ci.getAttribute('data-diff'))).toBeCloseTo((cmp.onlyB - cmp.onlyA) / cmp.shared, 12);
    expect(await ci.textContent()).toContain('95% CI');
    await ci.scrollIntoViewIfNeeded();
    await shot('compare-02-agreement-ci');

    expect(Number(await page.getByTestId('flips-a-right').getAttribute('data-count'))).toBe(cmp.onlyA);
    expect(Number(await page.getByTestId('flips-b-right').getAttribute('data-count'))).toBe(cmp.onlyB);
    await expect.poll(() => page.locator('[data-testid="flips-a-right"] [data-testid="flip-tile"]').count()).toBe(Math.min(cmp.onlyA, 100));
    const flipped = await page.locator('[data-testid="flips-a-right"] [data-testid="flip-tile"]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-truth'), e.getAttribute('data-a'), e.getAttribute('data-b')]));
    for (const [truth, pa, pb] of flipped) {
      expect(pa).toBe(truth);
      expect(pb).not.toBe(truth);
    }
    await page.getByTestId('flips').scrollIntoViewIfNeeded();
    await shot('compare-03-flips');
    expect(studio.pageErrors).toEqual([]);
  });
});
