/** The results grid's server side: the pure row filter (truth, prediction, outcome, confidence range, sort), runSource, and edits from a grid recorded as "run:N". */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStudioCore, type StudioCore } from '../../src/main/api/studio-core';
import { createDispatcher } from '../../src/main/api/dispatch';
import { filterEvalRows, type EvalSampleFilter } from '../../src/main/evals/eval-samples-query';
import type { ChangeRecord, ClassInfo } from '../../src/shared/domain';
import type { EvalRun, EvalSampleRow } from '../../src/shared/eval-types';
import type { EvalComparison, EvalSamplePage } from '../../src/shared/eval-views';
import { finderSource, parseAuditSource, runSource } from '../../src/shared/finder-runs';
import { makePetsWorkspace, type PetsWorkspace } from './eval-fixture';

const LABELS = ['cat', 'dog', 'fox'];
function row(position: number, truth: string, prediction: string | null, probabilities: number[] | null, extra: Partial<EvalSampleRow> = {}): EvalSampleRow {
  return { position, sampleId: 100 + position, imageHash: `h${position}`, originalPath: `p/${position}.jpg`, truth, prediction, rawOutput: null, probabilities, latencyMs: position, error: null, done: true, stage1: null, stage1LatencyMs: null, ...extra };
}
const ROWS: EvalSampleRow[] = [
  row(0, 'cat', 'cat', [0.9, 0.05, 0.05]),
  row(1, 'cat', 'dog', [0.3, 0.6, 0.1]),
  row(2, 'dog', 'dog', [0.2, 0.7, 0.1]),
  row(3, 'dog', 'cat', [0.55, 0.45, 0]),
  row(4, 'fox', null, null),
  row(5, 'cat', 'dog', [0.1, 0.8999999761581421, 0.0000000238418579]),
  row(6, 'dog', null, null, { done: false }),
];
const positions = (f: Partial<EvalSampleFilter>) => filterEvalRows(LABELS, ROWS, { outcome: 'all', sort: 'position', ...f }).map((r) => r.position);

describe('filterEvalRows (the grid query)', () => {
  it('filters by truth, prediction (incl. off-label), outcome and a confusion cell', () => {
    expect(positions({ truth: 'cat' })).toEqual([0, 1, 5]);
    expect(positions({ prediction: 'dog' })).toEqual([1, 2, 5]);
    expect(positions({ prediction: '' })).toEqual([4, 6]);
    expect(positions({ outcome: 'wrong' })).toEqual([1, 3, 5]);
    expect(positions({ outcome: 'correct' })).toEqual([0, 2]);
    expect(positions({ truth: 'cat', prediction: 'dog' })).toEqual([1, 5]);
    expect(positions({ truth: 'cat', prediction: 'dog', outcome: 'correct' })).toEqual([]);
  });

  it('keeps an inclusive confidence range (float32 edge included) and drops rows without a confidence', () => {
    expect(positions({ minConfidence: 0.6 })).toEqual([0, 1, 2, 5]);
    expect(positions({ minConfidence: 0.6, maxConfidence: 0.7 })).toEqual([1, 2]);
    expect(positions({ minConfidence: 0.9 })).toEqual([0, 5]); // 0.89999998 counts as 0.9
    expect(positions({ maxConfidence: 0.58 })).toEqual([3]);
    expect(positions({ maxConfidence: 1 })).not.toContain(4);
  });

  it('sorts by confidence both ways (no-confidence rows last) and keeps run order on ties', () => {
    expect(positions({ sort: 'confidence-asc' })).toEqual([3, 1, 2, 5, 0, 4, 6]);
    expect(positions({ sort: 'confidence-desc' })).toEqual([0, 5, 2, 1, 3, 4, 6]);
    expect(positions({ sort: 'confidence-desc', outcome: 'wrong' })).toEqual([5, 1, 3]);
  });
});

describe('audit sources', () => {
  it('runSource sits beside finderSource and both parse back from the one field', () => {
    expect(runSource(12)).toBe('run:12');
    expect(parseAuditSource(runSource(12))).toEqual({ kind: 'run', runId: 12 });
    expect(parseAuditSource(finderSource('overlays', 3))).toEqual({ kind: 'finder', finder: 'overlays', runId: 3 });
    expect(parseAuditSource('run:x')).toBeNull();
    expect(parseAuditSource(null)).toBeNull();
  });
});

