/**
 * The studio as a user drives it (browser host + headless chromium): import a real labelled folder through the
 * Import dialog, relabel and drop by keyboard, undo/redo, split 0.8/0.1/0.1 seed 23, snapshot v1, export chat JSONL.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchStudio, REPO_ROOT, type LaunchedStudio } from './support/launch-studio';
import { asset } from '../support/assets';

const PETS = asset('datasets', 'oxford-pets-370');
const BANNER = asset('datasets', 'bad-samples', 'adopted-banner.jpg');
const ARTIFACTS = join(REPO_ROOT, 'tests', 'artifacts');
const PER_CLASS = 12;

interface SampleRow {
  id: number;
  class_id: number | null;
  status: string;
  drop_reason: string | null;
  split: string | null;
  original_path: string;
}

const haveAssets = existsSync(join(PETS, 'cats')) && existsSync(BANNER);

describe.skipIf(!haveAssets)('studio renderer (browser host)', () => {
  let tmp: string;
  let studio: LaunchedStudio;
  const shot = (name: string) => studio.page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
  const sample = (id: number) =>
    studio.core.workspace.db.prepare('SELECT * FROM samples WHERE id = ?').get(id) as SampleRow;
  const sampleByFile = (file: string) =>
    studio.core.workspace.db.prepare('SELECT * FROM samples WHERE original_path LIKE ?').get(`%${file}`) as SampleRow;
  const row = (id: number) => studio.page.locator(`[data-testid="sample-row"][data-sample-id="${id}"]`);

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    tmp = mkdtempSync(join(tmpdir(), 'vcs-studio-e2e-'));
    const source = join(tmp, 'pets');
    for (const kind of ['cats', 'dogs']) {
      mkdirSync(join(source, kind), { recursive: true });
      const files = readdirSync(join(PETS, kind)).filter((f) => f.endsWith('.jpg')).sort().slice(0, PER_CLASS);
      for (const f of files) copyFileSync(join(PETS, kind, f), join(source, kind, f));
    }
    copyFileSync(BANNER, join(source, 'dogs', 'adopted-banner.jpg'));
    // Bad files the import must report (and not import): nothing is silently skipped.
    writeFileSync(join(source, 'dogs', 'empty.jpg'), Buffer.alloc(0));
    writeFileSync(join(source, 'cats', 'notes.jpg'), 'not an image\n');
    const photo = readFileSync(join(source, 'dogs', 'adopted-banner.jpg'));
    writeFileSync(join(source, 'dogs', 'truncated.jpg'), photo.subarray(0, Math.floor(photo.length / 2)));
    const firstCat = readdirSync(join(source, 'cats')).filter((f) => f.endsWith('.jpg')).sort()[0];
    copyFileSync(join(source, 'cats', firstCat), join(source, 'dogs', 'zz-copy-of-a-cat.jpg'));
    studio = await launchStudio({ workspaceDir: join(tmp, 'workspace'), viewport: { width: 1440, height: 900 } });
  });

  afterAll(async () => {
    await studio?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('imports a folder through the Import dialog and shows the report', async () => {
    const { page } = studio;
    await page.getByTestId('welcome-empty').waitFor();
    await shot('studio-01-empty');
    await page.getByTestId('import-open').click();
    await page.getByTestId('import-source').fill(join(tmp, 'pets'));
    await page.getByTestId('import-format').selectOption('imagefolder');
    await page.getByTestId('import-name').fill('pets');
    await shot('studio-02-import-dialog');
    await page.getByTestId('import-start').click();
    await page.getByTestId('job-view-report').waitFor({ timeout: 120_000 });
    await expect.poll(() => page.getByTestId('sample-row').count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('view-count').textContent()).toContain(`${2 * PER_CLASS + 1} shown`);
    expect(await page.getByTestId('dataset-item').textContent()).toContain('pets');
    await shot('studio-03-table');
    await page.getByTestId('job-view-report').click();
    const counts = await page.getByTestId('import-report-counts').textContent();
    expect(counts).toContain(`${2 * PER_CLASS + 1}Imported`);
    const issues = await page.getByTestId('import-issue').allTextContents();
    expect(issues).toHaveLength(4);
    const reasonOf = (file: string) => issues.find((t) => t.includes(file)) ?? '';
    expect(reasonOf('empty.jpg')).toContain('empty-file');
    expect(reasonOf('notes.jpg')).toContain('not-an-image');
    expect(reasonOf('truncated.jpg')).toContain('truncated');
    expect(reasonOf('zz-copy-of-a-cat.jpg')).toContain('duplicate');
    await shot('studio-04-import-report');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('import-report').count()).toBe(0);
  });

  it('relabels the focused sample with a number key and advances focus', async () => {
    const { page } = studio;
    const first = studio.core.workspace.db
      .prepare('SELECT id, name FROM classes ORDER BY position LIMIT 1')
      .get() as { id: number; name: string };
    const dog = studio.core.workspace.db
      .prepare("SELECT * FROM samples WHERE original_path LIKE '%dogs%' AND original_path NOT LIKE '%banner%' ORDER BY id LIMIT 1")
      .get() as SampleRow;
    expect(dog.class_id).not.toBe(first.id);
    await row(dog.id).click();
    await page.keyboard.press('1');
    await expect.poll(() => row(dog.id).getByTestId('label-cell').textContent()).toContain(first.name);
    expect(sample(dog.id).class_id).toBe(first.id);
    expect(await page.getByTestId('toast').textContent()).toContain(`Relabelled 1 → ${first.name}`);
    expect(await page.getByTestId('undo-button').isEnabled()).toBe(true);
    await expect.poll(() => page.locator('.table-row.focused').getAttribute('data-sample-id')).not.toBe(String(dog.id));
    await shot('studio-05-relabelled');
  });

  it('drops the banner with D + reason, undoes with Z and redoes with Shift+Z', async () => {
    const { page } = studio;
    const banner = sampleByFile('adopted-banner.jpg');
    const dogsBefore = Number(await page.getByTestId('class-count-dogs').getAttribute('data-count'));
    await row(banner.id).click();
    await page.keyboard.press('d');
    await page.getByTestId('drop-reason-picker').waitFor();
    await shot('studio-06-drop-picker');
    await page.keyboard.press('2'); // "text/banner" (a lone preset number, then Enter)
    await page.keyboard.press('Enter');
    await expect.poll(() => sample(banner.id).status).toBe('dropped');
    expect(sample(banner.id).drop_reason).toBe('text/banner');
    await expect.poll(() => row(banner.id).count()).toBe(0); // the active view hides it
    await expect
      .poll(async () => Number(await page.getByTestId('class-count-dogs').getAttribute('data-count')))
      .toBe(dogsBefore - 1);

    await page.keyboard.press('z');
    await expect.poll(() => sample(banner.id).status).toBe('active');
    await expect.poll(() => row(banner.id).getByTestId('status-cell').textContent()).toBe('active');
    expect(sample(banner.id).drop_reason).toBeNull();

    await page.keyboard.press('Shift+Z');
    await expect.poll(() => sample(banner.id).status).toBe('dropped');
    await expect.poll(() => row(banner.id).count()).toBe(0);

    await page.getByTestId('filter-status').selectOption('all');
    await page.getByTestId('view-grid').click();
    await page.locator(`[data-testid="grid-cell"][data-sample-id="${banner.id}"].dropped`).waitFor();
    await shot('studio-07-grid-with-dropped');
    await page.keyboard.press('?');
    await page.getByTestId('help-overlay').waitFor();
    await shot('studio-08-help');
    await page.keyboard.press('Escape');
    await page.getByTestId('view-table').click();
    await page.getByTestId('filter-status').selectOption('active');
  });

  it('splits 0.8/0.1/0.1 with seed 23 and snapshots v1', async () => {
    const { page } = studio;
    await page.getByTestId('split-open').click();
    expect(await page.getByTestId('split-seed').inputValue()).toBe('23');
    await page.getByTestId('split-preset-80-10-10').check();
    await page.getByTestId('split-apply').click();
    await page.getByTestId('split-result').waitFor();
    await shot('studio-09-split');
    const bySplit = studio.core.workspace.db
      .prepare("SELECT split, COUNT(*) AS n FROM samples WHERE status = 'active' GROUP BY split")
      .all() as { split: string | null; n: number }[];
    const n = (s: string) => bySplit.find((r) => r.split === s)?.n ?? 0;
    expect(n('train') + n('val') + n('test')).toBe(2 * PER_CLASS);
    expect(n('train')).toBeGreaterThan(n('test'));
    expect(n('val')).toBeGreaterThan(0);
    await page.getByTestId('split-close').click();

    await page.getByTestId('snapshot-open').click();
    await page.getByTestId('snapshot-name').fill('v1');
    await page.getByTestId('snapshot-note').fill('first clean split');
    await page.getByTestId('snapshot-create').click();
    const version = page.locator('[data-testid="version-item"]', { hasText: 'v1' });
    await version.waitFor();
    expect(await version.textContent()).toContain(`${2 * PER_CLASS} samples`);
  });

  it('exports v1 as chat JSONL through a job', async () => {
    const { page } = studio;
    const destination = join(tmp, 'export-v1');
    await page.locator('[data-testid="version-item"]', { hasText: 'v1' }).getByTestId('export-open').click();
    await page.getByTestId('export-format').selectOption('jsonl-chat');
    await page.getByTestId('export-destination').fill(destination);
    await shot('studio-10-export-dialog');
    await page.getByTestId('export-start').click();
    const result = page.locator('[data-testid="job"][data-status="done"]', { hasText: 'Exported' });
    await result.waitFor({ timeout: 120_000 });
    expect(await result.textContent()).toContain(destination);
    await shot('studio-11-exported');

    const jsonl = readdirSync(destination, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.jsonl'));
    expect(jsonl.length).toBeGreaterThan(0);
    const lines = jsonl.flatMap((f) =>
      readFileSync(join(destination, f), 'utf8')
        .split('\n')
        .filter((l) => l.trim()),
    );
    expect(lines).toHaveLength(2 * PER_CLASS);
    for (const line of lines) {
      const record = JSON.parse(line) as { messages: { role: string; content: unknown }[] };
      expect(Array.isArray(record.messages)).toBe(true);
      const answer = record.messages[record.messages.length - 1];
      expect(answer.role).toBe('assistant');
      expect(JSON.stringify(answer.content)).toMatch(/cats|dogs/);
      expect(line).toContain('- cats\\n- dogs'); // {{labels}} expanded in the user prompt
      expect(line).not.toContain('adopted-banner');
    }
  });

  it('diffs two versions and reports API errors in a dismissible banner', async () => {
    const { page } = studio;
    const cat = sampleByFile('cats/Abyssinian_12.jpg');
    await row(cat.id).click();
    await page.keyboard.press('2'); // cats → dogs
    await expect.poll(() => row(cat.id).getByTestId('label-cell').textContent()).toContain('dogs');
    await page.getByTestId('snapshot-open').click();
    await page.getByTestId('snapshot-name').fill('v2');
    await page.getByTestId('snapshot-create').click();
    await page.locator('[data-testid="version-item"]', { hasText: 'v2' }).waitFor();
    await page.getByTestId('diff-open').click();
    await page.getByTestId('diff-compare').click();
    await expect.poll(() => page.getByTestId('diff-relabeled').textContent()).toContain('1');
    await shot('studio-12-diff');
    // Picking another pair hides the old result until Compare is pressed again (no stale numbers under new pickers).
    const v1Id = await page.locator('[data-testid="version-item"]', { hasText: 'v1' }).getAttribute('data-version-id');
    await page.getByTestId('diff-to').selectOption(v1Id!);
    await expect.poll(() => page.getByTestId('diff-relabeled').count()).toBe(0);
    await page.keyboard.press('Escape');

    await page.getByTestId('class-add-input').fill('cats'); // already exists → the API refuses
    await page.getByTestId('class-add-button').click();
    const banner = page.getByTestId('error-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toMatch(/Adding class "cats" failed/);
    await shot('studio-13-error-banner');
    await banner.getByTestId('error-dismiss').click();
    await expect.poll(() => page.getByTestId('error-banner').count()).toBe(0);
    expect(studio.pageErrors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });
});
