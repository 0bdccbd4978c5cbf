/** Each import format on small sets of real photos: classes, splits, nested folders, manifests, HF metadata, auto detection. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runImport } from '../../src/main/imports/import-runner';
import { detectFormat } from '../../src/main/imports/scan-source';
import type { Workspace } from '../../src/main/workspace/workspace';
import { cleanupTempDirs, makeTempDir, tempWorkspace } from '../fixtures/temp-dirs';
import { copyPets } from '../fixtures/real-photos';

const workspace = tempWorkspace;
afterEach(cleanupTempDirs);

interface Row {
  path: string;
  label: string | null;
  split: string | null;
  width: number;
  format: string;
}
function samples(ws: Workspace, datasetId: number): Row[] {
  return ws.db
    .prepare(
      `SELECT s.original_path AS path, c.name AS label, s.split, i.width, i.format FROM samples s
       JOIN images i ON i.hash = s.image_hash LEFT JOIN classes c ON c.id = s.class_id
       WHERE s.dataset_id = ? ORDER BY s.original_path`,
    )
    .all(datasetId) as Row[];
}
function classNames(ws: Workspace, datasetId: number): string[] {
  return (ws.db.prepare('SELECT name FROM classes WHERE dataset_id = ? ORDER BY position').all(datasetId) as { name: string }[]).map((r) => r.name);
}

describe('imagefolder import', () => {
  it('uses first-level folders as classes, nested folders belong to their class, classes sorted by name', async () => {
    const src = makeTempDir('vcs-src-');
    copyPets('dogs', 3, join(src, 'dog'));
    copyPets('cats', 2, join(src, 'cat'));
    copyPets('cats', 2, join(src, 'cat', 'more', 'deeper'), 2);
    writeFileSync(join(src, 'cat', '.DS_Store'), 'hidden');
    const ws = workspace();
    const report = await runImport(ws, { source: src, format: 'imagefolder', datasetName: 'pets' });
    expect(report.format).toBe('imagefolder');
    expect(report.imported).toBe(7);
    expect(report.issues).toEqual([]);
    expect(report.scanned).toBe(7);
    expect(report.classes).toEqual(['cat', 'dog']);
    expect(classNames(ws, report.datasetId)).toEqual(['cat', 'dog']);
    const rows = samples(ws, report.datasetId);
    expect(rows.filter((r) => r.label === 'cat')).toHaveLength(4);
    expect(rows.filter((r) => r.path.includes(join('more', 'deeper'))).every((r) => r.label === 'cat')).toBe(true);
    expect(rows.every((r) => r.format === 'jpeg' && r.width > 100 && r.split === null)).toBe(true);
  });

  it('reads top-level train/validation/test folders as splits (HF convention)', async () => {
    const src = makeTempDir('vcs-src-');
    copyPets('cats', 2, join(src, 'train', 'cat'));
    copyPets('dogs', 2, join(src, 'train', 'dog'));
    copyPets('cats', 1, join(src, 'validation', 'cat'), 2);
    copyPets('dogs', 1, join(src, 'test', 'dog'), 2);
    const ws = workspace();
    const report = await runImport(ws, { source: src, format: 'auto', datasetName: 'split-pets' });
    expect(report.format).toBe('imagefolder');
    expect(report.imported).toBe(6);
    expect(report.classes).toEqual(['cat', 'dog']);
    const rows = samples(ws, report.datasetId);
    const count = (label: string, split: string) => rows.filter((r) => r.label === label && r.split === split).length;
    expect([count('cat', 'train'), count('dog', 'train'), count('cat', 'val'), count('dog', 'test')]).toEqual([2, 2, 1, 1]);
  });
});

describe('manifest imports', () => {
  it('imports a CSV manifest with relative paths, label and split, classes in first-appearance order', async () => {
    const src = makeTempDir('vcs-src-');
    const dogs = copyPets('dogs', 2, join(src, 'img'));
    const cats = copyPets('cats', 2, join(src, 'img'));
    const rel = (p: string) => p.slice(src.length + 1);
    writeFileSync(
      join(src, 'labels.csv'),
      `path,label,split\n${rel(dogs[0])},dog,train\n${rel(cats[0])},cat,val\n"${rel(cats[1])}",cat,test\n${rel(dogs[1])},dog,\n`,
    );
    expect(await detectFormat(join(src, 'labels.csv'))).toBe('csv');
    const ws = workspace();
    const report = await runImport(ws, { source: join(src, 'labels.csv'), format: 'auto', datasetName: 'csv' });
    expect(report.format).toBe('csv');
    expect(report.imported).toBe(4);
    expect(report.classes).toEqual(['dog', 'cat']);
    expect(classNames(ws, report.datasetId)).toEqual(['dog', 'cat']);
    const bySplit = Object.fromEntries(samples(ws, report.datasetId).map((r) => [r.path, `${r.label}/${r.split}`]));
    expect(bySplit).toEqual({ [dogs[0]]: 'dog/train', [cats[0]]: 'cat/val', [cats[1]]: 'cat/test', [dogs[1]]: 'dog/null' });
  });

  it('imports a JSONL manifest with file_name and a species column', async () => {
    const src = makeTempDir('vcs-src-');
    const cats = copyPets('cats', 2, join(src, 'photos'));
    const dogs = copyPets('dogs', 1, join(src, 'photos'));
    const line = (p: string, species: string) => JSON.stringify({ file_name: p.slice(src.length + 1), species, note: 'x' });
    writeFileSync(join(src, 'data.jsonl'), [line(cats[0], 'cat'), '', line(dogs[0], 'dog'), line(cats[1], 'cat')].join('\n'));
    const ws = workspace();
    const report = await runImport(ws, { source: join(src, 'data.jsonl'), format: 'jsonl', datasetName: 'jsonl' });
    expect(report.imported).toBe(3);
    expect(report.classes).toEqual(['cat', 'dog']);
    expect(samples(ws, report.datasetId).map((r) => r.label).sort()).toEqual(['cat', 'cat', 'dog']);
  });
});

describe('Hugging Face imagefolder with metadata', () => {
  it('reads metadata.csv in split folders (file_name relative to it, split from the folder)', async () => {
    const src = makeTempDir('vcs-src-');
    const train = [...copyPets('cats', 2, join(src, 'train')), ...copyPets('dogs', 2, join(src, 'train'))];
    const test = copyPets('dogs', 1, join(src, 'test'), 5);
    const name = (p: string) => p.split('/').pop() as string;
    writeFileSync(join(src, 'train', 'metadata.csv'), `file_name,label\n${train.map((p, i) => `${name(p)},${i < 2 ? 'cat' : 'dog'}`).join('\n')}\n`);
    writeFileSync(join(src, 'test', 'metadata.csv'), `file_name,label\n${name(test[0])},dog\n`);
    expect(await detectFormat(src)).toBe('hf-imagefolder');
    const ws = workspace();
    const report = await runImport(ws, { source: src, format: 'auto', datasetName: 'hf' });
    expect(report.format).toBe('hf-imagefolder');
    expect(report.imported).toBe(5);
    const rows = samples(ws, report.datasetId);
    expect(rows.filter((r) => r.split === 'train')).toHaveLength(4);
    expect(rows.filter((r) => r.split === 'test').map((r) => r.label)).toEqual(['dog']);
  });

  it('reads a top-level metadata.jsonl whose file_name starts with the split folder', async () => {
    const src = makeTempDir('vcs-src-');
    const cats = copyPets('cats', 2, join(src, 'train'));
    const dogs = copyPets('dogs', 1, join(src, 'validation'));
    mkdirSync(join(src, 'unused'), { recursive: true });
    const rel = (p: string) => p.slice(src.length + 1);
    const lines = [...cats.map((p) => ({ file_name: rel(p), labels: 'cat' })), { file_name: rel(dogs[0]), labels: 'dog' }];
    writeFileSync(join(src, 'metadata.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n'));
    const ws = workspace();
    const report = await runImport(ws, { source: src, format: 'hf-imagefolder', datasetName: 'hf2' });
    expect(report.imported).toBe(3);
    expect(report.classes).toEqual(['cat', 'dog']);
    const rows = samples(ws, report.datasetId);
    expect(rows.map((r) => `${r.label}/${r.split}`).sort()).toEqual(['cat/train', 'cat/train', 'dog/val']);
  });
});
