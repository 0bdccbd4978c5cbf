/**
 * Data-quality finders from the UI at 1280×720 (browser host + Debian chromium, real photos, real SQLite, real worker-thread
 * jobs): run duplicates and quality from "Find problems", review each queue by keyboard, see the audit entries with their source.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../src/main/api/dispatch';
import { copyPets } from '../fixtures/real-photos';
import { makeCopy, seeded } from '../fixtures/near-duplicates';
import { launchStudio, REPO_ROOT, type LaunchedStudio } from './support/launch-studio';

const ARTIFACTS = join(REPO_ROOT, 'tests', 'artifacts');

interface ChangeRow {
  summary: string;
  source: string | null;
}

describe('finders in the Data view (browser host, 1280×720)', () => {
  let tmp: string;
  let studio: LaunchedStudio;
  const shot = (name: string) => studio.page.screenshot({ path: join(ARTIFACTS, `finders-${name}.png`) });
  const changes = () => studio.core.workspace.db.prepare('SELECT summary, source FROM changes ORDER BY id').all() as ChangeRow[];
  const sampleStatus = (path: string) =>
    (studio.core.workspace.db.prepare("SELECT status FROM samples WHERE original_path LIKE '%' || ?").get(path) as { status: string }).status;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    tmp = mkdtempSync(join(tmpdir(), 'vcs-finders-e2e-'));
    const src = join(tmp, 'pets');
    const cats = copyPets('cats', 10, join(src, 'cat'));
    const dogs = copyPets('dogs', 10, join(src, 'dog'));
    const rand = seeded(9);
    await makeCopy(cats[0], join(src, 'dog'), 'resized', rand); // a cat filed as a dog: cross-class duplicate
    await makeCopy(cats[0], join(src, 'cat'), 'recompressed', rand);
    await makeCopy(dogs[1], join(src, 'dog'), 'cropped', rand);
    // Made from photos outside the dataset, so they are quality problems and not also near-duplicates.
    const [darkSrc] = copyPets('cats', 1, join(tmp, 'extra'), 20);
    const [tinySrc] = copyPets('dogs', 1, join(tmp, 'extra'), 20);
    await sharp(darkSrc).linear(0.06, 0).jpeg().toFile(join(src, 'cat', 'too-dark.jpg'));
    await sharp(tinySrc).resize(48, 40).jpeg().toFile(join(src, 'dog', 'tiny.jpg'));
    studio = await launchStudio({ workspaceDir: join(tmp, 'workspace'), viewport: { width: 1280, height: 720 }, navigate: false });
    const call = createDispatcher(studio.core.handlers);
    const { jobId } = (await call('datasets:import', { source: src, format: 'imagefolder', datasetName: 'pets' })) as { jobId: string };
    expect((await studio.core.jobs.wait(jobId)).status).toBe('done');
    await studio.page.goto(studio.url);
    await studio.page.getByTestId('dataset-title').waitFor();
  });

  afterAll(async () => {
    await studio?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('runs duplicates from the menu; groups side by side, cross-class first; K keeps one and drops the rest', async () => {
    const { page } = studio;
    await page.getByTestId('find-open').click();
    await page.getByTestId('find-menu').waitFor();
    expect(await page.getByTestId('find-overlays').isDisabled()).toBe(false);
    await shot('01-menu');
    await page.getByTestId('find-duplicates').click();
    await page.getByTestId('finder-options').waitFor();
    await page.getByTestId('finder-option-radius').fill('10');
    await page.getByTestId('finder-start').click();
    const queue = page.locator('[data-testid="review-queue"][data-finder="duplicates"]');
    await queue.waitFor({ timeout: 90_000 });
    await page.getByTestId('dup-group').first().waitFor();
    expect(await page.getByTestId('dup-group').count()).toBe(2);
    const first = page.getByTestId('dup-group').first();
    expect(await first.textContent()).toContain('cross-class');
    expect(await first.getByTestId('grid-cell').count()).toBe(3);
    await shot('02-duplicates-queue');
    const keeper = await first.locator('[data-testid="grid-cell"].focused').getAttribute('title');
    await page.keyboard.press('k');
    await expect.poll(() => page.getByTestId('dup-group').count()).toBe(1);
    expect(sampleStatus(keeper!.split('/').pop()!)).toBe('active');
    const last = changes().at(-1)!;
    expect(last.summary).toMatch(/^Drop 2 samples \(duplicate of /);
    expect(last.source).toMatch(/^finder:duplicates#\d+$/);
    // The second group (same class): drop the focused one with a typed reason.
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('d');
    await page.getByTestId('drop-reason-picker').waitFor();
    await page.keyboard.type('cropped copy');
    await page.keyboard.press('Enter');
    await expect.poll(() => changes().at(-1)?.summary).toBe('Drop 1 sample (cropped copy)');
    expect(changes().at(-1)!.source).toMatch(/^finder:duplicates#\d+$/);
    await shot('03-duplicates-reviewed');
    await page.keyboard.press('Escape');
    await page.getByTestId('sample-table').waitFor();
  });

  it('runs quality with a threshold; histograms; reviews by keyboard; History shows each edit with its source', async () => {
    const { page } = studio;
    await page.getByTestId('find-open').click();
    await page.getByTestId('find-quality').click();
    await page.getByTestId('finder-options').waitFor();
    await page.getByTestId('finder-start').click();
    const queue = page.locator('[data-testid="review-queue"][data-finder="quality"]');
    await queue.waitFor({ timeout: 90_000 }).catch(async (err: unknown) => {
      await shot('quality-wait-failed');
      throw err;
    });
    await page.getByTestId('quality-histograms').waitFor();
    expect(await page.getByTestId('metric-histogram').count()).toBe(5);
    const reasons = await page.getByTestId('suspect-reason').allTextContents();
    expect(reasons.some((r) => /tiny: 48×40/.test(r))).toBe(true);
    expect(reasons.some((r) => /very dark/.test(r))).toBe(true);
    // Editing a threshold recounts what it would flag before any re-run.
    await page.getByTestId('threshold-minSide').fill('500');
    await expect.poll(async () => Number((await page.getByTestId('threshold-count-minSide').textContent())!.split(' ')[0])).toBeGreaterThan(1);
    await page.getByTestId('threshold-minSide').fill('64');
    await page.getByTestId('threshold-minSide').blur();
    await shot('04-quality-queue');
    const openBefore = Number(await queue.getAttribute('data-open'));
    await page.keyboard.press('d');
    await page.getByTestId('drop-reason-picker').waitFor();
    await page.keyboard.type('unusable');
    await page.keyboard.press('Enter');
    await expect.poll(async () => Number(await queue.getAttribute('data-open'))).toBe(openBefore - 1);
    expect(changes().at(-1)).toEqual({ summary: 'Drop 1 sample (unusable)', source: expect.stringMatching(/^finder:quality#\d+$/) });
    if (openBefore > 1) {
      await page.keyboard.press('k');
      await expect.poll(async () => Number(await queue.getAttribute('data-open'))).toBe(openBefore - 2);
    }
    await page.keyboard.press('Escape');
    await page.getByTestId('history-open').click();
    await page.getByTestId('history-dialog').waitFor();
    const sources = await page.getByTestId('history-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-source')));
    expect(sources.filter((s) => s?.startsWith('finder:duplicates#'))).toHaveLength(2);
    expect(sources.filter((s) => s?.startsWith('finder:quality#'))).toHaveLength(1);
    await shot('05-history');
    expect(studio.pageErrors).toEqual([]);
  });
});
