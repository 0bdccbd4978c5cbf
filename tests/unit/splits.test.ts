/** Stratified splits: ratio fidelity per class, seed reproducibility, input-order independence, one undoable change. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allocateCounts, assignSplits, computeStratifiedSplit } from '../../src/main/splits/stratified-split';
import { mulberry32, shuffleInPlace } from '../../src/main/splits/seeded-rng';
import { applyEdit, listChanges, redo, undo } from '../../src/main/datasets/sample-edits';
import { StudioError } from '../../src/main/errors';
import { SPLITS, type Split } from '../../src/shared/domain';
import { insertSyntheticSamples, makeTempWorkspace, type SyntheticDataset, type TempWorkspace } from './helpers/temp-workspace';

const items = (counts: Record<string, number>) => {
  const out: { id: number; label: string }[] = [];
  let id = 1;
  for (const [label, n] of Object.entries(counts)) for (let i = 0; i < n; i++) out.push({ id: id++ * 3, label });
  return out;
};
const tally = (list: { id: number; label: string }[], map: Map<number, Split>) => {
  const res: Record<string, Record<Split, number>> = {};
  for (const it of list) {
    res[it.label] ??= { train: 0, val: 0, test: 0 };
    res[it.label][map.get(it.id) as Split]++;
  }
  return res;
};

describe('computeStratifiedSplit', () => {
  const list = items({ cat: 101, dog: 57, bird: 13, fish: 1, ant: 2 });

  it('keeps every class within ±1 of the ratios and assigns every item', () => {
    for (const ratios of [
      { train: 0.8, val: 0.1, test: 0.1 },
      { train: 0.9, val: 0, test: 0.1 },
      { train: 0.7, val: 0.2, test: 0.1 },
      { train: 1 / 3, val: 1 / 3, test: 1 / 3 },
    ]) {
      const map = computeStratifiedSplit(list, ratios, 7);
      expect(map.size).toBe(list.length);
      const counts = tally(list, map);
      for (const [label, c] of Object.entries(counts)) {
        const n = list.filter((x) => x.label === label).length;
        expect(c.train + c.val + c.test).toBe(n);
        for (const s of SPLITS) expect(Math.abs(c[s] - n * ratios[s]), `${label} ${s}`).toBeLessThan(1);
        if (ratios.val === 0) expect(c.val).toBe(0);
      }
    }
    expect(tally(list, computeStratifiedSplit(list, { train: 0.8, val: 0.1, test: 0.1 }, 1)).cat).toEqual({ train: 81, val: 10, test: 10 });
  });

  it('is reproducible for a seed, independent of input order, and differs with another seed', () => {
    const ratios = { train: 0.8, val: 0.1, test: 0.1 };
    const a = computeStratifiedSplit(list, ratios, 42);
    const shuffled = shuffleInPlace([...list], mulberry32(99));
    const b = computeStratifiedSplit(shuffled, ratios, 42);
    expect([...b.entries()].sort((x, y) => x[0] - y[0])).toEqual([...a.entries()].sort((x, y) => x[0] - y[0]));
    const c = computeStratifiedSplit(list, ratios, 43);
    const differing = list.filter((x) => a.get(x.id) !== c.get(x.id)).length;
    expect(differing).toBeGreaterThan(10);
    expect(tally(list, c)).toEqual(tally(list, a)); // same counts, different members
  });

  it('rejects ratios that do not sum to 1 or are out of range', () => {
    for (const ratios of [
      { train: 0.8, val: 0.1, test: 0.2 },
      { train: 0.5, val: 0.1, test: 0.1 },
      { train: 1.2, val: -0.1, test: -0.1 },
      { train: Number.NaN, val: 0.5, test: 0.5 },
    ]) {
      expect(() => computeStratifiedSplit(list, ratios, 1)).toThrow(StudioError);
    }
    expect(computeStratifiedSplit(list, { train: 0.8, val: 0.1, test: 0.1 + 5e-7 }, 1).size).toBe(list.length);
  });

  it('allocates counts by largest remainder', () => {
    expect(allocateCounts(10, { train: 0.8, val: 0.1, test: 0.1 })).toEqual({ train: 8, val: 1, test: 1 });
    // 5.6 / 0.7 / 0.7: the two leftover items go to the larger fractions (val, test), not train.
    expect(allocateCounts(7, { train: 0.8, val: 0.1, test: 0.1 })).toEqual({ train: 5, val: 1, test: 1 });
    expect(allocateCounts(3, { train: 0.9, val: 0, test: 0.1 })).toEqual({ train: 3, val: 0, test: 0 });
    expect(allocateCounts(0, { train: 0.8, val: 0.1, test: 0.1 })).toEqual({ train: 0, val: 0, test: 0 });
  });
});

describe('assignSplits', () => {
  let t: TempWorkspace;
  let d: SyntheticDataset;
  beforeEach(() => {
    t = makeTempWorkspace();
    d = insertSyntheticSamples(t.db, { count: 300, classes: ['cat', 'dog', 'dog', 'bird'], unlabelledEvery: 25, droppedEvery: 30 });
  });
  afterEach(() => t.cleanup());

  const splits = () =>
    t.db.prepare('SELECT id, split FROM samples WHERE dataset_id = ? ORDER BY id').all(d.datasetId) as {
      id: number;
      split: Split | null;
    }[];

  it('splits active labelled samples only, stratified, as one undoable change', () => {
    const res = assignSplits(t.db, { datasetId: d.datasetId, seed: 5, ratios: { train: 0.8, val: 0.1, test: 0.1 } });
    const rows = t.db
      .prepare('SELECT s.id, s.split, s.status, c.name AS label FROM samples s LEFT JOIN classes c ON c.id = s.class_id WHERE s.dataset_id = ?')
      .all(d.datasetId) as { id: number; split: Split | null; status: string; label: string | null }[];
    const eligible = rows.filter((r) => r.status === 'active' && r.label !== null);
    expect(eligible.every((r) => r.split !== null)).toBe(true);
    expect(rows.filter((r) => r.status !== 'active' || r.label === null).every((r) => r.split === null)).toBe(true);
    expect(Object.keys(res.counts).sort()).toEqual(['bird', 'cat', 'dog']);
    for (const [label, c] of Object.entries(res.counts)) {
      const n = eligible.filter((r) => r.label === label).length;
      expect(c.train + c.val + c.test).toBe(n);
      expect(Math.abs(c.train - 0.8 * n)).toBeLessThan(1);
      expect(Math.abs(c.val - 0.1 * n)).toBeLessThan(1);
      expect(Math.abs(c.test - 0.1 * n)).toBeLessThan(1);
      expect(eligible.filter((r) => r.label === label && r.split === 'val').length).toBe(c.val);
    }
    expect(res.change).toMatchObject({ action: 'split', sampleCount: eligible.length, state: 'applied' });
    expect(listChanges(t.db, d.datasetId, 5)).toHaveLength(1);

    const after = splits();
    undo(t.db, d.datasetId);
    expect(splits().every((r) => r.split === null)).toBe(true);
    redo(t.db, d.datasetId);
    expect(splits()).toEqual(after);
  });

  it('reproduces with the same seed (no-op change) and moves samples with another seed', () => {
    const ratios = { train: 0.8, val: 0.1, test: 0.1 };
    assignSplits(t.db, { datasetId: d.datasetId, seed: 11, ratios });
    const first = splits();
    const again = assignSplits(t.db, { datasetId: d.datasetId, seed: 11, ratios });
    expect(again.change).toBeNull();
    expect(splits()).toEqual(first);
    const other = assignSplits(t.db, { datasetId: d.datasetId, seed: 12, ratios });
    expect(other.change?.sampleCount).toBeGreaterThan(10);
    expect(splits()).not.toEqual(first);
  });

  it('a manual split edit after assignment is undone independently', () => {
    assignSplits(t.db, { datasetId: d.datasetId, seed: 3, ratios: { train: 0.9, val: 0, test: 0.1 } });
    expect(splits().some((r) => r.split === 'val')).toBe(false);
    const id = d.sampleIds[0];
    const before = splits().find((r) => r.id === id)?.split;
    applyEdit(t.db, d.datasetId, { kind: 'split', sampleIds: [id], split: 'val' });
    undo(t.db, d.datasetId);
    expect(splits().find((r) => r.id === id)?.split).toBe(before);
  });

  it('refuses bad ratios, unknown datasets and datasets with nothing to split', () => {
    const empty = insertSyntheticSamples(t.db, { datasetName: 'unlabelled', count: 3, unlabelledEvery: 1 });
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        return (err as StudioError).code;
      }
      return 'no error';
    };
    expect(code(() => assignSplits(t.db, { datasetId: d.datasetId, seed: 1, ratios: { train: 0.5, val: 0.5, test: 0.5 } }))).toBe('invalid-args');
    expect(code(() => assignSplits(t.db, { datasetId: 999, seed: 1, ratios: { train: 1, val: 0, test: 0 } }))).toBe('not-found');
    expect(code(() => assignSplits(t.db, { datasetId: empty.datasetId, seed: 1, ratios: { train: 1, val: 0, test: 0 } }))).toBe('invalid-args');
    expect(splits().every((r) => r.split === null)).toBe(true);
  });
});
