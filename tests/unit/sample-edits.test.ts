/** Sample edits: each kind with its audit rows, validation that writes nothing, undo/redo incl. redo-stack discard. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyEdit, listChanges, redo, undo, undoState } from '../../src/main/datasets/sample-edits';
import { getSample } from '../../src/main/datasets/sample-query';
import type { SampleEdit } from '../../src/shared/domain';
import { insertSyntheticSamples, makeTempWorkspace, type SyntheticDataset, type TempWorkspace, errorCode } from './helpers/temp-workspace';

let t: TempWorkspace;
let d: SyntheticDataset;
beforeEach(() => {
  t = makeTempWorkspace();
  d = insertSyntheticSamples(t.db, { count: 12, classes: ['cat', 'dog'] });
});
afterEach(() => t.cleanup());

const cls = (name: string): number => d.classIds.get(name) as number;
const entries = (changeId: number) =>
  t.db
    .prepare('SELECT sample_id AS sampleId, field, before, after FROM change_entries WHERE change_id = ? ORDER BY rowid')
    .all(changeId);
/** Everything an edit could touch, to prove a failed edit wrote nothing. */
const snapshot = () => ({
  samples: t.db.prepare('SELECT * FROM samples ORDER BY id').all(),
  changes: t.db.prepare('SELECT * FROM changes ORDER BY id').all(),
  entries: t.db.prepare('SELECT * FROM change_entries ORDER BY rowid').all(),
  datasets: t.db.prepare('SELECT * FROM datasets ORDER BY id').all(),
});
const code = errorCode;

describe('applyEdit', () => {
  it('relabels, recording one change and one entry per changed sample (no-ops skipped)', () => {
    const [a, b, c] = d.sampleIds; // a: cat, b: dog, c: cat
    const old = '2000-01-01T00:00:00.000Z';
    t.db.prepare('UPDATE samples SET updated_at = ?').run(old);
    t.db.prepare('UPDATE datasets SET updated_at = ?').run(old);
    const res = applyEdit(t.db, d.datasetId, { kind: 'relabel', sampleIds: [a, b, c], classId: cls('dog') });
    expect(res.change).toMatchObject({ action: 'relabel', summary: 'Relabel 2 samples → dog', actor: 'user', sampleCount: 2, state: 'applied' });
    expect(entries(res.change!.id)).toEqual([
      { sampleId: a, field: 'class_id', before: String(cls('cat')), after: String(cls('dog')) },
      { sampleId: c, field: 'class_id', before: String(cls('cat')), after: String(cls('dog')) },
    ]);
    expect([a, b, c].map((id) => getSample(t.db, id).label)).toEqual(['dog', 'dog', 'dog']);
    expect(getSample(t.db, a).updatedAt > old).toBe(true);
    expect(getSample(t.db, b).updatedAt).toBe(old); // no-op sample untouched
    expect(t.db.prepare('SELECT updated_at FROM datasets WHERE id = ?').pluck().get(d.datasetId)).not.toBe(old);
    expect(res.undo).toEqual({ canUndo: true, canRedo: false, undoSummary: 'Relabel 2 samples → dog', redoSummary: null });

    const unl = applyEdit(t.db, d.datasetId, { kind: 'relabel', sampleIds: [a], classId: null }, 'model:qwen');
    expect(unl.change).toMatchObject({ summary: 'Relabel 1 sample → unlabelled', actor: 'model:qwen' });
    expect(getSample(t.db, a)).toMatchObject({ classId: null, label: null });
  });

  it('drops with a reason, restores, notes and splits, each with its own entries', () => {
    const [a, b] = d.sampleIds;
    const drop = applyEdit(t.db, d.datasetId, { kind: 'drop', sampleIds: [a, b], reason: 'duplicate' });
    expect(drop.change?.summary).toBe('Drop 2 samples (duplicate)');
    expect(entries(drop.change!.id)).toEqual([
      { sampleId: a, field: 'status', before: 'active', after: 'dropped' },
      { sampleId: a, field: 'drop_reason', before: null, after: 'duplicate' },
      { sampleId: b, field: 'status', before: 'active', after: 'dropped' },
      { sampleId: b, field: 'drop_reason', before: null, after: 'duplicate' },
    ]);
    expect(getSample(t.db, a)).toMatchObject({ status: 'dropped', dropReason: 'duplicate' });

    const redrop = applyEdit(t.db, d.datasetId, { kind: 'drop', sampleIds: [a], reason: 'low quality' });
    expect(entries(redrop.change!.id)).toEqual([{ sampleId: a, field: 'drop_reason', before: 'duplicate', after: 'low quality' }]);

    const restore = applyEdit(t.db, d.datasetId, { kind: 'restore', sampleIds: [a, b, d.sampleIds[2]] });
    expect(restore.change).toMatchObject({ summary: 'Restore 2 samples', sampleCount: 2 });
    expect(getSample(t.db, a)).toMatchObject({ status: 'active', dropReason: null });

    const note = applyEdit(t.db, d.datasetId, { kind: 'note', sampleIds: [a], notes: 'two cats' });
    expect(entries(note.change!.id)).toEqual([{ sampleId: a, field: 'notes', before: '', after: 'two cats' }]);
    const split = applyEdit(t.db, d.datasetId, { kind: 'split', sampleIds: [a, b], split: 'val' });
    expect(split.change?.summary).toBe('Move 2 samples → val');
    expect(getSample(t.db, b).split).toBe('val');
    expect(listChanges(t.db, d.datasetId, 10).map((c) => c.action)).toEqual(['split', 'note', 'restore', 'drop', 'drop']);
  });

  it('returns change: null when nothing changes', () => {
    const before = snapshot();
    const res = applyEdit(t.db, d.datasetId, { kind: 'relabel', sampleIds: [d.sampleIds[0]], classId: cls('cat') });
    expect(res.change).toBeNull();
    expect(applyEdit(t.db, d.datasetId, { kind: 'restore', sampleIds: d.sampleIds }).change).toBeNull();
    expect(snapshot()).toEqual(before);
  });

  it('rejects bad edits with a clear error and writes nothing', () => {
    const other = insertSyntheticSamples(t.db, { datasetName: 'other', count: 3, classes: ['x'] });
    const before = snapshot();
    const bad: [SampleEdit, string][] = [
      [{ kind: 'relabel', sampleIds: [d.sampleIds[0], other.sampleIds[0]], classId: cls('dog') }, 'invalid-args'],
      [{ kind: 'relabel', sampleIds: [d.sampleIds[0], 999_999], classId: cls('dog') }, 'invalid-args'],
      [{ kind: 'relabel', sampleIds: [d.sampleIds[0]], classId: other.classIds.get('x') as number }, 'invalid-args'],
      [{ kind: 'drop', sampleIds: [d.sampleIds[0]], reason: '  ' }, 'invalid-args'],
      [{ kind: 'split', sampleIds: [d.sampleIds[0]], split: 'holdout' as never }, 'invalid-args'],
      [{ kind: 'note', sampleIds: [], notes: 'x' }, 'invalid-args'],
    ];
    for (const [edit, expected] of bad) expect(code(() => applyEdit(t.db, d.datasetId, edit)), JSON.stringify(edit)).toBe(expected);
    expect(code(() => applyEdit(t.db, 999, { kind: 'restore', sampleIds: [1] }))).toBe('not-found');
    expect(snapshot()).toEqual(before);
  });
});