describe('edits from a results grid (real handlers, real classifier run)', () => {
  let pets: PetsWorkspace;
  let core: StudioCore;
  let call: (channel: string, args: unknown) => Promise<unknown>;
  let run: EvalRun;

  beforeAll(async () => {
    pets = await makePetsWorkspace(6);
    core = createStudioCore(pets.ws);
    call = createDispatcher(core.handlers);
    const created = (await call('evals:create', {
      name: 'grid', versionId: pets.version.id, split: 'test', modelId: pets.model.id, mode: 'classifier', seed: 3, nSamples: null, classMapping: 'imagenet-cats-vs-dogs',
    })) as { run: EvalRun; jobId: string };
    expect((await core.jobs.wait(created.jobId)).status).toBe('done');
    run = (await call('evals:get', { runId: created.run.id })) as EvalRun;
  }, 180_000);

  afterAll(async () => {
    await core?.jobs.close();
    pets?.cleanup();
  });

  it('pages by a confidence range through the IPC schema', async () => {
    const all = (await call('evals:samples', { runId: run.id, filter: { sort: 'confidence-desc' }, offset: 0, limit: 100 })) as EvalSamplePage;
    const confident = (await call('evals:samples', { runId: run.id, filter: { minConfidence: 0.8 }, offset: 0, limit: 100 })) as EvalSamplePage;
    expect(confident.total).toBe(all.rows.filter((r) => (r.confidence ?? -1) >= 0.8 - 1e-6).length);
    expect(confident.rows.every((r) => (r.confidence ?? 0) >= 0.8 - 1e-6)).toBe(true);
    await expect(call('evals:samples', { runId: run.id, filter: { minConfidence: 1.5 }, offset: 0, limit: 10 })).rejects.toThrow();
  });

  it('records a relabel with source run:N, shows the new label on the grid row, and refuses foreign or malformed sources', async () => {
    const page = (await call('evals:samples', { runId: run.id, filter: {}, offset: 0, limit: 1 })) as EvalSamplePage;
    const target = page.rows[0];
    const classes = (await call('classes:list', { datasetId: pets.datasetId })) as ClassInfo[];
    const other = classes.find((c) => c.name !== target.truth)!;
    await call('samples:edit', { datasetId: pets.datasetId, edit: { kind: 'relabel', sampleIds: [target.sampleId], classId: other.id }, source: runSource(run.id) });
    const changes = (await call('history:list', { datasetId: pets.datasetId, limit: 5 })) as ChangeRecord[];
    expect(changes[0]).toMatchObject({ action: 'relabel', source: `run:${run.id}` });
    const after = (await call('evals:samples', { runId: run.id, filter: {}, offset: 0, limit: 1 })) as EvalSamplePage;
    expect(after.rows[0]).toMatchObject({ sampleId: target.sampleId, truth: target.truth, currentLabel: other.name, currentStatus: 'active' });

    const before = (await call('history:list', { datasetId: pets.datasetId, limit: 100 })) as ChangeRecord[];
    const drop = { kind: 'drop', sampleIds: [target.sampleId], reason: 'blurry' };
    await expect(call('samples:edit', { datasetId: pets.datasetId, edit: drop, source: 'finder:overlays#1' })).rejects.toThrow(/run:/);
    await expect(call('samples:edit', { datasetId: pets.datasetId, edit: drop, source: runSource(999_999) })).rejects.toThrow(/999999/);
    await expect(call('samples:edit', { datasetId: pets.datasetId + 1, edit: drop, source: runSource(run.id) })).rejects.toThrow();
    expect(((await call('history:list', { datasetId: pets.datasetId, limit: 100 })) as ChangeRecord[]).length).toBe(before.length);
  });

  it('compares two runs with a seeded bootstrap CI of the accuracy difference', async () => {
    const created = (await call('evals:create', {
      name: 'grid 3', versionId: pets.version.id, split: 'test', modelId: pets.model.id, mode: 'classifier', seed: 3, nSamples: 3, classMapping: 'imagenet-cats-vs-dogs',
    })) as { run: EvalRun; jobId: string };
    await core.jobs.wait(created.jobId);
    const cmp = (await call('evals:compare', { aId: run.id, bId: created.run.id })) as EvalComparison;
    expect(cmp.accuracyDiffCi).toMatchObject({ diff: 0, low: 0, high: 0, resamples: 10_000, level: 0.95 });
    expect(await call('evals:compare', { aId: run.id, bId: created.run.id })).toEqual(cmp);
  });
});
