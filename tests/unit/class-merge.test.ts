/** Class merge and delete on a real SQLite workspace: one undoable change in the audit log, dropped samples included, undo/redo exact. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addClass, listClasses } from '../../src/main/datasets/class-service';
import { deleteClass, mergeClass } from '../../src/main/datasets/class-merge';
import { applyEdit, listChanges, redo, undo } from '../../src/main/datasets/sample-edits';
import { errorCode, insertSyntheticSamples, makeTempWorkspace, type SyntheticDataset, type TempWorkspace } from './helpers/temp-workspace';

let t: TempWorkspace;
let d: SyntheticDataset;
beforeEach(() => {
  t = makeTempWorkspace();
  d = insertSyntheticSamples(t.db, { count: 30, classes: ['cat', 'dog', 'kitten'], unlabelledEvery: 10 });
});
afterEach(() => t.cleanup());

const id = (name: string): number => d.classIds.get(name) as number;
/** Every sample's (class id, status) — the state undo must restore exactly. */
const snapshot = () => t.db.prepare('SELECT id, class_id, status, drop_reason FROM samples WHERE dataset_id = ? ORDER BY id').all(d.datasetId);
const classNames = () => listClasses(t.db, d.datasetId).map((c) => `${c.name}:${c.count}`);
const classRows = () => t.db.prepare('SELECT id, name, position FROM classes WHERE dataset_id = ? ORDER BY id').all(d.datasetId);

describe('merging and deleting classes', () => {
  it('merges a class into another as one change (dropped samples move too) and undoes/redoes it exactly', () => {
    const kittens = t.db.prepare('SELECT id FROM samples WHERE class_id = ? ORDER BY id').pluck().all(id('kitten')) as number[];
    applyEdit(t.db, d.datasetId, { kind: 'drop', sampleIds: [kittens[0]], reason: 'blurry' });
    const before = snapshot();
    const rowsBefore = classRows();
    expect(classNames()).toEqual(['cat:9', 'dog:9', 'kitten:8']);

    const result = mergeClass(t.db, d.datasetId, id('kitten'), id('cat'));
    expect(result.change).toMatchObject({ action: 'merge-class', sampleCount: 9, state: 'applied' });
    expect(result.change?.summary).toBe('Merge class "kitten" into "cat" (9 samples)');
    expect(result.undo).toMatchObject({ canUndo: true, undoSummary: result.change?.summary });
    expect(classNames()).toEqual(['cat:17', 'dog:9']);
    const dropped = t.db.prepare('SELECT class_id, status FROM samples WHERE id = ?').get(kittens[0]);
    expect(dropped).toEqual({ class_id: id('cat'), status: 'dropped' });
    expect(listChanges(t.db, d.datasetId)[0].id).toBe(result.change?.id);

    undo(t.db, d.datasetId);
    expect(snapshot()).toEqual(before);
    expect(classRows()).toEqual(rowsBefore);
    redo(t.db, d.datasetId);
    expect(classNames()).toEqual(['cat:17', 'dog:9']);
    undo(t.db, d.datasetId);
    expect(snapshot()).toEqual(before);
  });

  it('deletes a class with its samples made unlabelled, or moved to a target', () => {
    const before = snapshot();
    const r = deleteClass(t.db, d.datasetId, id('dog'), null);
    expect(r.change?.summary).toBe('Delete class "dog" (9 samples → unlabelled)');
    expect(classNames()).toEqual(['cat:9', 'kitten:9']);
    expect(t.db.prepare('SELECT COUNT(*) FROM samples WHERE dataset_id = ? AND class_id IS NULL').pluck().get(d.datasetId)).toBe(3 + 9);
    undo(t.db, d.datasetId);
    expect(snapshot()).toEqual(before);

    const moved = deleteClass(t.db, d.datasetId, id('kitten'), id('dog'));
    expect(moved.change?.summary).toBe('Delete class "kitten" (9 samples → "dog")');
    expect(classNames()).toEqual(['cat:9', 'dog:18']);
  });

  it('deletes an empty class as its own undoable change', () => {
    const other = addClass(t.db, d.datasetId, 'other');
    const r = deleteClass(t.db, d.datasetId, other.id, null);
    expect(r.change).toMatchObject({ action: 'delete-class', sampleCount: 0 });
    expect(classNames()).not.toContain('other:0');
    undo(t.db, d.datasetId);
    expect(classNames()).toContain('other:0');
  });

  it('undo gives a class a new id when its old id was taken since, and redo still works', () => {
    const other = addClass(t.db, d.datasetId, 'other');
    applyEdit(t.db, d.datasetId, { kind: 'relabel', sampleIds: [d.sampleIds[0]], classId: other.id });
    deleteClass(t.db, d.datasetId, other.id, id('cat'));
    const reused = addClass(t.db, d.datasetId, 'bird'); // SQLite hands the freed id out again
    expect(reused.id).toBe(other.id);
    undo(t.db, d.datasetId);
    const restored = listClasses(t.db, d.datasetId).find((c) => c.name === 'other');
    expect(restored?.id).not.toBe(other.id);
    expect(restored?.count).toBe(1);
    expect(t.db.prepare('SELECT class_id FROM samples WHERE id = ?').pluck().get(d.sampleIds[0])).toBe(restored?.id);
    redo(t.db, d.datasetId);
    expect(classNames()).toEqual(['cat:9', 'dog:9', 'kitten:9', 'bird:0']);
    expect(t.db.prepare('SELECT class_id FROM samples WHERE id = ?').pluck().get(d.sampleIds[0])).toBe(id('cat'));
  });

  it('refuses an undo that would duplicate a class name, a merge into itself, and foreign classes — nothing changes', () => {
    deleteClass(t.db, d.datasetId, id('kitten'), null);
    addClass(t.db, d.datasetId, 'kitten');
    const before = snapshot();
    expect(errorCode(() => undo(t.db, d.datasetId))).toBe('conflict');
    expect(snapshot()).toEqual(before);
    expect(errorCode(() => mergeClass(t.db, d.datasetId, id('cat'), id('cat')))).toBe('invalid-args');
    const foreign = insertSyntheticSamples(t.db, { datasetName: 'other', count: 2, classes: ['x'] });
    expect(errorCode(() => mergeClass(t.db, d.datasetId, id('cat'), foreign.classIds.get('x') as number))).toBe('invalid-args');
    expect(errorCode(() => deleteClass(t.db, d.datasetId, 99999, null))).toBe('invalid-args');
    expect(snapshot()).toEqual(before);
  });
});
