/** ImageFolder export: labels that sanitise to the same folder name (a/b, a_b, A_B on case-insensitive disks) get unique folders, listed in label-folders.json and the result. */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runExport } from '../../src/main/exports/export-runner';
import { runImport } from '../../src/main/imports/import-runner';
import { createVersion } from '../../src/main/versions/snapshot';
import { copyPets } from '../fixtures/real-photos';
import { cleanupTempDirs, makeTempDir, tempWorkspace } from '../fixtures/temp-dirs';

afterEach(cleanupTempDirs);

describe('imagefolder export folder names', () => {
  it('gives colliding labels distinct, deterministic folders and records label → folder', async () => {
    const src = makeTempDir('vcs-src-');
    const photos = copyPets('cats', 4, src);
    const labels = ['a/b', 'a_b', 'A_B', 'a:b'];
    writeFileSync(join(src, 'm.csv'), `path,label\n${photos.map((p, i) => `${p},${labels[i]}`).join('\n')}\n`);
    const ws = tempWorkspace();
    const report = await runImport(ws, { source: join(src, 'm.csv'), format: 'csv', datasetName: 'clash' });
    expect(report.imported).toBe(4);
    const version = createVersion(ws.db, report.datasetId, 'v1');
    const dest = join(makeTempDir('vcs-out-'), 'folder');
    const result = await runExport(ws, { versionId: version.id, format: 'imagefolder', destination: dest });

    const expected = { 'a/b': 'a_b', a_b: 'a_b-2', A_B: 'A_B-3', 'a:b': 'a_b-4' };
    expect(result.labelFolders).toEqual(expected);
    expect(result.files).toContain('label-folders.json');
    const mapping = JSON.parse(readFileSync(join(dest, 'label-folders.json'), 'utf8')) as { label: string; folder: string }[];
    expect(mapping).toEqual(Object.entries(expected).map(([label, folder]) => ({ label, folder })));
    // Four folders that differ even case-insensitively, each holding exactly its label's photo.
    const folders = readdirSync(join(dest, 'all')).sort();
    expect(folders).toEqual(Object.values(expected).sort());
    expect(new Set(folders.map((f) => f.toLowerCase())).size).toBe(4);
    const hashOf = new Map((ws.db.prepare('SELECT original_path AS p, image_hash AS h FROM samples').all() as { p: string; h: string }[]).map((r) => [r.p, r.h]));
    photos.forEach((p, i) => {
      const files = readdirSync(join(dest, 'all', expected[labels[i] as keyof typeof expected]));
      expect(files).toHaveLength(1);
      expect(files[0].startsWith(hashOf.get(p)?.slice(0, 8) ?? '?')).toBe(true);
    });
  });
});
