/** Import robustness: bad files land in the report with the right reason, duplicates, symlinks out of root, cancel, re-import, bad manifests. */
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImportIssueReason } from '../../src/shared/domain';
import { runImport } from '../../src/main/imports/import-runner';
import { listImportReports } from '../../src/main/imports/import-reports';
import type { Workspace } from '../../src/main/workspace/workspace';
import { writeCorruptJpeg, writeDecompressionBomb, writeTextAsJpeg, writeTruncatedJpeg, writeZeroByte } from '../fixtures/bad-files';
import { copyPets, onePetPhoto } from '../fixtures/real-photos';
import { cleanupTempDirs, makeTempDir, tempWorkspace } from '../fixtures/temp-dirs';

const workspace = tempWorkspace;
afterEach(cleanupTempDirs);

const count = (ws: Workspace, table: string): number => (ws.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('bad files', () => {
  it('reports each bad file with its reason and imports the good ones', async () => {
    const src = makeTempDir('vcs-src-');
    const good = copyPets('cats', 2, join(src, 'cat'));
    const real = onePetPhoto('dogs');
    mkdirSync(join(src, 'dog'));
    writeTruncatedJpeg(real, join(src, 'dog', 'truncated.jpg'));
    writeZeroByte(join(src, 'dog', 'empty.jpg'));
    writeTextAsJpeg(join(src, 'dog', 'text.jpg'));
    writeCorruptJpeg(real, join(src, 'dog', 'corrupt.jpg'));
    await writeDecompressionBomb(join(src, 'dog', 'bomb.png'));
    const ws = workspace();
    const report = await runImport(ws, { source: src, format: 'imagefolder', datasetName: 'bad' });
    const reasons = Object.fromEntries(report.issues.map((i) => [i.path.split('/').pop(), i.reason]));
    expect(reasons).toEqual({
      'truncated.jpg': 'truncated',
      'empty.jpg': 'empty-file',
      'text.jpg': 'not-an-image',
      'corrupt.jpg': 'corrupt',
      'bomb.png': 'too-many-pixels',
    } satisfies Record<string, ImportIssueReason>);
    expect(report.imported).toBe(good.length);
    expect(report.scanned).toBe(report.imported + report.alreadyPresent + report.issues.length);
    expect(report.issues.every((i) => i.detail.length > 0)).toBe(true);
    expect(count(ws, 'samples')).toBe(2);
    // The saved report reads back identically.
    const [saved] = listImportReports(ws.db, report.datasetId);
    expect(saved).toEqual(report);
  });

  it('applies a configurable pixel limit', async () => {
    const src = makeTempDir('vcs-src-');
    copyPets('cats', 1, join(src, 'cat'));
    const report = await runImport(workspace(), { source: src, format: 'imagefolder', datasetName: 'small' }, { maxPixels: 10_000 });
    expect(report.issues.map((i) => i.reason)).toEqual(['too-many-pixels']);
    expect(report.imported).toBe(0);
  });
});

describe('duplicates and re-imports', () => {
  it('reports exact duplicates inside one import as "duplicate of <first path>"', async () => {
    const src = makeTempDir('vcs-src-');
    const [first] = copyPets('cats', 1, join(src, 'cat'));
    mkdirSync(join(src, 'dog'));
    copyFileSync(first, join(src, 'dog', 'copy.jpg'));
    const report = await runImport(workspace(), { source: src, format: 'imagefolder', datasetName: 'dups' });
    expect(report.imported).toBe(1);
    expect(report.issues).toEqual([{ path: join(src, 'dog', 'copy.jpg'), reason: 'duplicate', detail: `duplicate of ${first}` }]);
    expect(report.classes).toEqual(['cat']);
  });

  it('re-importing the same folder counts alreadyPresent and adds nothing', async () => {
    const src = makeTempDir('vcs-src-');
    copyPets('cats', 2, join(src, 'cat'));
    copyPets('dogs', 2, join(src, 'dog'));
    const ws = workspace();
    const first = await runImport(ws, { source: src, format: 'imagefolder', datasetName: 'again' });
    const second = await runImport(ws, { source: src, format: 'imagefolder', datasetName: 'again' });
    expect(first.imported).toBe(4);
    expect(second.imported).toBe(0);
    expect(second.alreadyPresent).toBe(4);
    expect(second.issues).toEqual([]);
    expect(count(ws, 'samples')).toBe(4);
    expect(count(ws, 'import_reports')).toBe(2);
  });

  it('a copy of an image already in the dataset under another path is a duplicate', async () => {
    const src = makeTempDir('vcs-src-');
    const [cat] = copyPets('cats', 1, join(src, 'a', 'cat'));
    const ws = workspace();
    await runImport(ws, { source: join(src, 'a'), format: 'imagefolder', datasetName: 'd' });
    mkdirSync(join(src, 'b', 'cat'), { recursive: true });
    copyFileSync(cat, join(src, 'b', 'cat', 'same.jpg'));
    const report = await runImport(ws, { source: join(src, 'b'), format: 'imagefolder', datasetName: 'd' });
    expect(report.imported).toBe(0);
    expect(report.issues).toEqual([
      { path: join(src, 'b', 'cat', 'same.jpg'), reason: 'duplicate', detail: `duplicate of ${cat} (already in the dataset)` },
    ]);
  });
});

describe('roots, cancel and manifests', () => {
  it('does not follow a symlink out of the chosen root', async () => {
    const outside = makeTempDir('vcs-outside-');
    const [secret] = copyPets('dogs', 1, outside);
    const src = makeTempDir('vcs-src-');
    copyPets('cats', 1, join(src, 'cat'));
    symlinkSync(secret, join(src, 'cat', 'link.jpg'));
    symlinkSync(outside, join(src, 'dogdir'));
    const ws = workspace();
    const report = await runImport(ws, { source: src, format: 'imagefolder', datasetName: 'links' });
    expect(report.imported).toBe(1);
    expect(report.issues.map((i) => [i.path, i.reason]).sort()).toEqual([
      [join(src, 'cat', 'link.jpg'), 'outside-root'],
      [join(src, 'dogdir'), 'outside-root'],
    ]);
    const paths = (ws.db.prepare('SELECT original_path AS p FROM samples').all() as { p: string }[]).map((r) => r.p);
    expect(paths.some((p) => p.includes('link.jpg') || p.includes('dogdir'))).toBe(false);
  });

  it('cancel saves a cancelled report and leaves samples and images empty', async () => {
    const src = makeTempDir('vcs-src-');
    copyPets('cats', 6, join(src, 'cat'));
    const controller = new AbortController();
    const ws = workspace();
    const report = await runImport(ws, { source: src, format: 'imagefolder', datasetName: 'cancel' }, {
      signal: controller.signal,
      concurrency: 1,
      onProgress: (value) => {
        if (value > 0.02) controller.abort();
      },
    });
    expect(report.cancelled).toBe(true);
    expect(report.imported).toBe(0);
    expect(report.scanned).toBeLessThan(6);
    expect(count(ws, 'samples')).toBe(0);
    expect(count(ws, 'images')).toBe(0);
    expect(listImportReports(ws.db, report.datasetId)[0].cancelled).toBe(true);
  });

  it('a malformed CSV fails with a clear message and writes nothing', async () => {
    const src = makeTempDir('vcs-src-');
    copyPets('cats', 1, src);
    writeFileSync(join(src, 'bad.csv'), 'path,label\nAbyssinian_1.jpg,"cat\nother.jpg,dog\n');
    const ws = workspace();
    await expect(runImport(ws, { source: join(src, 'bad.csv'), format: 'csv', datasetName: 'x' })).rejects.toThrow(
      /Malformed CSV manifest .*bad\.csv: Quote Not Closed/,
    );
    expect(count(ws, 'datasets')).toBe(0);
  });

  it('reports bad manifest rows with line numbers and missing files (also ../ ones)', async () => {
    const src = makeTempDir('vcs-src-');
    const [cat] = copyPets('cats', 1, src);
    const name = cat.split('/').pop();
    const manifest = join(src, 'm.csv');
    writeFileSync(manifest, `image,label,split\n${name},cat,train\n,dog,train\nnope.jpg,dog,\n../escape.jpg,dog,\n${name},cat,holdout\nonly-one-column\n`);
    const report = await runImport(workspace(), { source: manifest, format: 'csv', datasetName: 'rows' });
    expect(report.imported).toBe(1);
    expect(report.issues.map((i) => [i.reason, i.detail.match(/^line \d+/)?.[0]])).toEqual([
      ['bad-manifest-row', 'line 7'],
      ['bad-manifest-row', 'line 3'],
      ['missing-file', 'line 4'],
      ['missing-file', 'line 5'],
      ['bad-manifest-row', 'line 6'],
    ]);
    expect(report.scanned).toBe(6);
  });

  it('a manifest without a path column is refused with the columns it has', async () => {
    const src = makeTempDir('vcs-src-');
    writeFileSync(join(src, 'm.csv'), 'picture,label\na.jpg,cat\n');
    await expect(runImport(workspace(), { source: join(src, 'm.csv'), format: 'csv', datasetName: 'x' })).rejects.toThrow(
      /no image path column .* it has: picture, label/,
    );
  });
});
