/** Sample paging: every filter, every sort key (with id tie-breaker), paging, ids in view, single sample. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSample, idsInView, pageSamples } from '../../src/main/datasets/sample-query';
import { StudioError } from '../../src/main/errors';
import { createRun, saveSuspects } from '../../src/main/finders/finder-store';
import type { Sample, SampleFilter, SortKey } from '../../src/shared/domain';
import { insertSyntheticSamples, makeTempWorkspace, type SyntheticDataset, type TempWorkspace } from './helpers/temp-workspace';

let t: TempWorkspace;
let d: SyntheticDataset;
let all: Sample[];

beforeAll(() => {
  t = makeTempWorkspace();
  insertSyntheticSamples(t.db, { datasetName: 'noise', count: 15 }); // another dataset that must never leak in
  d = insertSyntheticSamples(t.db, { count: 60, classes: ['cat', 'dog', 'bird'], unlabelledEvery: 10, droppedEvery: 7 });
  t.db.exec(`UPDATE samples SET split = CASE id % 4 WHEN 0 THEN 'train' WHEN 1 THEN 'val' WHEN 2 THEN 'test' END`);
  t.db.prepare("UPDATE samples SET notes = 'Blurry Edge' WHERE id = ?").run(d.sampleIds[3]);
  t.db.prepare("UPDATE samples SET original_path = 'odd/100%_sure.jpg' WHERE id = ?").run(d.sampleIds[5]);
  // updated_at values with ties, so the id tie-breaker matters.
  t.db.exec(`UPDATE samples SET updated_at = '2024-01-0' || (id % 3 + 1) || 'T00:00:00.000Z'`);
  all = pageSamples(t.db, { filter: { datasetId: d.datasetId, status: 'all' }, offset: 0, limit: 5000 }).rows;
});
afterAll(() => t.cleanup());

const ids = (rows: Sample[]): number[] => rows.map((r) => r.id);
const page = (filter: Omit<SampleFilter, 'datasetId'>, sort?: { key: SortKey; desc: boolean }) =>
  pageSamples(t.db, { filter: { datasetId: d.datasetId, ...filter }, sort, offset: 0, limit: 5000 });

describe('pageSamples', () => {
  it('returns full rows joined with images and classes, active only by default, ordered by id', () => {
    expect(all).toHaveLength(60);
    const first = all[0];
    expect(first).toMatchObject({ datasetId: d.datasetId, label: 'cat', status: 'active', format: 'jpeg', notes: '' });
    expect(first.width).toBeGreaterThan(0);
    expect(first.bytes).toBeGreaterThan(0);
    expect(first.imageHash).toHaveLength(64);
    const active = page({});
    expect(active.total).toBe(60 - Math.floor(60 / 7));
    expect(ids(active.rows)).toEqual(ids(all.filter((s) => s.status === 'active')));
    expect(page({ status: 'dropped' }).rows.every((s) => s.status === 'dropped' && s.dropReason === 'duplicate')).toBe(true);
    expect(page({ status: 'dropped' }).total).toBe(8);
  });

  it('filters by class, unlabelled (-1) and both', () => {
    const cat = d.classIds.get('cat') as number;
    const dog = d.classIds.get('dog') as number;
    const act = all.filter((s) => s.status === 'active');
    expect(ids(page({ classIds: [cat] }).rows)).toEqual(ids(act.filter((s) => s.classId === cat)));
    expect(ids(page({ classIds: [-1] }).rows)).toEqual(ids(act.filter((s) => s.classId === null)));
    expect(ids(page({ classIds: [cat, -1] }).rows)).toEqual(ids(act.filter((s) => s.classId === cat || s.classId === null)));
    expect(ids(page({ classIds: [cat, dog] }).rows)).toEqual(ids(act.filter((s) => s.classId === cat || s.classId === dog)));
    expect(page({ classIds: [-1] }).total).toBeGreaterThan(0);
    expect(page({ classIds: [] }).total).toBe(act.length); // empty list = no class filter
  });

  it('filters by split including none', () => {
    const act = all.filter((s) => s.status === 'active');
    expect(ids(page({ splits: ['train'] }).rows)).toEqual(ids(act.filter((s) => s.split === 'train')));
    expect(ids(page({ splits: ['none'] }).rows)).toEqual(ids(act.filter((s) => s.split === null)));
    expect(ids(page({ splits: ['val', 'none'], status: 'all' }).rows)).toEqual(
      ids(all.filter((s) => s.split === 'val' || s.split === null)),
    );
  });

  it('text matches path, label, notes and drop reason case-insensitively, wildcards literally', () => {
    expect(ids(page({ text: 'blurry edge' }).rows)).toEqual([d.sampleIds[3]]);
    expect(ids(page({ text: '100%' }).rows)).toEqual([d.sampleIds[5]]);
    expect(page({ text: '%' }).total).toBe(1);
    expect(page({ text: '_' }).total).toBe(page({}).total); // every path has img_
    expect(page({ text: 'IMG_000012' }).rows.map((s) => s.originalPath)).toEqual(['bird/img_000012.jpg']);
    expect(page({ text: 'DUPLICATE', status: 'all' }).total).toBe(8);
    // Label match: 'zebr' appears in no path, notes or reason, only in the renamed class name.
    t.db.prepare("UPDATE classes SET name = 'Zebra' WHERE id = ?").run(d.classIds.get('bird'));
    const zebras = page({ text: 'zebr' }).rows;
    t.db.prepare("UPDATE classes SET name = 'bird' WHERE id = ?").run(d.classIds.get('bird'));
    expect(zebras.length).toBeGreaterThan(0);
    expect(zebras.every((s) => s.classId === d.classIds.get('bird'))).toBe(true);
  });

  it('sorts by every key in both directions with id as tie-breaker', () => {
    const value = (s: Sample, key: SortKey): string | number | null => {
      const map: Record<SortKey, string | number | null> = {
        id: s.id, label: s.label, split: s.split, status: s.status, path: s.originalPath,
        width: s.width, height: s.height, bytes: s.bytes, updated: s.updatedAt,
      };
      return map[key];
    };
    const cmp = (a: string | number | null, b: string | number | null): number => {
      if (a === b) return 0;
      if (a === null) return -1; // SQLite sorts NULL first ascending
      if (b === null) return 1;
      return a < b ? -1 : 1;
    };
    const keys: SortKey[] = ['id', 'label', 'split', 'status', 'path', 'width', 'height', 'bytes', 'updated'];
    for (const key of keys) {
      for (const desc of [false, true]) {
        const expected = [...all].sort((a, b) => {
          const c = cmp(value(a, key), value(b, key)) || a.id - b.id;
          return desc ? -c : c;
        });
        expect(ids(page({ status: 'all' }, { key, desc }).rows), `${key} ${desc}`).toEqual(ids(expected));
      }
    }
  });

  it('pages with offset/limit over a stable order and reports the total', () => {
    const sort = { key: 'width' as const, desc: true };
    const full = ids(page({ status: 'all' }, sort).rows);
    const pieces: number[] = [];
    for (let offset = 0; offset < 60; offset += 7) {
      const p = pageSamples(t.db, { filter: { datasetId: d.datasetId, status: 'all' }, sort, offset, limit: 7 });
      expect(p.total).toBe(60);
      expect(p.offset).toBe(offset);
      pieces.push(...ids(p.rows));
    }
    expect(pieces).toEqual(full);
    expect(pageSamples(t.db, { filter: { datasetId: d.datasetId }, offset: 1000, limit: 10 }).rows).toEqual([]);
    expect(() => pageSamples(t.db, { filter: { datasetId: d.datasetId }, offset: 0, limit: 0 })).toThrow(StudioError);
    expect(() => pageSamples(t.db, { filter: { datasetId: d.datasetId }, offset: -1, limit: 5 })).toThrow(StudioError);
  });

  it("filters to a finder run's suspects, in rank order under the default sort and by the chosen key otherwise", () => {
    const act = all.filter((s) => s.status === 'active');
    const dropped = all.find((s) => s.status === 'dropped')!;
    // Suspects ranked in an order unlike id order; one of them dropped (hidden by the default status filter).
    const picked = [act[9], act[2], dropped, act[5]];
    const runId = createRun(t.db, d.datasetId, 'quality', {}, null, all.length);
    saveSuspects(
      t.db,
      runId,
      picked.map((s, i) => ({ sampleId: s.id, score: 1 - i / 10, reason: `r${i}`, group: null, suggestedLabel: null, detail: {} })),
      null,
    );
    expect(ids(page({ finderRunId: runId }).rows)).toEqual([act[9].id, act[2].id, act[5].id]);
    expect(page({ finderRunId: runId }).total).toBe(3);
    expect(ids(page({ finderRunId: runId, status: 'all' }).rows)).toEqual(ids(picked));
    expect(ids(page({ finderRunId: runId }, { key: 'id', desc: true }).rows)).toEqual([act[9].id, act[5].id, act[2].id]);
    expect(idsInView(t.db, { datasetId: d.datasetId, finderRunId: runId })).toEqual([act[2].id, act[5].id, act[9].id]);
    expect(page({ finderRunId: runId + 1 }).total).toBe(0);
  });
});

describe('idsInView and getSample', () => {
  it('lists every id of the view in the default order', () => {
    const cat = d.classIds.get('cat') as number;
    const filter = { datasetId: d.datasetId, classIds: [cat, -1], splits: ['train' as const, 'none' as const] };
    expect(idsInView(t.db, filter)).toEqual(ids(pageSamples(t.db, { filter, offset: 0, limit: 5000 }).rows));
    expect(idsInView(t.db, { datasetId: d.datasetId, status: 'all' })).toEqual(ids(all));
  });

  it('gets one sample or throws not-found', () => {
    expect(getSample(t.db, all[10].id)).toEqual(all[10]);
    try {
      getSample(t.db, 999_999);
      expect.unreachable();
    } catch (err) {
      expect((err as StudioError).code).toBe('not-found');
    }
  });
});
