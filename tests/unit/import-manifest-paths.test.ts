/** CSV/JSONL manifests written by other tools: absolute image paths and paths relative to the manifest's folder (also ../) are the user's own files and import. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runImport } from '../../src/main/imports/import-runner';
import { copyPets } from '../fixtures/real-photos';
import { cleanupTempDirs, makeTempDir, tempWorkspace } from '../fixtures/temp-dirs';

afterEach(cleanupTempDirs);

describe('manifest image paths', () => {
  it('CSV: absolute paths anywhere on disk and ../ paths relative to the manifest import', async () => {
    const photos = makeTempDir('vcs-photos-');
    const cats = copyPets('cats', 2, join(photos, 'c'));
    const dogs = copyPets('dogs', 2, join(photos, 'd'));
    const manifestDir = join(makeTempDir('vcs-manifests-'), 'lists');
    mkdirSync(manifestDir);
    const manifest = join(manifestDir, 'pets.csv');
    const rel = (p: string): string => relative(manifestDir, p);
    writeFileSync(manifest, `path,label\n${cats[0]},cat\n${cats[1]},cat\n${rel(dogs[0])},dog\n${rel(dogs[1])},dog\n`);
    const ws = tempWorkspace();
    const report = await runImport(ws, { source: manifest, format: 'csv', datasetName: 'abs' });
    expect(report.issues).toEqual([]);
    expect(report.imported).toBe(4);
    const paths = (ws.db.prepare('SELECT original_path AS p FROM samples ORDER BY id').all() as { p: string }[]).map((r) => r.p);
    expect(paths).toEqual([...cats, ...dogs]);
  });

  it('JSONL: absolute paths import; a listed file that does not exist is reported as missing, not as outside the root', async () => {
    const photos = makeTempDir('vcs-photos-');
    const [cat] = copyPets('cats', 1, photos);
    const manifest = join(makeTempDir('vcs-manifests-'), 'm.jsonl');
    writeFileSync(manifest, `${JSON.stringify({ image: cat, label: 'cat' })}\n${JSON.stringify({ image: join(photos, 'gone.jpg'), label: 'cat' })}\n`);
    const report = await runImport(tempWorkspace(), { source: manifest, format: 'jsonl', datasetName: 'abs' });
    expect(report.imported).toBe(1);
    expect(report.issues.map((i) => [i.path, i.reason])).toEqual([[join(photos, 'gone.jpg'), 'missing-file']]);
  });
});
