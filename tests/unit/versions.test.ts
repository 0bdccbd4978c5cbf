/** Versions: frozen contents, refusal of empty/duplicate snapshots, SQL-level immutability, and diffs. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addClass, renameClass } from '../../src/main/datasets/class-service';
import { applyEdit } from '../../src/main/datasets/sample-edits';
import { createVersion, getVersion, listVersions, versionSamples } from '../../src/main/versions/snapshot';
import { diffVersions } from '../../src/main/versions/version-diff';
import { insertSyntheticSamples, makeTempWorkspace, type SyntheticDataset, type TempWorkspace, errorCode } from './helpers/temp-workspace';

let t: TempWorkspace;
let d: SyntheticDataset;
beforeEach(() => {
  t = makeTempWorkspace();
  d = insertSyntheticSamples(t.db, { count: 20, classes: ['cat', 'dog'], unlabelledEvery: 10, droppedEvery: 9 });
});
afterEach(() => t.cleanup());

const code = errorCode;
const cls = (name: string): number => d.classIds.get(name) as number;

describe('createVersion', () => {
  it('freezes active labelled samples and the ordered class list', () => {
    addClass(t.db, d.datasetId, 'other');
    applyEdit(t.db, d.datasetId, { kind: 'split', sampleIds: d.sampleIds.slice(0, 4), split: 'test' });
    const v = createVersion(t.db, d.datasetId, ' v1 ', 'first cut');
    // 20 samples − unlabelled (#10, #20) − dropped (#9, #18) = 16.
    expect(v).toMatchObject({ name: 'v1', note: 'first cut', classes: ['cat', 'dog', 'other'], sampleCount: 16 });
    expect(v.splitCounts).toEqual({ train: 0, val: 0, test: 4, none: 12 });
    const rows = versionSamples(t.db, v.id);
    expect(rows).toHaveLength(16);
    expect(rows[0]).toEqual({
      sampleId: d.sampleIds[0],
      imageHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      originalPath: 'cat/img_000001.jpg',
      label: 'cat',
      split: 'test',
    });
    // Later edits do not reach the frozen rows.
    applyEdit(t.db, d.datasetId, { kind: 'relabel', sampleIds: [d.sampleIds[0]], classId: cls('dog') });
    renameClass(t.db, d.datasetId, cls('cat'), 'kitty');
    expect(versionSamples(t.db, v.id)[0].label).toBe('cat');
    expect(getVersion(t.db, v.id)).toEqual(v);
    expect(listVersions(t.db, d.datasetId).map((x) => x.name)).toEqual(['v1']);
  });

  it('refuses a duplicate name, an empty snapshot and unknown datasets, writing nothing', () => {
    createVersion(t.db, d.datasetId, 'v1', '');
    expect(code(() => createVersion(t.db, d.datasetId, 'v1', ''))).toBe('conflict');
    const empty = insertSyntheticSamples(t.db, { datasetName: 'empty', count: 4, unlabelledEvery: 1 });
    expect(code(() => createVersion(t.db, empty.datasetId, 'v1', ''))).toBe('invalid-args');
    expect(code(() => createVersion(t.db, 999, 'v1', ''))).toBe('not-found');
    expect(code(() => createVersion(t.db, d.datasetId, '  ', ''))).toBe('invalid-args');
    expect(t.db.prepare('SELECT COUNT(*) FROM dataset_versions').pluck().get()).toBe(1);
    expect(code(() => getVersion(t.db, 999))).toBe('not-found');
    expect(code(() => versionSamples(t.db, 999))).toBe('not-found');
  });
});

describe('immutability at the SQL level', () => {
  it('rejects UPDATE, late INSERT and DELETE of version rows and seal tampering', () => {
    const v = createVersion(t.db, d.datasetId, 'v1', '');
    const attempts = [
      `UPDATE dataset_versions SET name = 'x' WHERE id = ${v.id}`,
      `UPDATE version_samples SET label = 'dog' WHERE version_id = ${v.id}`,
      `INSERT INTO version_samples VALUES (${v.id}, 99999, 'h', 'p', 'cat', NULL)`,
      `DELETE FROM version_samples WHERE version_id = ${v.id}`,
      `DELETE FROM dataset_versions WHERE id = ${v.id}`,
      `UPDATE version_seals SET sealed = 0`,
      `DELETE FROM version_seals`,
      `INSERT OR REPLACE INTO version_seals VALUES (${v.id}, 0)`,
    ];
    for (const sql of attempts) expect(() => t.db.exec(sql), sql).toThrow(/immutable/);
    expect(versionSamples(t.db, v.id)).toHaveLength(16);
    expect(getVersion(t.db, v.id)).toEqual(v);
  });
});

describe('diffVersions', () => {
  it('lists added, removed, relabeled and resplit samples with original paths', () => {
    const [s1, s2, s3, s4] = d.sampleIds;
    const s10 = d.sampleIds[9]; // unlabelled in v1
    const v1 = createVersion(t.db, d.datasetId, 'v1', '');
    applyEdit(t.db, d.datasetId, { kind: 'drop', sampleIds: [s1], reason: 'duplicate' });
    applyEdit(t.db, d.datasetId, { kind: 'relabel', sampleIds: [s2, s10], classId: cls('cat') });
    applyEdit(t.db, d.datasetId, { kind: 'split', sampleIds: [s3, s2], split: 'val' });
    applyEdit(t.db, d.datasetId, { kind: 'note', sampleIds: [s4], notes: 'notes are not part of a version' });
    const v2 = createVersion(t.db, d.datasetId, 'v2', '');
    const diff = diffVersions(t.db, v1.id, v2.id);
    expect(diff.from).toEqual({ id: v1.id, name: 'v1' });
    expect(diff.to).toEqual({ id: v2.id, name: 'v2' });
    expect(diff.added).toEqual([{ sampleId: s10, originalPath: 'dog/img_000010.jpg', before: null, after: 'cat' }]);
    expect(diff.removed).toEqual([{ sampleId: s1, originalPath: 'cat/img_000001.jpg', before: 'cat', after: null }]);
    expect(diff.relabeled).toEqual([{ sampleId: s2, originalPath: 'dog/img_000002.jpg', before: 'dog', after: 'cat' }]);
    expect(diff.resplit).toEqual([
      { sampleId: s2, originalPath: 'dog/img_000002.jpg', before: null, after: 'val' },
      { sampleId: s3, originalPath: 'cat/img_000003.jpg', before: null, after: 'val' },
    ]);
    const back = diffVersions(t.db, v2.id, v1.id);
    expect(back.added.map((r) => r.sampleId)).toEqual([s1]);
    expect(back.removed.map((r) => r.sampleId)).toEqual([s10]);
    const same = diffVersions(t.db, v1.id, v1.id);
    expect([same.added, same.removed, same.relabeled, same.resplit]).toEqual([[], [], [], []]);
  });

  it('refuses versions of different datasets and unknown versions', () => {
    const other = insertSyntheticSamples(t.db, { datasetName: 'other', count: 3 });
    const a = createVersion(t.db, d.datasetId, 'v1', '');
    const b = createVersion(t.db, other.datasetId, 'v1', '');
    expect(code(() => diffVersions(t.db, a.id, b.id))).toBe('invalid-args');
    expect(code(() => diffVersions(t.db, a.id, 999))).toBe('not-found');
  });
});
