/**
 * Cascade runs on real data: the real MobileNetV2 (int8) proposes its top-k Oxford-pets breeds per real photo (breeds
 * mapped to ImageNet classes by name), a tiny random-weight LFM2-VL picks among those k; the stored stage-1 columns, the
 * probabilities over the full label list and the cascade report are checked against an independent recomputation.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTinyVlm } from '../../tools/tiny-vlm';
import type { CreateEvalParams, EvalRun, EvalSampleRow, RegisteredModel } from '../../src/shared/eval-types';
import type { DatasetVersion } from '../../src/shared/domain';
import { runImport } from '../../src/main/imports/import-runner';
import { registerModel } from '../../src/main/models/model-registry';
import { assignSplits } from '../../src/main/splits/stratified-split';
import { createVersion } from '../../src/main/versions/snapshot';
import { createEvalRun } from '../../src/main/evals/eval-plan';
import { evalSampleRows } from '../../src/main/evals/eval-store';
import { runEval } from '../../src/main/evals/run-eval';
import { cascadeReport } from '../../src/main/evals/cascade-report';
import { runCascadeParams } from '../../src/main/evals/cascade-plan';
import { saveClassMapping } from '../../src/main/class-mappings/class-mapping-store';
import { parseEvalConfig } from '../../src/main/evals/eval-config';
import { exportEvalConfig, resolveEvalConfig } from '../../src/main/evals/eval-config-resolve';
import { exportRunCsv, exportRunJson, type RunExport } from '../../src/main/evals/eval-export';
import { matchLabelsByName, nameScore } from '../../src/main/evals/cascade-mapping';
import { scatterProbabilities, selectTopK } from '../../src/main/evals/cascade-topk';
import { classifyImages } from '../../src/main/inference/classifier/classify';
import { loadOnnxClassifier, readLabels } from '../../src/main/inference/classifier/load-onnx-classifier';
import { copyPetBreeds, petBreeds } from '../fixtures/pets-breeds';
import { MOBILENET_DIR } from './eval-fixture';
import { makeTempWorkspace, type TempWorkspace } from './helpers/temp-workspace';
import { runEvalCancelledAfter } from '../fixtures/eval-cancel';

/** Five breeds ImageNet names (pug, beagle, samoyed, Persian cat, Siamese cat) and one it does not (abyssinian). */
const BREEDS = ['abyssinian', 'beagle', 'persian', 'pug', 'samoyed', 'siamese'];
const PER_BREED = 3;
const N = BREEDS.length * PER_BREED;

let tw: TempWorkspace;
let source: string;
let version: DatasetVersion;
let mobilenet: RegisteredModel;
let vlm: RegisteredModel;
let imagenet: string[];

const params = (over: Partial<CreateEvalParams>): CreateEvalParams => ({
  name: 'cascade',
  versionId: version.id,
  split: 'all',
  modelId: vlm.id,
  mode: 'scored',
  seed: 5,
  nSamples: null,
  cascade: { classifierModelId: mobilenet.id, k: 3 },
  ...over,
});

/** Stage 1 recomputed outside the engine: the classifier's 1000 ImageNet probabilities, summed per breed by name. */
async function independentStage1(rows: EvalSampleRow[], labels: string[]): Promise<Map<number, { labels: string[]; probs: number[] }>> {
  const model = await loadOnnxClassifier(MOBILENET_DIR);
  try {
    const { results } = await classifyImages(model, rows.map((r) => r.originalPath), null, { batchSize: 1, topK: 1 });
    const owners = labels.map((l) => imagenet.map((name, i) => (nameScore(l, name) > 0 ? i : -1)).filter((i) => i >= 0));
    const out = new Map<number, { labels: string[]; probs: number[] }>();
    results.forEach((res, j) => {
      if (!res.ok || res.probabilities === null) throw new Error(`classifier failed on ${rows[j].originalPath}`);
      const p = res.probabilities;
      const mass = owners.map((idx) => idx.reduce((s, i) => s + p[i], 0));
      const total = mass.reduce((a, b) => a + b, 0);
      const ranked = labels.map((l, i) => ({ l, p: mass[i] / total })).filter((_, i) => owners[i].length > 0);
      ranked.sort((a, b) => b.p - a.p);
      out.set(rows[j].sampleId, { labels: ranked.slice(0, 3).map((x) => x.l), probs: ranked.slice(0, 3).map((x) => x.p) });
    });
    return out;
  } finally {
    await model.session.release();
  }
}

