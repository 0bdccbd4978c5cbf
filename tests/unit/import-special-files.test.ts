/** Special files (a FIFO listed in a manifest or found in a folder) are reported, never opened: opening a FIFO would block the import forever. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runImport } from '../../src/main/imports/import-runner';
import { copyPets } from '../fixtures/real-photos';
import { makeFifo, releaseFifo } from '../fixtures/fifo';
import { cleanupTempDirs, makeTempDir, tempWorkspace } from '../fixtures/temp-dirs';

const fifos: string[] = [];
afterEach(() => {
  for (const f of fifos.splice(0)) releaseFifo(f);
  cleanupTempDirs();
});

describe('special files in an import', () => {
  it('a FIFO listed in a CSV manifest is an issue with a clear reason; the rest imports', { timeout: 20_000 }, async () => {
    const src = makeTempDir('vcs-src-');
    const [cat] = copyPets('cats', 1, src);
    fifos.push(makeFifo(join(src, 'pipe.jpg')));
    writeFileSync(join(src, 'm.csv'), `path,label\n${cat},cat\npipe.jpg,cat\n`);
    const report = await runImport(tempWorkspace(), { source: join(src, 'm.csv'), format: 'csv', datasetName: 'fifo' });
    expect(report.imported).toBe(1);
    expect(report.issues).toEqual([{ path: join(src, 'pipe.jpg'), reason: 'not-a-regular-file', detail: 'line 3: a named pipe (FIFO), not a regular file; only regular files are read' }]);
  });

  it('a FIFO inside a class folder is reported the same way', { timeout: 20_000 }, async () => {
    const src = makeTempDir('vcs-src-');
    copyPets('cats', 1, join(src, 'cat'));
    mkdirSync(join(src, 'dog'));
    fifos.push(makeFifo(join(src, 'dog', 'pipe.jpg')));
    const report = await runImport(tempWorkspace(), { source: src, format: 'imagefolder', datasetName: 'fifo' });
    expect(report.imported).toBe(1);
    expect(report.issues.map((i) => [i.path, i.reason])).toEqual([[join(src, 'dog', 'pipe.jpg'), 'not-a-regular-file']]);
  });
});
