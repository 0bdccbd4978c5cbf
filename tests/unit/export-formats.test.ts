/** Exports of a real imported version in every format, read back from disk; destination rules and all-or-nothing writes. */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SYSTEM_PROMPT, expandLabels, renderPrompt } from '../../src/shared/prompt-template';
import { runExport } from '../../src/main/exports/export-runner';
import { hashFile } from '../../src/main/images/file-hash';
import { runImport } from '../../src/main/imports/import-runner';
import { imagePath, openWorkspace, type Workspace } from '../../src/main/workspace/workspace';
import { copyPets } from '../fixtures/real-photos';
import { cleanupTempDirs, makeTempDir } from '../fixtures/temp-dirs';

let ws: Workspace;
let versionId: number;
let unsplitVersionId: number;

/** Snapshots the dataset's active samples into a sealed version with plain SQL. */
function snapshot(db: Workspace['db'], datasetId: number, name: string): number {
  const classes = (db.prepare('SELECT name FROM classes WHERE dataset_id = ? ORDER BY position').all(datasetId) as { name: string }[]).map((c) => c.name);
  const n = (db.prepare('SELECT COUNT(*) AS n FROM samples WHERE dataset_id = ?').get(datasetId) as { n: number }).n;
  const id = Number(
    db.prepare('INSERT INTO dataset_versions (dataset_id, name, classes_json, sample_count) VALUES (?, ?, ?, ?)').run(datasetId, name, JSON.stringify(classes), n)
      .lastInsertRowid,
  );
  db.prepare(
    `INSERT INTO version_samples (version_id, sample_id, image_hash, original_path, label, split)
     SELECT ?, s.id, s.image_hash, s.original_path, c.name, s.split FROM samples s JOIN classes c ON c.id = s.class_id WHERE s.dataset_id = ?`,
  ).run(id, datasetId);
  db.prepare('INSERT INTO version_seals (version_id, sealed) VALUES (?, 1)').run(id);
  return id;
}

beforeEach(async () => {
  const src = makeTempDir('vcs-src-');
  copyPets('cats', 2, join(src, 'train', 'cat'));
  copyPets('dogs', 2, join(src, 'train', 'dog'));
  copyPets('cats', 1, join(src, 'test', 'cat'), 2);
  copyPets('dogs', 1, join(src, 'validation', 'dog'), 2);
  ws = openWorkspace(makeTempDir('vcs-ws-'));
  const report = await runImport(ws, { source: src, format: 'imagefolder', datasetName: 'pets' });
  versionId = snapshot(ws.db, report.datasetId, 'v1');
  const flat = makeTempDir('vcs-src-');
  copyPets('cats', 1, join(flat, 'cat'), 5);
  copyPets('dogs', 1, join(flat, 'dog'), 5);
  const r2 = await runImport(ws, { source: flat, format: 'imagefolder', datasetName: 'flat' });
  unsplitVersionId = snapshot(ws.db, r2.datasetId, 'flat-v1');
});
afterEach(() => {
  ws.close();
  cleanupTempDirs();
});

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

describe('prompt template', () => {
  it('expands {{labels}} to one "- label" line per class', () => {
    expect(expandLabels(['cat', 'dog'])).toBe('- cat\n- dog');
    expect(renderPrompt('Pick:\n{{labels}}\nand {{ labels }}', ['a'])).toBe('Pick:\n- a\nand - a');
  });
});

