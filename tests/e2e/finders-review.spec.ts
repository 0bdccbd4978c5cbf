/**
 * The overlay and label-errors finders from the UI at 1280×720 (browser host + Debian chromium) on the bundled sample
 * project plus a made-up banner: real OCR (tesseract.js, offline), a real MobileNetV2 classifier eval with the cats/dogs
 * mapping, keyboard review (B drop as banner, S relabel to the suggestion) and the audit entries with their finder source.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvalRun, RegisteredModel } from '../../src/shared/eval-types';
import { asset } from '../support/assets';
import { launchStudio, REPO_ROOT, type LaunchedStudio } from './support/launch-studio';
import { seedPets, type SeededPets } from './support/eval-setup';

const ARTIFACTS = join(REPO_ROOT, 'tests', 'artifacts');
const MOBILENET = asset('models', 'mobilenetv2-12-int8');

interface ChangeRow {
  summary: string;
  source: string | null;
}

describe('overlay and label-errors finders in the Data view (browser host, 1280×720)', () => {
  let tmp: string;
  let studio: LaunchedStudio;
  let seeded: SeededPets;
  const shot = (name: string) => studio.page.screenshot({ path: join(ARTIFACTS, `finders-review-${name}.png`) });
  const changes = () => studio.core.workspace.db.prepare('SELECT summary, source FROM changes ORDER BY id').all() as ChangeRow[];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    tmp = mkdtempSync(join(tmpdir(), 'vcs-finders-review-e2e-'));
    const src = join(tmp, 'pets');
    cpSync(join(REPO_ROOT, 'resources', 'sample-project', 'pets'), src, { recursive: true });
    // A made-up banner from the shared bad samples (resized and recompressed: new bytes, so the importer keeps it).
    const banner = asset('datasets', 'bad-samples', 'adopted-banner.jpg');
    const meta = await sharp(banner).metadata();
    await sharp(banner).resize(Math.round((meta.width ?? 400) * 0.9)).jpeg({ quality: 80 }).toFile(join(src, 'cat', 'made-up-banner.jpg'));
    studio = await launchStudio({ workspaceDir: join(tmp, 'workspace'), viewport: { width: 1280, height: 720 }, navigate: false });
    seeded = await seedPets(studio.core, src);
    await studio.page.goto(studio.url);
    await studio.page.getByTestId('dataset-title').waitFor();
  });

  afterAll(async () => {
    await studio?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('overlays: validated keyword rules remembered per dataset; words on the tiles; B drops as banner/overlay', async () => {
    const { page } = studio;
    // Rules an earlier build left in this browser's localStorage are moved into the workspace on first read.
    const legacyKey = `vcs.finders.overlays.keywords.${seeded.dataset.id}`;
    await page.evaluate(`window.localStorage.setItem(${JSON.stringify(legacyKey)}, JSON.stringify(['adopt', 'legacy rule']))`);
    await page.getByTestId('find-open').click();
    await page.getByTestId('find-overlays').click();
    await page.getByTestId('finder-options').waitFor();
    const rules = page.getByTestId('finder-option-keywords');
    expect(await rules.inputValue()).toBe('adopt\nlegacy rule');
    expect(await page.evaluate(`window.localStorage.getItem(${JSON.stringify(legacyKey)})`)).toBeNull();
    expect(studio.core.workspace.db.prepare('SELECT keywords_json FROM finder_keyword_rules').pluck().all()).toEqual([JSON.stringify(['adopt', 'legacy rule'])]);
    await rules.fill('adopt\nwww\\.\n(unclosed');
    await page.getByTestId('keyword-problems').waitFor();
    expect(await page.getByTestId('keyword-problems').textContent()).toBe('line 3: "(unclosed" is not a valid pattern (Unterminated group)');
    expect(await page.getByTestId('finder-start').isDisabled()).toBe(true);
    await shot('01-overlay-rules-invalid');
    await rules.fill('adopt\nwww\\.\nhttps?://\nmeow');
    expect(await page.getByTestId('keyword-problems').count()).toBe(0);
    await page.getByTestId('finder-start').click();
    const queue = page.locator('[data-testid="review-queue"][data-finder="overlays"]');
    await queue.waitFor({ timeout: 400_000 }).catch(async (err: unknown) => {
      await shot('overlays-wait-failed');
      throw err;
    });
    const words = await page.getByTestId('suspect-words').allTextContents();
    expect(words.some((w) => /adopt/i.test(w))).toBe(true);
    const firstTitle = await page.getByTestId('grid-cell').first().getAttribute('title');
    expect(firstTitle).toMatch(/banner|adopt/i);
    await shot('02-overlays-queue');
    const openBefore = Number(await queue.getAttribute('data-open'));
    await page.keyboard.press('b');
    await expect.poll(async () => Number(await queue.getAttribute('data-open'))).toBe(openBefore - 1);
    expect(changes().at(-1)).toEqual({ summary: 'Drop 1 sample (banner/overlay)', source: expect.stringMatching(/^finder:overlays#\d+$/) });
    await shot('03-overlays-dropped');
    // The run as a filter of the ordinary sample table: its active suspects, in rank order.
    const runId = Number(/#(\d+)$/.exec(changes().at(-1)!.source!)![1]);
    const ranked = studio.core.workspace.db
      .prepare("SELECT fs.sample_id FROM finder_suspects fs JOIN samples s ON s.id = fs.sample_id WHERE fs.run_id = ? AND s.status = 'active' ORDER BY fs.rank")
      .pluck()
      .all(runId) as number[];
    await page.getByTestId('review-as-filter').click();
    await page.getByTestId('sample-table').waitFor();
    expect(await page.getByTestId('filter-finder-run').textContent()).toContain(`Suspects of finder run #${runId}`);
    await expect.poll(async () => (await page.getByTestId('view-count').textContent())?.trim()).toBe(`${ranked.length} shown`);
    await expect
      .poll(() => page.getByTestId('sample-row').evaluateAll((rows) => rows.map((r) => [Number(r.getAttribute('data-index')), Number(r.getAttribute('data-sample-id'))])))
      .toHaveLength(ranked.length);
    const rows = await page.getByTestId('sample-row').evaluateAll((els) => els.map((r) => [Number(r.getAttribute('data-index')), Number(r.getAttribute('data-sample-id'))]));
    expect(rows.sort((x, y) => x[0] - y[0]).map((r) => r[1])).toEqual(ranked);
    await shot('04-overlays-as-filter');
    await page.getByTestId('filter-finder-run-clear').click();
    await expect.poll(() => page.getByTestId('filter-finder-run').count()).toBe(0);
    // The rules are remembered for this dataset.
    await page.getByTestId('find-open').click();
    await page.getByTestId('find-overlays').click();
    expect(await page.getByTestId('finder-option-keywords').inputValue()).toBe('adopt\nwww\\.\nhttps?://\nmeow');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('finder-options').count()).toBe(0);
    // They live in the workspace, not in this page: a reload (a fresh renderer) starts from them too.
    expect(studio.core.workspace.db.prepare('SELECT keywords_json FROM finder_keyword_rules').pluck().all()).toEqual([JSON.stringify(['adopt', 'www\\.', 'https?://', 'meow'])]);
    expect(await page.evaluate<string[]>("Object.keys(window.localStorage).filter((k) => k.includes('keywords'))")).toEqual([]);
    await page.reload();
    await page.getByTestId('dataset-title').waitFor();
    await page.getByTestId('find-open').click();
    await page.getByTestId('find-overlays').click();
    await expect.poll(() => page.getByTestId('finder-option-keywords').inputValue()).toBe('adopt\nwww\\.\nhttps?://\nmeow');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('finder-options').count()).toBe(0);
  }, 500_000);

  it('label errors: picks a classifier eval run (others disabled with why), tiles show the suggestion, S relabels; History shows the sources', async () => {
    const { page } = studio;
    const model = (await seeded.call('models:register', { path: MOBILENET, name: 'mobilenet' })) as RegisteredModel;
    const create = async (name: string, nSamples: number | null) =>
      (await seeded.call('evals:create', {
        name,
        versionId: seeded.version.id,
        split: 'all',
        modelId: model.id,
        mode: 'classifier',
        seed: 23,
        nSamples,
        classMapping: 'imagenet-cats-vs-dogs',
      })) as { run: EvalRun; jobId: string };
    const mapped = await create('mobilenet cats/dogs', null);
    // A second run cancelled while it waits for the first: no finished rows, so the picker shows it disabled with why.
    const cancelled = await create('cancelled before it ran', 2);
    await seeded.call('jobs:cancel', { jobId: cancelled.jobId });
    expect((await studio.core.jobs.wait(mapped.jobId)).status).toBe('done');
    expect((await studio.core.jobs.wait(cancelled.jobId)).status).toBe('cancelled');
    expect(((await seeded.call('evals:get', { runId: cancelled.run.id })) as EvalRun).doneCount).toBe(0);
    await page.reload();
    await page.getByTestId('dataset-title').waitFor();
    await page.getByTestId('find-open').click();
    await page.getByTestId('find-label-errors').click();
    await page.getByTestId('eval-run-picker').waitFor();
    const option = (id: number) => page.locator(`[data-testid="eval-run-option"][data-run-id="${id}"]`);
    expect(await option(cancelled.run.id).locator('input').isDisabled()).toBe(true);
    expect(await option(cancelled.run.id).textContent()).toContain('not usable: no finished rows (cancelled)');
    await expect.poll(() => option(mapped.run.id).locator('input').isChecked()).toBe(true);
    await shot('05-label-errors-picker');
    await page.getByTestId('finder-start').click();
    const queue = page.locator('[data-testid="review-queue"][data-finder="label-errors"]');
    await queue.waitFor({ timeout: 120_000 });
    const suggested = await page.getByTestId('suspect-suggested').allTextContents();
    expect(suggested.length).toBeGreaterThan(0);
    await shot('06-label-errors-queue');
    const openBefore = Number(await queue.getAttribute('data-open'));
    const target = suggested[0];
    await page.keyboard.press('s');
    await expect.poll(async () => Number(await queue.getAttribute('data-open'))).toBe(openBefore - 1);
    expect(changes().at(-1)).toEqual({ summary: `Relabel 1 sample → ${target}`, source: expect.stringMatching(/^finder:label-errors#\d+$/) });
    await page.keyboard.press('Escape');
    await page.getByTestId('history-open').click();
    await page.getByTestId('history-dialog').waitFor();
    const sources = await page.getByTestId('history-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-source')));
    expect(sources.filter((s) => s?.startsWith('finder:overlays#'))).toHaveLength(1);
    expect(sources.filter((s) => s?.startsWith('finder:label-errors#'))).toHaveLength(1);
    await shot('07-history');
    expect(studio.pageErrors).toEqual([]);
  }, 400_000);
});
