/** Class list: order, active-sample counts, add/rename conflicts, reorder validation. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addClass, listClasses, renameClass, reorderClasses } from '../../src/main/datasets/class-service';
import { applyEdit } from '../../src/main/datasets/sample-edits';
import { insertSyntheticSamples, makeTempWorkspace, type SyntheticDataset, type TempWorkspace, errorCode } from './helpers/temp-workspace';

let t: TempWorkspace;
let d: SyntheticDataset;
beforeEach(() => {
  t = makeTempWorkspace();
  d = insertSyntheticSamples(t.db, { count: 30, classes: ['cat', 'dog', 'bird'], unlabelledEvery: 10 });
});
afterEach(() => t.cleanup());

const code = errorCode;

describe('classes', () => {
  it('lists classes by position with active-sample counts', () => {
    // Samples 10, 20, 30 (index 9 → cat, 19 → dog, 29 → bird) are unlabelled.
    expect(listClasses(t.db, d.datasetId).map((c) => [c.name, c.position, c.count])).toEqual([
      ['cat', 0, 9],
      ['dog', 1, 9],
      ['bird', 2, 9],
    ]);
    applyEdit(t.db, d.datasetId, { kind: 'drop', sampleIds: [d.sampleIds[1], d.sampleIds[4]], reason: 'low quality' });
    expect(listClasses(t.db, d.datasetId).find((c) => c.name === 'dog')?.count).toBe(7);
    expect(code(() => listClasses(t.db, 999))).toBe('not-found');
  });

  it('adds a class at the end and refuses duplicates or empty names', () => {
    const other = addClass(t.db, d.datasetId, ' other ');
    expect(other).toMatchObject({ name: 'other', position: 3, count: 0 });
    expect(code(() => addClass(t.db, d.datasetId, 'other'))).toBe('conflict');
    expect(code(() => addClass(t.db, d.datasetId, ''))).toBe('invalid-args');
    expect(code(() => addClass(t.db, 999, 'x'))).toBe('not-found');
    expect(listClasses(t.db, d.datasetId)).toHaveLength(4);
  });

  it('renames a class (labels follow), refusing a duplicate or a class of another dataset', () => {
    const other = insertSyntheticSamples(t.db, { datasetName: 'other', count: 2, classes: ['x'] });
    const cat = d.classIds.get('cat') as number;
    renameClass(t.db, d.datasetId, cat, 'kitty');
    expect(listClasses(t.db, d.datasetId)[0].name).toBe('kitty');
    const label = t.db.prepare('SELECT c.name FROM samples s JOIN classes c ON c.id = s.class_id WHERE s.id = ?');
    expect(label.pluck().get(d.sampleIds[0])).toBe('kitty');
    expect(code(() => renameClass(t.db, d.datasetId, cat, 'dog'))).toBe('conflict');
    expect(code(() => renameClass(t.db, d.datasetId, other.classIds.get('x') as number, 'y'))).toBe('not-found');
    renameClass(t.db, d.datasetId, cat, 'kitty'); // same name: no-op, no conflict
  });

  it('reorders only with a full permutation of the dataset classes', () => {
    const [cat, dog, bird] = ['cat', 'dog', 'bird'].map((n) => d.classIds.get(n) as number);
    reorderClasses(t.db, d.datasetId, [bird, cat, dog]);
    expect(listClasses(t.db, d.datasetId).map((c) => c.name)).toEqual(['bird', 'cat', 'dog']);
    expect(code(() => reorderClasses(t.db, d.datasetId, [bird, cat]))).toBe('invalid-args');
    expect(code(() => reorderClasses(t.db, d.datasetId, [bird, cat, cat]))).toBe('invalid-args');
    expect(code(() => reorderClasses(t.db, d.datasetId, [bird, cat, dog, 12345]))).toBe('invalid-args');
    expect(listClasses(t.db, d.datasetId).map((c) => c.name)).toEqual(['bird', 'cat', 'dog']);
  });
});