describe('runExport', () => {
  it('imagefolder: <split>/<label>/<hash-prefixed basename>, bytes identical to the store', async () => {
    const dest = join(makeTempDir('vcs-out-'), 'folder');
    const progress: number[] = [];
    const result = await runExport(ws, { versionId, format: 'imagefolder', destination: dest }, (v) => progress.push(v));
    expect(result.sampleCount).toBe(6);
    expect(progress.at(-1)).toBe(1);
    const files = listFiles(dest).filter((f) => f !== 'label-folders.json');
    expect(result.labelFolders).toEqual({ cat: 'cat', dog: 'dog' });
    expect(files.map((f) => f.split('/').slice(0, 2).join('/')).sort()).toEqual([
      'test/cat', 'train/cat', 'train/cat', 'train/dog', 'train/dog', 'val/dog',
    ]);
    for (const f of files) {
      const bytes = join(dest, f);
      const hash = await hashFile(bytes);
      expect(f.split('/')[2].startsWith(`${hash.slice(0, 8)}-`)).toBe(true);
      expect(readFileSync(imagePath(ws, hash, 'jpg')).equals(readFileSync(bytes))).toBe(true);
    }
    expect(readdirSync(dirname(dest))).toEqual(['folder']);
  });

  it('csv: images/ + labels.csv with relative paths, labels and splits', async () => {
    const dest = join(makeTempDir('vcs-out-'), 'csv');
    const result = await runExport(ws, { versionId, format: 'csv', destination: dest });
    expect(result.files).toEqual(['labels.csv']);
    const rows = parse(readFileSync(join(dest, 'labels.csv')), { columns: true }) as { path: string; label: string; split: string }[];
    expect(rows).toHaveLength(6);
    expect(rows.map((r) => `${r.split}:${r.label}`).sort()).toEqual(['test:cat', 'train:cat', 'train:cat', 'train:dog', 'train:dog', 'val:dog']);
    for (const r of rows) {
      expect(r.path.startsWith('images/')).toBe(true);
      expect(existsSync(join(dest, r.path))).toBe(true);
    }
  });

  it('jsonl-chat: one file per split, each line the TRL chat format with the label as the answer', async () => {
    const dest = join(makeTempDir('vcs-out-'), 'chat');
    const result = await runExport(ws, { versionId, format: 'jsonl-chat', destination: dest, userPrompt: 'Classify.\n{{labels}}' });
    expect(result.files.sort()).toEqual(['test.jsonl', 'train.jsonl', 'val.jsonl']);
    const train = readFileSync(join(dest, 'train.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(train).toHaveLength(4);
    for (const line of train) {
      expect(existsSync(join(dest, line.image))).toBe(true);
      expect(line.messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user', 'assistant']);
      expect(line.messages[0].content).toEqual([{ type: 'text', text: DEFAULT_SYSTEM_PROMPT }]);
      expect(line.messages[1].content).toEqual([{ type: 'image' }, { type: 'text', text: 'Classify.\n- cat\n- dog' }]);
      expect(['cat', 'dog']).toContain(line.messages[2].content[0].text);
    }
    const hashes = await Promise.all(train.map((l: { image: string }) => hashFile(join(dest, l.image))));
    const labels = ws.db.prepare('SELECT image_hash AS h, label FROM version_samples WHERE version_id = ?').all(versionId) as { h: string; label: string }[];
    const byHash = new Map(labels.map((r) => [r.h, r.label]));
    expect(train.map((l: { messages: { content: { text: string }[] }[] }) => l.messages[2].content[0].text)).toEqual(hashes.map((h) => byHash.get(h)));
  });

  it('jsonl-chat of an unsplit version writes all.jsonl with the default user prompt', async () => {
    const dest = join(makeTempDir('vcs-out-'), 'chat');
    const result = await runExport(ws, { versionId: unsplitVersionId, format: 'jsonl-chat', destination: dest });
    expect(result.files).toEqual(['all.jsonl']);
    const lines = readFileSync(join(dest, 'all.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.messages[2].content[0].text).sort()).toEqual(['cat', 'dog']);
    expect(lines[0].messages[1].content[1].text).toContain('\n\n- cat\n- dog\n\nAnswer with a single label');
  });

  it('refuses a non-empty destination and accepts an empty one', async () => {
    const out = makeTempDir('vcs-out-');
    writeFileSync(join(out, 'keep.txt'), 'user data');
    await expect(runExport(ws, { versionId, format: 'csv', destination: out })).rejects.toMatchObject({ code: 'conflict' });
    expect(readdirSync(out)).toEqual(['keep.txt']);
    const empty = join(out, 'empty');
    mkdirSync(empty);
    await runExport(ws, { versionId, format: 'csv', destination: empty });
    expect(readdirSync(empty).sort()).toEqual(['images', 'labels.csv']);
  });

  it('a failed export (image missing from the store) leaves nothing behind', async () => {
    const hash = (ws.db.prepare('SELECT image_hash AS h FROM version_samples WHERE version_id = ? LIMIT 1').get(versionId) as { h: string }).h;
    rmSync(imagePath(ws, hash, 'jpg'));
    const out = makeTempDir('vcs-out-');
    await expect(runExport(ws, { versionId, format: 'imagefolder', destination: join(out, 'x') })).rejects.toThrow(/missing from the workspace/);
    expect(readdirSync(out)).toEqual([]);
  });

  it('a cancelled export leaves nothing behind', async () => {
    const out = makeTempDir('vcs-out-');
    const controller = new AbortController();
    controller.abort();
    await expect(runExport(ws, { versionId, format: 'csv', destination: join(out, 'x') }, () => {}, controller.signal)).rejects.toThrow(/cancelled/);
    expect(readdirSync(out)).toEqual([]);
  });
});
