/**
 * Robustness splits as a user drives them (browser host + headless chromium, 1280×720) on a real snapshotted
 * cats-vs-dogs set: Evals → Robustness…, derive the corrupted test splits (a job), evaluate a finished MobileNetV2
 * run on all of them (one eval job per split), and read accuracy per corruption × severity beside the clean run.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatasetSummary } from '../../src/shared/domain';
import type { EvalRun, RegisteredModel } from '../../src/shared/eval-types';
import type { RobustnessReport } from '../../src/shared/robustness-types';
import { asset } from '../support/assets';
import { copyPetsSpread } from '../fixtures/real-photos';
import { seedPets, type SeededPets } from './support/eval-setup';
import { launchStudio, REPO_ROOT, type LaunchedStudio } from './support/launch-studio';

const ARTIFACTS = join(REPO_ROOT, 'tests', 'artifacts');

describe('robustness splits (browser host)', () => {
  let tmp: string;
  let studio: LaunchedStudio;
  let seeded: SeededPets;
  let template: EvalRun;
  const shot = (name: string) => studio.page.screenshot({ path: join(ARTIFACTS, `robustness-${name}.png`), fullPage: false });

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    tmp = mkdtempSync(join(tmpdir(), 'vcs-robustness-e2e-'));
    copyPetsSpread(join(tmp, 'pets'), 8);
    studio = await launchStudio({ workspaceDir: join(tmp, 'workspace'), viewport: { width: 1280, height: 720 }, navigate: false });
    seeded = await seedPets(studio.core, join(tmp, 'pets'));
    const model = (await seeded.call('models:register', { path: asset('models', 'mobilenetv2-12-int8'), name: 'mobilenet' })) as RegisteredModel;
    const { run, jobId } = (await seeded.call('evals:create', {
      name: 'mobilenet clean',
      versionId: seeded.version.id,
      split: 'test',
      modelId: model.id,
      mode: 'classifier',
      seed: 23,
      nSamples: null,
      classMapping: 'imagenet-cats-vs-dogs',
    })) as { run: EvalRun; jobId: string };
    expect((await studio.core.jobs.wait(jobId)).status).toBe('done');
    template = (await seeded.call('evals:get', { runId: run.id })) as EvalRun;
    await studio.page.goto(studio.url);
    await studio.page.getByTestId('dataset-title').waitFor();
  });

  afterAll(async () => {
    await studio?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('derives the splits, evaluates the run on all of them and shows accuracy per corruption × severity', async () => {
    const { page } = studio;
    const samples = async () => ((await seeded.call('datasets:list', {})) as DatasetSummary[]).find((d) => d.id === seeded.dataset.id)?.sampleCount;
    const before = await samples();
    await page.getByTestId('section-evals').click();
    await page.getByTestId('robustness-open').click();
    await page.getByTestId('robustness-view').waitFor();
    expect(await page.getByTestId('robustness-derive').textContent()).toBe('Derive robustness splits');
    await shot('01-empty');

    await page.getByTestId('robustness-derive').click();
    await page.getByTestId('robustness-evaluate').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('robustness-derive-status').textContent()).toMatch(/^12 derived splits/);
    expect(await samples()).toBe(before);
    // Derived splits are not offered as snapshots.
    expect(await page.getByTestId('robustness-version').locator('option').allTextContents()).toEqual([`v1 (test ${seeded.version.splitCounts.test})`]);
    expect(await page.getByTestId('robustness-template').inputValue()).toBe(String(template.id));

    await page.getByTestId('robustness-evaluate').click();
    await page.getByTestId('robustness-table').waitFor();
    await expect
      .poll(async () => (await page.locator('[data-testid="robustness-cell"][data-accuracy=""]').count()) + (await page.getByTestId('robustness-cell').count() === 12 ? 0 : 99), {
        timeout: 300_000,
        interval: 1000,
      })
      .toBe(0);
    const report = (await seeded.call('robustness:report', { versionId: seeded.version.id })) as RobustnessReport;
    expect(report.rows).toHaveLength(1);
    expect(report.rows[0].clean.accuracy).toBe(template.metrics?.accuracy);
    const runs = (await seeded.call('evals:list', { datasetId: seeded.dataset.id })) as EvalRun[];
    expect(runs).toHaveLength(13);
    expect(new Set(runs.filter((r) => r.id !== template.id).map((r) => r.versionId))).toEqual(new Set(report.derived.map((d) => d.versionId)));
    const shown = await page.getByTestId('robustness-cell').evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('data-accuracy'))));
    const expected = ['blur', 'noise', 'jpeg', 'downscale'].flatMap((c) =>
      report.derived.filter((d) => d.corruption === c).map((d) => report.rows[0].cells[d.versionId].accuracy),
    );
    expect(shown).toEqual(expected);
    expect(await page.getByTestId('robustness-clean').first().textContent()).toContain(`${((template.metrics?.accuracy ?? 0) * 100).toFixed(1)}%`);
    await shot('02-table');
    // With the finished job lines cleared the whole table is in view: 13 evals fold into one line, "Clear all results" empties the bar.
    await page.getByTestId('jobs-clear').click();
    await expect.poll(() => page.getByTestId('job-dismiss').count()).toBe(0);
    expect(await page.getByTestId('jobs-folded').count()).toBe(0);
    expect(await page.getByTestId('robustness-derive').textContent()).toBe('All 12 splits derived');
    await shot('03-table-no-jobs');
    console.log(`robustness e2e (${seeded.version.splitCounts.test} test photos): clean ${template.metrics?.accuracy} | ${expected.join(', ')}`);

    // A cell opens its run's dashboard, whose rows show the corrupted copies (media by sample + version).
    await page.getByTestId('robustness-cell-open').nth(3).click(); // blur σ 5
    const blur3 = report.derived.find((d) => d.corruption === 'blur' && d.severity === 3);
    const img = page.locator('[data-testid="eval-sample-list"] img').first();
    await img.waitFor();
    expect(await img.getAttribute('src')).toMatch(new RegExp(`^/media/thumb/\\d+/${blur3?.versionId}$`));
    await expect.poll(() => img.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
    await img.scrollIntoViewIfNeeded();
    await shot('04-blur-run');
    expect(studio.pageErrors).toEqual([]);
  }, 600_000);
});
