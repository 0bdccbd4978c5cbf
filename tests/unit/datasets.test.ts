/** Dataset CRUD: counts in summaries, name conflicts, rename, cascading delete. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createDataset,
  deleteDataset,
  getDataset,
  listDatasets,
  renameDataset,
} from '../../src/main/datasets/dataset-service';
import { applyEdit } from '../../src/main/datasets/sample-edits';
import { createVersion } from '../../src/main/versions/snapshot';
import { insertSyntheticSamples, makeTempWorkspace, type TempWorkspace, errorCode } from './helpers/temp-workspace';

let t: TempWorkspace;
beforeEach(() => {
  t = makeTempWorkspace();
});
afterEach(() => t.cleanup());

const code = errorCode;
const count = (sql: string, ...params: unknown[]): number =>
  t.db.prepare(sql).pluck().get(...params) as number;

describe('datasets', () => {
  it('creates, lists (with counts) and gets datasets', () => {
    const empty = createDataset(t.db, '  pets  ');
    expect(empty).toMatchObject({ name: 'pets', sampleCount: 0, activeCount: 0, droppedCount: 0, versionCount: 0 });
    const d = insertSyntheticSamples(t.db, { datasetName: 'animals', count: 20, droppedEvery: 5 });
    createVersion(t.db, d.datasetId, 'v1', '');
    const list = listDatasets(t.db);
    expect(list.map((x) => x.name)).toEqual(['animals', 'pets']);
    expect(getDataset(t.db, d.datasetId)).toMatchObject({
      sampleCount: 20,
      activeCount: 16,
      droppedCount: 4,
      versionCount: 1,
    });
    expect(code(() => getDataset(t.db, 999))).toBe('not-found');
  });

  it('rejects empty and duplicate names (case-insensitive) without writing', () => {
    createDataset(t.db, 'Pets');
    expect(code(() => createDataset(t.db, 'pets'))).toBe('conflict');
    expect(code(() => createDataset(t.db, '   '))).toBe('invalid-args');
    expect(listDatasets(t.db)).toHaveLength(1);
  });

  it('renames, refusing a name taken by another dataset', () => {
    const a = createDataset(t.db, 'a');
    createDataset(t.db, 'b');
    expect(renameDataset(t.db, a.id, 'A').name).toBe('A'); // own name, other case: fine
    expect(code(() => renameDataset(t.db, a.id, 'B'))).toBe('conflict');
    expect(code(() => renameDataset(t.db, 999, 'c'))).toBe('not-found');
    expect(renameDataset(t.db, a.id, 'c').name).toBe('c');
    expect(getDataset(t.db, a.id).name).toBe('c');
  });

  it('deletes a dataset with its samples, classes, versions and history, leaving others alone', () => {
    const d = insertSyntheticSamples(t.db, { datasetName: 'gone', count: 30 });
    const keep = insertSyntheticSamples(t.db, { datasetName: 'kept', count: 10 });
    applyEdit(t.db, d.datasetId, { kind: 'drop', sampleIds: d.sampleIds.slice(0, 3), reason: 'duplicate' });
    createVersion(t.db, d.datasetId, 'v1', '');
    createVersion(t.db, keep.datasetId, 'v1', '');
    deleteDataset(t.db, d.datasetId);
    expect(code(() => getDataset(t.db, d.datasetId))).toBe('not-found');
    expect(count('SELECT COUNT(*) FROM samples WHERE dataset_id = ?', d.datasetId)).toBe(0);
    expect(count('SELECT COUNT(*) FROM classes WHERE dataset_id = ?', d.datasetId)).toBe(0);
    expect(count('SELECT COUNT(*) FROM changes WHERE dataset_id = ?', d.datasetId)).toBe(0);
    expect(count('SELECT COUNT(*) FROM change_entries')).toBe(0);
    expect(count('SELECT COUNT(*) FROM dataset_versions')).toBe(1);
    expect(count('SELECT COUNT(*) FROM version_samples')).toBe(10);
    expect(count('SELECT COUNT(*) FROM version_seals')).toBe(1);
    expect(getDataset(t.db, keep.datasetId).sampleCount).toBe(10);
    expect(code(() => deleteDataset(t.db, d.datasetId))).toBe('not-found');
  });
});