describe('undo / redo', () => {
  it('undoes the latest applied change and redoes the earliest undone one', () => {
    const [a] = d.sampleIds;
    applyEdit(t.db, d.datasetId, { kind: 'relabel', sampleIds: [a], classId: cls('dog') });
    applyEdit(t.db, d.datasetId, { kind: 'drop', sampleIds: [a], reason: 'text/banner' });
    applyEdit(t.db, d.datasetId, { kind: 'note', sampleIds: [a], notes: 'hmm' });

    const u1 = undo(t.db, d.datasetId);
    expect(u1.change).toMatchObject({ action: 'note', state: 'undone' });
    expect(getSample(t.db, a)).toMatchObject({ notes: '', status: 'dropped', label: 'dog' });
    const u2 = undo(t.db, d.datasetId);
    expect(u2.change?.action).toBe('drop');
    expect(getSample(t.db, a)).toMatchObject({ status: 'active', dropReason: null, label: 'dog' });
    expect(u2.undo).toEqual({
      canUndo: true,
      canRedo: true,
      undoSummary: 'Relabel 1 sample → dog',
      redoSummary: 'Drop 1 sample (text/banner)',
    });

    const r1 = redo(t.db, d.datasetId);
    expect(r1.change).toMatchObject({ action: 'drop', state: 'applied' });
    expect(getSample(t.db, a)).toMatchObject({ status: 'dropped', dropReason: 'text/banner' });
    expect(redo(t.db, d.datasetId).change?.action).toBe('note');
    expect(getSample(t.db, a).notes).toBe('hmm');
    const none = redo(t.db, d.datasetId);
    expect(none.change).toBeNull();
    expect(none.undo.canRedo).toBe(false);

    for (let i = 0; i < 3; i++) undo(t.db, d.datasetId);
    expect(getSample(t.db, a)).toMatchObject({ label: 'cat', status: 'active', notes: '' });
    expect(undo(t.db, d.datasetId).change).toBeNull();
    expect(undoState(t.db, d.datasetId)).toMatchObject({ canUndo: false, canRedo: true });
  });

  it('a new change discards the redo stack', () => {
    const [a, b] = d.sampleIds;
    const first = applyEdit(t.db, d.datasetId, { kind: 'split', sampleIds: [a], split: 'test' }).change!;
    undo(t.db, d.datasetId);
    const second = applyEdit(t.db, d.datasetId, { kind: 'split', sampleIds: [b], split: 'train' });
    expect(second.undo.canRedo).toBe(false);
    expect(listChanges(t.db, d.datasetId, 10).find((c) => c.id === first.id)?.state).toBe('discarded');
    expect(redo(t.db, d.datasetId).change).toBeNull();
    expect(getSample(t.db, a).split).toBeNull();
    undo(t.db, d.datasetId);
    expect(getSample(t.db, b).split).toBeNull();
    expect(undo(t.db, d.datasetId).change).toBeNull(); // the discarded change is not undoable either
  });

  it('undoes and redoes a bulk edit over thousands of samples as one unit', () => {
    const big = insertSyntheticSamples(t.db, { datasetName: 'big', count: 5000, classes: ['cat', 'dog'] });
    const dog = big.classIds.get('dog') as number;
    const labels = () => t.db.prepare('SELECT class_id FROM samples WHERE dataset_id = ? ORDER BY id').pluck().all(big.datasetId);
    const original = labels();
    const res = applyEdit(t.db, big.datasetId, { kind: 'relabel', sampleIds: big.sampleIds, classId: dog });
    expect(res.change?.sampleCount).toBe(2500);
    expect(new Set(labels())).toEqual(new Set([dog]));
    undo(t.db, big.datasetId);
    expect(labels()).toEqual(original);
    redo(t.db, big.datasetId);
    expect(new Set(labels())).toEqual(new Set([dog]));
    // The other dataset's history is separate.
    expect(undoState(t.db, d.datasetId).canUndo).toBe(false);
  });
});
