/**
 * A new user's first hour in the Data view at 1280×720 (browser host + Debian chromium, real photos, real SQLite):
 * free-text drop reasons, import/export paths checked before the dialog closes, notices that leave, notes that
 * save themselves, and a table whose columns fit and resize.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyPetsSpread } from '../fixtures/real-photos';
import { seedPets, type SeededPets } from './support/eval-setup';
import { launchStudio, REPO_ROOT, type LaunchedStudio } from './support/launch-studio';

const ARTIFACTS = join(REPO_ROOT, 'tests', 'artifacts');

/** The bit of the page's DOM these checks read (the test tsconfig has no DOM lib). */
interface PageDocument {
  document: { elementFromPoint(x: number, y: number): { closest(selector: string): unknown } | null };
}

interface SampleRow {
  id: number;
  class_id: number | null;
  status: string;
  drop_reason: string | null;
  notes: string;
}

describe('first run, Data view at 1280×720 (browser host)', () => {
  let tmp: string;
  let studio: LaunchedStudio;
  let seeded: SeededPets;
  const shot = (name: string) => studio.page.screenshot({ path: join(ARTIFACTS, `first-run-${name}.png`) });
  const samples = () => studio.core.workspace.db.prepare('SELECT * FROM samples ORDER BY id').all() as SampleRow[];
  const sample = (id: number) => studio.core.workspace.db.prepare('SELECT * FROM samples WHERE id = ?').get(id) as SampleRow;
  const changeCount = () => (studio.core.workspace.db.prepare('SELECT COUNT(*) AS n FROM changes').get() as { n: number }).n;
  const rowAt = (i: number) => studio.page.locator(`[data-testid="sample-row"][data-index="${i}"]`);

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    tmp = mkdtempSync(join(tmpdir(), 'vcs-first-run-data-'));
    copyPetsSpread(join(tmp, 'pets'), 8);
    studio = await launchStudio({ workspaceDir: join(tmp, 'workspace'), viewport: { width: 1280, height: 720 }, navigate: false });
    seeded = await seedPets(studio.core, join(tmp, 'pets'));
    await studio.page.goto(studio.url);
    await studio.page.getByTestId('dataset-title').waitFor();
    await studio.page.getByTestId('sample-row').first().waitFor();
  });

  afterAll(async () => {
    await studio?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('fits the table at 1280×720 (Bytes visible, no page overflow) and resizes the File column by dragging', async () => {
    const { page } = studio;
    await shot('01-data-1280');
    const table = await page.getByTestId('sample-table').boundingBox();
    const bytes = await page.getByTestId('sort-bytes').boundingBox();
    expect(table && bytes).toBeTruthy();
    expect(bytes!.x + bytes!.width).toBeLessThanOrEqual(table!.x + table!.width + 0.5);
    expect(await page.locator('html').evaluate((el) => el.scrollWidth)).toBeLessThanOrEqual(1280);

    const pathCell = rowAt(0).locator('.col-path');
    const before = (await pathCell.boundingBox())!.width;
    const handle = (await page.getByTestId('resize-path').boundingBox())!;
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await page.mouse.down();
    await page.mouse.move(handle.x + 140, handle.y + handle.height / 2, { steps: 6 });
    await page.mouse.up();
    await expect.poll(async () => (await pathCell.boundingBox())!.width).toBeGreaterThan(before + 100);
    const cut = await page.locator('[data-testid="sample-row"] .cell-path').evaluateAll((els) => els.filter((e) => e.scrollWidth > e.clientWidth + 1).length);
    expect(cut).toBe(0);
    await shot('02-data-file-column-resized');
    const resized = (await pathCell.boundingBox())!.width;
    await page.keyboard.press('v'); // to the grid and back: the dragged width is kept
    await page.getByTestId('sample-grid').waitFor();
    await page.keyboard.press('v');
    await page.getByTestId('sample-table').waitFor();
    expect(Math.round((await pathCell.boundingBox())!.width)).toBe(Math.round(resized));
    await page.getByTestId('resize-path').dblclick();
    await expect.poll(async () => Math.round((await pathCell.boundingBox())!.width)).toBeLessThan(before + 20);
  });

  it('drops with a typed reason that starts with a digit; nothing typed reaches the grid', async () => {
    const { page } = studio;
    await rowAt(2).click();
    const target = Number(await rowAt(2).getAttribute('data-sample-id'));
    const labelsBefore = samples().map((s) => [s.id, s.class_id]);
    const changesBefore = changeCount();
    await page.keyboard.press('d');
    await page.getByTestId('drop-reason-picker').waitFor();
    await page.keyboard.type('64x48 thumbnail, unusable');
    expect(await page.getByTestId('drop-reason-preview').textContent()).toContain('“64x48 thumbnail, unusable”');
    await shot('03-drop-free-text');
    await page.keyboard.press('Enter');
    await expect.poll(() => sample(target).status).toBe('dropped');
    expect(sample(target).drop_reason).toBe('64x48 thumbnail, unusable');
    expect(samples().map((s) => [s.id, s.class_id])).toEqual(labelsBefore);
    expect(changeCount()).toBe(changesBefore + 1);
    await expect.poll(() => page.getByTestId('drop-reason-picker').count()).toBe(0);
  });

  it('keeps the Import dialog open with the problem inline when the path is wrong, then imports the fixed path', async () => {
    const { page } = studio;
    copyPetsSpread(join(tmp, 'more-src'), 2);
    await page.getByTestId('import-open').click();
    await page.getByTestId('import-source').fill(join(tmp, 'no-such-folder'));
    await page.getByTestId('import-name').fill('more pets');
    // Main looks at the path as soon as typing pauses, before any click.
    await expect.poll(() => page.getByTestId('import-source-check').textContent()).toContain('Nothing exists at');
    await page.getByTestId('import-start').click();
    const error = page.getByTestId('dialog-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('Nothing exists at');
    expect(await page.getByTestId('import-name').inputValue()).toBe('more pets');
    expect(await page.getByTestId('job').count()).toBe(0);
    await shot('04-import-bad-path');
    await page.getByTestId('import-source').fill(join(tmp, 'more-src'));
    expect(await page.getByTestId('dialog-error').count()).toBe(0);
    await expect.poll(() => page.getByTestId('import-source-check').textContent()).toContain('Folder with 2 class sub-folders');
    await page.getByTestId('import-start').click();
    await expect.poll(() => page.getByTestId('import-dialog').count()).toBe(0);
    await page.locator('[data-testid="job"][data-status="done"]').waitFor({ timeout: 60_000 });
  });

  it('keeps the Export dialog open, prompts as edited, when the folder is not empty', async () => {
    const { page } = studio;
    await page.locator(`[data-testid="dataset-item"][data-dataset-id="${seeded.dataset.id}"]`).click();
    await expect.poll(() => page.getByTestId('dataset-title').textContent()).toBe('pets');
    const full = join(tmp, 'already-used');
    mkdirSync(full);
    writeFileSync(join(full, 'train.jsonl'), '{}\n');
    await page.getByTestId('export-open').first().click();
    await page.getByTestId('export-system-prompt').fill('You label pets. One word.');
    await page.getByTestId('export-destination').fill(full);
    await expect.poll(() => page.getByTestId('export-destination-check').getAttribute('data-ok')).toBe('false');
    await page.getByTestId('export-start').click();
    await page.getByTestId('dialog-error').waitFor();
    expect(await page.getByTestId('dialog-error').textContent()).toContain('is not empty (1 item)');
    expect(await page.getByTestId('export-system-prompt').inputValue()).toBe('You label pets. One word.');
    await shot('05-export-not-empty');
    await page.getByTestId('export-destination').fill(join(tmp, 'fresh-export'));
    await expect.poll(() => page.getByTestId('export-destination-check').textContent()).toContain('New folder');
    await page.getByTestId('export-start').click();
    await expect.poll(() => page.getByTestId('export-dialog').count()).toBe(0);
  });

  it('caps error notices at three, keeps them off dialogs, and lets them go by themselves', async () => {
    const { page } = studio;
    for (let i = 0; i < 4; i++) {
      await page.getByTestId('class-add-input').fill('cat'); // exists → refused
      await page.getByTestId('class-add-button').click();
    }
    await expect.poll(() => page.getByTestId('error-banner').count()).toBe(3);
    await page.getByTestId('import-open').click();
    const modal = (await page.getByTestId('import-dialog').boundingBox())!;
    const banners = await page.getByTestId('error-banner').evaluateAll((els) =>
      els.map((e) => {
        const r = e.getBoundingClientRect();
        return { x: r.x, y: r.y, width: r.width, height: r.height };
      }),
    );
    for (const b of banners) {
      const overlaps = b.x < modal.x + modal.width && b.x + b.width > modal.x && b.y < modal.y + modal.height && b.y + b.height > modal.y;
      expect(overlaps).toBe(false);
    }
    const top = await page.evaluate(
      ([x, y]) => (globalThis as unknown as PageDocument).document.elementFromPoint(x, y)?.closest('[data-testid="import-dialog"]') != null,
      [modal.x + modal.width - 20, modal.y + modal.height - 20],
    );
    expect(top).toBe(true);
    await shot('06-notices-and-dialog');
    await page.keyboard.press('Escape');
    await page.getByTestId('error-banner').first().getByTestId('error-dismiss').click();
    await expect.poll(() => page.getByTestId('error-banner').count()).toBe(2);
    await expect.poll(() => page.getByTestId('error-banner').count(), { timeout: 15_000 }).toBe(0);
  });

  it('saves a typed note when the user moves to another sample without saving, and after a pause', async () => {
    const { page } = studio;
    await rowAt(0).click();
    const first = Number(await rowAt(0).getAttribute('data-sample-id'));
    await page.getByTestId('detail-notes').fill('blurry, maybe a lynx');
    await rowAt(1).click(); // no Save click, no pause
    await expect.poll(() => sample(first).notes).toBe('blurry, maybe a lynx');

    const second = Number(await rowAt(1).getAttribute('data-sample-id'));
    await page.getByTestId('detail-notes').fill('two cats in one photo');
    await expect.poll(() => sample(second).notes).toBe('two cats in one photo');
    await expect.poll(() => page.getByTestId('notes-state').textContent()).toContain('Saved');
    await rowAt(0).click();
    await expect.poll(() => page.getByTestId('detail-notes').inputValue()).toBe('blurry, maybe a lynx');
    await shot('07-note-autosaved');

    await page.locator('.view-area').click({ position: { x: 5, y: 5 } }); // leave the notes field
    await page.keyboard.press('v');
    await page.getByTestId('sample-grid').waitFor();
    expect(await page.locator('html').evaluate((el) => el.scrollWidth)).toBeLessThanOrEqual(1280);
    await shot('08-grid-1280');
    await page.keyboard.press('?');
    await page.getByTestId('help-overlay').waitFor();
    await shot('09-help-1280');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('help-overlay').count()).toBe(0);
    await page.keyboard.press('v');
    await page.getByTestId('sample-table').waitFor();
    expect(seeded.dataset.name).toBe('pets');
    expect(studio.pageErrors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });
});
