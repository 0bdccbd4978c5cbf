/** ImageFolder imports skip known side files at the root quietly (listed apart from issues, saved with the report); non-images inside class folders stay issues. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isSideFile } from '../../src/shared/side-files';
import { printImportReport } from '../../src/main/cli/commands';
import { runImport } from '../../src/main/imports/import-runner';
import { listImportReports } from '../../src/main/imports/import-reports';
import { copyPets } from '../fixtures/real-photos';
import { cleanupTempDirs, makeTempDir, tempWorkspace } from '../fixtures/temp-dirs';

afterEach(cleanupTempDirs);

const SIDE = ['LICENSE', 'README.txt', 'Thumbs.db', 'classes.txt', 'desktop.ini', 'labels.json', 'metadata.csv', 'notes.md'];

describe('side files at the root of an ImageFolder', () => {
  it('are skipped quietly and listed as skipped side files; a text file inside a class folder is still an issue', async () => {
    const src = makeTempDir('vcs-src-');
    copyPets('cats', 2, join(src, 'cat'));
    copyPets('dogs', 2, join(src, 'dog'));
    for (const name of [...SIDE, '.DS_Store']) writeFileSync(join(src, name), `side file ${name}\n`);
    writeFileSync(join(src, 'cat', 'notes.txt'), 'not a cat\n');
    const ws = tempWorkspace();
    const report = await runImport(ws, { source: src, format: 'imagefolder', datasetName: 'side' });
    expect(report.imported).toBe(4);
    expect(report.skippedSideFiles).toEqual(SIDE.map((n) => join(src, n)));
    expect(report.issues.map((i) => [i.path, i.reason])).toEqual([[join(src, 'cat', 'notes.txt'), 'not-an-image']]);
    expect(listImportReports(ws.db, report.datasetId)).toEqual([report]);
    const lines: string[] = [];
    printImportReport(report, (l) => lines.push(l));
    expect(lines.join('\n')).toMatch(/8 side file\(s\) skipped: LICENSE, README\.txt, Thumbs\.db, classes\.txt, desktop\.ini, labels\.json, metadata\.csv, notes\.md/);
  });

  it('an image at the root is never a side file (it imports unlabelled)', async () => {
    expect(['photo.jpg', 'x.PNG', 'scan.webp'].filter(isSideFile)).toEqual([]);
    const src = makeTempDir('vcs-src-');
    copyPets('cats', 1, src);
    const report = await runImport(tempWorkspace(), { source: src, format: 'imagefolder', datasetName: 'loose' });
    expect([report.imported, report.skippedSideFiles.length]).toEqual([1, 0]);
  });
});

describe('side files in split folders (HF layout)', () => {
  it('are skipped beside the class folders of train/ and test/ too', async () => {
    const src = makeTempDir('vcs-src-');
    copyPets('cats', 1, join(src, 'train', 'cat'));
    copyPets('dogs', 1, join(src, 'test', 'dog'));
    writeFileSync(join(src, 'README.md'), '# pets\n');
    writeFileSync(join(src, 'train', 'labels.txt'), 'cat\n');
    writeFileSync(join(src, 'train', 'cat', 'notes.txt'), 'still an issue\n');
    const report = await runImport(tempWorkspace(), { source: src, format: 'imagefolder', datasetName: 'split-side' });
    expect(report.imported).toBe(2);
    expect(report.skippedSideFiles).toEqual([join(src, 'README.md'), join(src, 'train', 'labels.txt')]);
    expect(report.issues.map((i) => [i.path, i.reason])).toEqual([[join(src, 'train', 'cat', 'notes.txt'), 'not-an-image']]);
  });
});
