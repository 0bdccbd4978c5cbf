/** Eval creation: the seeded sample plan and every validation createEvalRun performs before writing anything. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CreateEvalParams, RegisteredModel } from '../../src/shared/eval-types';
import { createEvalRun, planSamples } from '../../src/main/evals/eval-plan';
import { evalSampleRows } from '../../src/main/evals/eval-store';
import { registerModel } from '../../src/main/models/model-registry';
import { createVersion, versionSamples, type VersionSample } from '../../src/main/versions/snapshot';
import { MOBILENET_DIR } from './eval-fixture';
import { insertSyntheticSamples, makeTempWorkspace, type TempWorkspace } from './helpers/temp-workspace';

const rows = (n: number): VersionSample[] =>
  Array.from({ length: n }, (_, i) => ({
    sampleId: i + 1,
    imageHash: `h${i}`,
    originalPath: `p${i}.jpg`,
    label: i % 2 ? 'dog' : 'cat',
    split: i % 4 === 0 ? 'test' : i % 4 === 1 ? null : 'train',
  }));

describe('planSamples', () => {
  it('is deterministic for a seed, independent of input order, and a smaller n is a prefix of a larger n', () => {
    const all = rows(200);
    const a = planSamples(all, 'all', 23, 50).map((s) => s.sampleId);
    expect(planSamples([...all].reverse(), 'all', 23, 50).map((s) => s.sampleId)).toEqual(a);
    expect(new Set(a).size).toBe(50);
    expect(planSamples(all, 'all', 23, 10).map((s) => s.sampleId)).toEqual(a.slice(0, 10));
    expect(planSamples(all, 'all', 24, 50).map((s) => s.sampleId)).not.toEqual(a);
    // A shuffle, not the first 50 ids.
    expect(a).not.toEqual([...a].sort((x, y) => x - y));
  });

  it('filters by split; "all" includes unsplit rows', () => {
    const all = rows(40);
    expect(planSamples(all, 'test', 1, null).every((s) => s.split === 'test')).toBe(true);
    expect(planSamples(all, 'test', 1, null)).toHaveLength(10);
    expect(planSamples(all, 'val', 1, null)).toHaveLength(0);
    expect(planSamples(all, 'all', 1, null)).toHaveLength(40);
  });
});

describe('createEvalRun', () => {
  let tw: TempWorkspace;
  let model: RegisteredModel;
  let versionId: number;
  let base: CreateEvalParams;
  beforeEach(async () => {
    tw = makeTempWorkspace();
    model = await registerModel(tw.db, MOBILENET_DIR, { name: 'mnet' });
    const ds = insertSyntheticSamples(tw.db, { count: 40, classes: ['cat', 'dog'] });
    tw.db.prepare(`UPDATE samples SET split = CASE WHEN id % 4 = 0 THEN 'test' ELSE 'train' END`).run();
    versionId = createVersion(tw.db, ds.datasetId, 'v1').id;
    base = { name: 'e', versionId, split: 'test', modelId: model.id, mode: 'classifier', seed: 23, nSamples: 5, classMapping: 'imagenet-cats-vs-dogs' };
  });
  afterEach(() => tw.cleanup());

  const runCount = (): number => tw.db.prepare('SELECT COUNT(*) FROM eval_runs').pluck().get() as number;

  it('stores the run with its labels, prompts and the seeded plan in position order', async () => {
    const run = await createEvalRun(tw.db, base);
    expect(run).toMatchObject({ status: 'queued', split: 'test', mode: 'classifier', labels: ['cat', 'dog'], seed: 23, nSamples: 5 });
    expect(run).toMatchObject({ classMapping: 'imagenet-cats-vs-dogs', device: 'cpu', dtype: null, plannedCount: 5, doneCount: 0 });
    expect(run.config).toEqual({ modelName: 'mnet', modelPath: MOBILENET_DIR, datasetName: 'synthetic', versionName: 'v1' });
    const planned = evalSampleRows(tw.db, run.id);
    const expected = planSamples(versionSamples(tw.db, versionId), 'test', 23, 5);
    expect(planned.map((r) => r.sampleId)).toEqual(expected.map((s) => s.sampleId));
    expect(planned.map((r) => r.position)).toEqual([0, 1, 2, 3, 4]);
    expect(planned.map((r) => r.truth)).toEqual(expected.map((s) => s.label));
    expect(planned.every((r) => !r.done && r.prediction === null && r.originalPath.endsWith('.jpg'))).toBe(true);
    // Same seed, same sample set.
    const again = await createEvalRun(tw.db, { ...base, name: 'e2' });
    expect(evalSampleRows(tw.db, again.id).map((r) => r.sampleId)).toEqual(planned.map((r) => r.sampleId));
  });

  it('takes the whole split when nSamples is null and keeps a given label order', async () => {
    const run = await createEvalRun(tw.db, { ...base, nSamples: null, labels: ['dog', 'cat'] });
    expect(run.plannedCount).toBe(10);
    expect(run.labels).toEqual(['dog', 'cat']);
  });

  it('refuses bad parameters with clear messages and writes nothing', async () => {
    const cases: [Partial<CreateEvalParams>, RegExp][] = [
      [{ versionId: 999 }, /version 999 not found/],
      [{ modelId: 999 }, /model 999 not found/],
      [{ split: 'val' }, /Split "val" of version "v1" has no samples \(it has: .*train 30/],
      [{ nSamples: 11 }, /n_samples is 11 but split "test" .* has only 10/],
      [{ nSamples: 0 }, /n_samples must be a positive integer/],
      [{ seed: -1 }, /seed must be a non-negative integer/],
      [{ mode: 'scored' }, /plain ONNX classifier: use mode "classifier"/],
      [{ labels: ['cat', 'bird'] }, /candidate labels must include every class of the snapshot \(cat, dog\); missing: dog/],
      [{ labels: ['cat', 'dog', ' '] }, /non-empty text/],
      [{ abstainLabel: 'unsure' }, /abstain label "unsure" is not one of the candidate labels/],
      [{ abstainLabel: 'dog' }, /abstain label "dog" is a class of the snapshot/],
      [{ labels: ['cat', 'cat'] }, /appears twice/],
      [{ classMapping: 'no-such-preset' }, /Unknown class mapping "no-such-preset"; available: imagenet-cats-vs-dogs/],
      [{ classMapping: null }, /labels\.txt\) are not the snapshot's classes/],
      [{ device: 'cuda' }, /Classifier evals run on the CPU/],
      [{ dtype: 'q4' }, /dtype applies to vision-language models/],
      [{ name: '  ' }, /needs a name/],
    ];
    for (const [patch, message] of cases) {
      await expect(createEvalRun(tw.db, { ...base, ...patch }), JSON.stringify(patch)).rejects.toThrow(message);
    }
    expect(runCount()).toBe(0);
  });

  it('refuses a snapshot with fewer than two classes and a mapping whose classes differ from the snapshot', async () => {
    const one = insertSyntheticSamples(tw.db, { datasetName: 'one', count: 4, classes: ['cat'] });
    const v1 = createVersion(tw.db, one.datasetId, 'v1');
    await expect(createEvalRun(tw.db, { ...base, versionId: v1.id, split: 'all', classMapping: null })).rejects.toThrow(/at least 2 classes/);
    const birds = insertSyntheticSamples(tw.db, { datasetName: 'birds', count: 4, classes: ['bird', 'fish'] });
    const vb = createVersion(tw.db, birds.datasetId, 'v1');
    await expect(createEvalRun(tw.db, { ...base, versionId: vb.id, split: 'all' })).rejects.toThrow(
      /candidate labels must include every class of the snapshot \(bird, fish\); missing: bird, fish/,
    );
    expect(runCount()).toBe(0);
  });

  it('stores empty prompts for classifier runs (prompts only drive VLM modes)', async () => {
    const run = await createEvalRun(tw.db, base);
    expect(run.systemPrompt).toBe('');
    expect(run.userPrompt).toBe('');
  });
});