beforeAll(async () => {
  tw = makeTempWorkspace('vcs-cascade-');
  source = mkdtempSync(join(tmpdir(), 'vcs-cascade-src-'));
  expect(copyPetBreeds(source, BREEDS, PER_BREED)).toBe(N);
  const report = await runImport(tw.ws, { source, format: 'imagefolder', datasetName: 'breeds' }, {});
  expect(report.imported).toBe(N);
  assignSplits(tw.db, { datasetId: report.datasetId, seed: 7, ratios: { train: 0.5, val: 0, test: 0.5 } });
  version = createVersion(tw.db, report.datasetId, 'v1');
  mobilenet = await registerModel(tw.db, MOBILENET_DIR, { name: 'mobilenet' });
  vlm = await registerModel(tw.db, ensureTinyVlm('lfm2-vl', 1), { name: 'tiny-lfm2' });
  imagenet = await readLabels(join(MOBILENET_DIR, 'labels.txt'));
}, 120_000);
afterAll(() => {
  tw?.cleanup();
  if (source) rmSync(source, { recursive: true, force: true });
});

describe('cascade bookkeeping (pure)', () => {
  it('maps the Oxford-pets breeds to ImageNet classes by name', () => {
    const s = matchLabelsByName(petBreeds(), imagenet);
    const byLabel = new Map(s.matches.map((m) => [m.label, m.modelClasses.map((c) => c.name)]));
    expect(byLabel.get('pug')).toEqual(['pug']);
    expect(byLabel.get('persian')).toEqual(['Persian cat']);
    expect(byLabel.get('german_shorthaired')).toEqual(['German short-haired pointer']);
    expect(byLabel.get('basset_hound')).toEqual(['basset']);
    expect(byLabel.get('english_cocker_spaniel')).toEqual(['cocker spaniel']);
    expect(byLabel.get('yorkshire_terrier')).toEqual(['Yorkshire terrier']);
    expect(s.unmatched).toEqual(expect.arrayContaining(['abyssinian', 'bengal', 'shiba_inu', 'havanese']));
    expect(s.matches.length + s.unmatched.length).toBe(37);
    expect(s.matches.length).toBe(21);
    // Short generic labels never swallow breeds ("dog" vs "Maltese dog").
    expect(matchLabelsByName(['cat', 'dog'], imagenet).matches).toEqual([]);
  });

  it('selects the top k best first and scatters k probabilities over the full label list', () => {
    expect(selectTopK(['a', 'b', 'c', 'd'], [0.1, 0.4, 0.4, 0.1], 2)).toEqual({ labels: ['b', 'c'], probabilities: [0.4, 0.4], unmappedMass: 0 });
    expect(scatterProbabilities(['a', 'b', 'c', 'd'], ['c', 'a'], [0.75, 0.25])).toEqual([0.25, 0, 0.75, 0]);
    expect(() => scatterProbabilities(['a', 'b'], ['z'], [1])).toThrow(/not one of the run's labels/);
  });
});

describe('cascade runs (real MobileNetV2 + tiny LFM2-VL on real breed photos)', () => {
  let scored: EvalRun;

  it('refuses a cascade that cannot work, with the reason', async () => {
    await expect(createEvalRun(tw.db, params({ mode: 'raw' }))).rejects.toThrow(/use mode constrained or scored/);
    await expect(createEvalRun(tw.db, params({ cascade: { classifierModelId: vlm.id, k: 3 } }))).rejects.toThrow(/needs an ONNX classifier/);
    await expect(createEvalRun(tw.db, params({ cascade: { classifierModelId: mobilenet.id, k: 6 } }))).rejects.toThrow(/covers only 5 of the 6 labels/);
    await expect(
      createEvalRun(tw.db, params({ cascade: { classifierModelId: mobilenet.id, k: 2, mapping: { name: 'x', classes: [{ label: 'tabby', modelClasses: [281] }] } } })),
    ).rejects.toThrow(/not candidates of the run: tabby/);
    await expect(createEvalRun(tw.db, params({ cascade: { classifierModelId: mobilenet.id, k: 2, classMappingId: 404 } }))).rejects.toThrow(/class mapping 404/);
  });

  it('takes a saved class mapping by id (an object of the class-mapping editor), ranges expanded into the stored mapping', async () => {
    const byName = matchLabelsByName(version.classes, imagenet).mapping;
    const saved = await saveClassMapping(tw.db, {
      modelId: mobilenet.id,
      mapping: { name: 'breeds saved', classes: byName.classes.map((c) => ({ label: c.label, modelClasses: c.modelClasses })) },
    });
    const run = await createEvalRun(tw.db, params({ name: 'cascade saved', cascade: { classifierModelId: mobilenet.id, k: 2, classMappingId: saved.id } }));
    expect(run.cascade).toMatchObject({ classMappingId: saved.id, k: 2 });
    expect(runCascadeParams(tw.db, run.id)?.mapping?.classes).toEqual(byName.classes);
  });

  it('scored, k = 3: stores stage 1 top-3 per sample and probabilities aligned with all labels (zeros outside the 3)', async () => {
    scored = await runEval(tw.ws, (await createEvalRun(tw.db, params({ name: 'cascade scored k3' }))).id);
    expect(scored).toMatchObject({ status: 'done', mode: 'scored', cascade: { classifierModelId: mobilenet.id, k: 3, classMappingId: null } });
    const rows = evalSampleRows(tw.db, scored.id);
    expect(rows).toHaveLength(N);
    const expected = await independentStage1(rows, scored.labels);
    for (const r of rows) {
      expect(r.error).toBeNull();
      const s1 = r.stage1;
      if (s1 === null) throw new Error(`row ${r.sampleId} has no stage 1`);
      const want = expected.get(r.sampleId);
      expect(s1.labels).toEqual(want?.labels);
      s1.probabilities.forEach((p, i) => expect(p).toBeCloseTo(want?.probs[i] ?? NaN, 5));
      expect(s1.labels).not.toContain('abyssinian');
      const p = r.probabilities as number[];
      expect(p).toHaveLength(BREEDS.length);
      expect(Math.abs(p.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-6);
      scored.labels.forEach((l, i) => (s1.labels.includes(l) ? expect(p[i]).toBeGreaterThan(0) : expect(p[i]).toBe(0)));
      expect(s1.labels).toContain(r.prediction);
      expect(r.prediction).toBe(scored.labels[p.indexOf(Math.max(...p))]);
      expect(r.stage1LatencyMs).toBeGreaterThan(0);
      expect(r.latencyMs).toBeGreaterThan(r.stage1LatencyMs as number);
    }
    // Calibration keeps working on the scattered vectors.
    expect(scored.metrics?.calibration?.n).toBe(N);
  }, 300_000);

  it('constrained, k = 2: the answer is always one of the two proposals, no probabilities', async () => {
    const run = await runEval(tw.ws, (await createEvalRun(tw.db, params({ name: 'cascade constrained k2', mode: 'constrained', dtype: 'fp32', cascade: { classifierModelId: mobilenet.id, k: 2 } }))).id);
    for (const r of evalSampleRows(tw.db, run.id)) {
      expect(r.error).toBeNull();
      expect(r.stage1?.labels).toHaveLength(2);
      expect(r.stage1?.labels).toContain(r.prediction);
      expect(r.probabilities).toBeNull();
    }
    expect(run.metrics?.offLabelCount).toBe(0);
  }, 300_000);

  it('k = 1: nothing to choose, the answer is stage 1\'s top-1 (the VLM is not asked)', async () => {
    const run = await runEval(tw.ws, (await createEvalRun(tw.db, params({ name: 'cascade k1', cascade: { classifierModelId: mobilenet.id, k: 1 } }))).id);
    for (const r of evalSampleRows(tw.db, run.id)) {
      expect(r.prediction).toBe(r.stage1?.labels[0]);
      expect(r.probabilities?.[run.labels.indexOf(r.prediction ?? '')]).toBe(1);
    }
    const rep = cascadeReport(tw.db, run.id);
    expect(rep.cascade.correct).toBe(rep.stage1.correct);
  }, 300_000);

  it('reports stage 1 alone, stage 2 alone (a sibling run on the same plan), the cascade and top-k recall', async () => {
    const before = cascadeReport(tw.db, scored.id);
    expect(before.stage2).toBeNull();
    expect(before.siblings).toEqual([]);
    const alone = await runEval(tw.ws, (await createEvalRun(tw.db, params({ name: 'vlm alone', cascade: null }))).id);
    const rep = cascadeReport(tw.db, scored.id);
    const rows = evalSampleRows(tw.db, scored.id);
    const aloneRows = evalSampleRows(tw.db, alone.id);
    expect(aloneRows.map((r) => r.sampleId)).toEqual(rows.map((r) => r.sampleId));
    const count = (f: (r: EvalSampleRow) => boolean) => rows.filter(f).length;
    expect(rep).toMatchObject({ k: 3, classifierName: 'mobilenet', mappingName: 'by-name', mappedLabels: 5, totalLabels: 6, shared: N });
    expect(rep.siblings.map((s) => s.id)).toEqual([alone.id]);
    expect(rep.stage1).toMatchObject({ n: N, correct: count((r) => r.stage1?.labels[0] === r.truth) });
    expect(rep.topKRecall).toMatchObject({ n: N, hits: count((r) => r.stage1?.labels.includes(r.truth) === true) });
    expect(rep.cascade.accuracy).toBeCloseTo(scored.metrics?.accuracy ?? NaN, 12);
    expect(rep.stage2).toMatchObject({ runId: alone.id, n: N });
    expect(rep.stage2?.accuracy).toBeCloseTo(alone.metrics?.accuracy ?? NaN, 12);
    // The cascade can never beat its ceiling; the abyssinian photos are never proposed.
    expect(rep.cascade.correct).toBeLessThanOrEqual(rep.topKRecall.hits);
    expect(rep.topKRecall.hits).toBeLessThanOrEqual(N - PER_BREED);
    // Real MobileNetV2 on real photos of breeds ImageNet names: the truth is proposed for most of them.
    expect(rep.topKRecall.hits).toBeGreaterThanOrEqual(0.8 * (N - PER_BREED));
    expect(rep.stage1.correct).toBeGreaterThanOrEqual(0.6 * (N - PER_BREED));
    expect(rep.stage1P50Ms).toBeGreaterThan(0);
    expect(rep.stage2P50Ms).toBeGreaterThan(0);
    console.log(`cascade report: stage1 ${rep.stage1.correct}/${N}, top-3 recall ${rep.topKRecall.hits}/${N}, cascade ${rep.cascade.correct}/${N}, vlm alone ${rep.stage2?.correct}/${N}; p50 stage1 ${rep.stage1P50Ms?.toFixed(1)} ms, stage2 ${rep.stage2P50Ms?.toFixed(1)} ms`);
  }, 300_000);

  it('resumes a cancelled cascade run without redoing finished rows; the result equals the uninterrupted run', async () => {
    const created = await createEvalRun(tw.db, params({ name: 'cascade resumed' }));
    const cancelled = await runEvalCancelledAfter(tw.ws, created.id, 5);
    expect(cancelled.status).toBe('cancelled');
    const partial = evalSampleRows(tw.db, created.id).filter((r) => r.done);
    expect(partial).toHaveLength(5);
    const done = await runEval(tw.ws, created.id);
    expect(done.status).toBe('done');
    const rows = evalSampleRows(tw.db, created.id);
    // The first five rows kept their stored latencies (not recomputed), every row has its stage 1.
    expect(rows.filter((r) => partial.some((p) => p.sampleId === r.sampleId)).map((r) => r.stage1LatencyMs)).toEqual(partial.map((p) => p.stage1LatencyMs));
    const reference = new Map(evalSampleRows(tw.db, scored.id).map((r) => [r.sampleId, r]));
    for (const r of rows) {
      expect(r.stage1?.labels).toEqual(reference.get(r.sampleId)?.stage1?.labels);
      expect(r.prediction).toBe(reference.get(r.sampleId)?.prediction);
    }
    expect(done.metrics?.accuracy).toBe(scored.metrics?.accuracy);
  }, 300_000);

  it('writes the cascade into the run\'s YAML config, and parsing it back recreates the same cascade', async () => {
    const yaml = exportEvalConfig(tw.db, scored.id);
    expect(yaml).toMatch(/cascade:\n\s+classifier: mobilenet\n\s+k: 3\n\s+mapping:/);
    const back = await resolveEvalConfig(tw.db, parseEvalConfig(yaml));
    const original = runCascadeParams(tw.db, scored.id);
    expect(back.cascade).toMatchObject({ classifierModelId: mobilenet.id, k: 3, mapping: { classes: original?.mapping?.classes } });
    const again = await createEvalRun(tw.db, { ...back, name: 'from yaml' });
    expect(again.cascade).toEqual(scored.cascade);
    expect(() => parseEvalConfig('model: m\ndataset: d\ncascade:\n  classifier: c\n  top_k: 3\n')).toThrow(/unknown key "top_k"/);
  });

  it('exports stage 1 with each sample (JSON and CSV) for cascade runs', async () => {
    const rows = evalSampleRows(tw.db, scored.id);
    const json = JSON.parse(await exportRunJson(tw.db, tw.ws, scored.id)) as RunExport;
    expect(json.run.cascade).toEqual(scored.cascade);
    expect(json.samples.map((x) => x.stage1)).toEqual(rows.map((r) => r.stage1));
    const csv = (await exportRunCsv(tw.db, tw.ws, scored.id)).trim().split('\n');
    const header = csv[0].split(',');
    expect(header.slice(-3)).toEqual(['stage1_labels', 'stage1_probabilities', 'stage1_latency_ms']);
    const first = csv[1].split(',');
    expect(first.at(-3)).toBe(rows[0].stage1?.labels.join(' | '));
    expect(Number(first.at(-1))).toBeCloseTo(rows[0].stage1LatencyMs ?? NaN, 3);
  });

  it('keeps the cascade columns in SQLite (added by migration 0012)', () => {
    const runCols = (tw.db.prepare('PRAGMA table_info(eval_runs)').all() as { name: string }[]).map((c) => c.name);
    const sampleCols = (tw.db.prepare('PRAGMA table_info(eval_samples)').all() as { name: string }[]).map((c) => c.name);
    expect(runCols).toContain('cascade_json');
    expect(sampleCols).toEqual(expect.arrayContaining(['stage1_json', 'stage1_latency_ms']));
    const stored = JSON.parse(tw.db.prepare('SELECT cascade_json FROM eval_runs WHERE id = ?').pluck().get(scored.id) as string) as { mapping: { classes: { label: string; modelClasses: number[] }[] } };
    expect(stored.mapping.classes.find((c) => c.label === 'pug')?.modelClasses).toEqual([imagenet.indexOf('pug')]);
  });
});
