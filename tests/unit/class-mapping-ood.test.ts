/** OOD mass with the real MobileNetV2 int8 ONNX on real photos, checked against the model's own 1000-class softmax; then a real classifier eval that stores and summarises it. */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMAGENET_CATS_VS_DOGS } from '../../src/main/inference/classifier/class-mapping';
import { classifyImages } from '../../src/main/inference/classifier/classify';
import { loadOnnxClassifier, type OnnxClassifier } from '../../src/main/inference/classifier/load-onnx-classifier';
import { saveClassMapping } from '../../src/main/class-mappings/class-mapping-store';
import { oodSummary } from '../../src/main/class-mappings/ood-summary';
import { cmdEval } from '../../src/main/cli/eval-command';
import { exportEvalConfig } from '../../src/main/evals/eval-config-resolve';
import { createEvalRun } from '../../src/main/evals/eval-plan';
import { evalSampleRows, getEvalRun, runClassMapping } from '../../src/main/evals/eval-store';
import { runEval } from '../../src/main/evals/run-eval';
import { runImport } from '../../src/main/imports/import-runner';
import { registerModel } from '../../src/main/models/model-registry';
import { createVersion } from '../../src/main/versions/snapshot';
import { asset } from '../support/assets';
import { assetFiles, OXFORD_PETS } from '../fixtures/real-photos';
import { MOBILENET_DIR, PETS_OTHER } from './eval-fixture';
import { makeTempWorkspace, type TempWorkspace } from './helpers/temp-workspace';

const OTHER_PHOTOS = [asset('datasets', 'skimage-samples', 'coffee.png'), asset('datasets', 'skimage-samples', 'astronaut.png'), asset('datasets', 'bad-samples', 'adopted-banner.jpg')];
const CAT_PHOTOS = assetFiles(join(OXFORD_PETS, 'cats'), 3).map((f) => join(OXFORD_PETS, 'cats', f));
const DOG_PHOTOS = assetFiles(join(OXFORD_PETS, 'dogs'), 3).map((f) => join(OXFORD_PETS, 'dogs', f));
const PHOTOS = [...CAT_PHOTOS, ...DOG_PHOTOS, ...OTHER_PHOTOS];

const sumRange = (p: readonly number[], from: number, to: number): number => p.slice(from, to + 1).reduce((a, b) => a + b, 0);

let model: OnnxClassifier;
beforeAll(async () => {
  model = await loadOnnxClassifier(MOBILENET_DIR, { intraOpNumThreads: 1 });
});
afterAll(async () => {
  await model?.session.release();
});

describe('OOD mass on real photos (MobileNetV2 int8)', () => {
  it('equals 1 − the model mass on ImageNet dogs and cats, with and without a rest target', async () => {
    const own = await classifyImages(model, PHOTOS, null, { batchSize: 1, topK: 1 });
    const preset = await classifyImages(model, PHOTOS, IMAGENET_CATS_VS_DOGS, { batchSize: 1 });
    const rest = await classifyImages(model, PHOTOS, PETS_OTHER, { batchSize: 1 });
    PHOTOS.forEach((_, i) => {
      const o = own.results[i];
      const p = preset.results[i];
      const r = rest.results[i];
      if (!o.ok || !p.ok || !r.ok) throw new Error(`photo ${i} failed`);
      const probs = o.probabilities as number[];
      const cat = sumRange(probs, 281, 285);
      const dog = sumRange(probs, 151, 268);
      const total = probs.reduce((a, b) => a + b, 0);
      expect(p.oodMass).toBeCloseTo((total - cat - dog) / total, 9);
      expect(r.oodMass).toBeCloseTo(p.oodMass, 12);
      // Renormalised probabilities are kept exactly as before: mass over the mapped mass.
      expect(p.probabilities?.[0]).toBeCloseTo(cat / (cat + dog), 9);
      expect(r.probabilities?.[2]).toBeCloseTo(r.oodMass, 9);
      expect(r.top5[0].label).toBe(o.top5[0].label);
    });
    // The non-animal photos carry most of their mass outside both groups, and "rest → other" catches them;
    // the preset alone would have called each of them cat or dog with renormalised confidence.
    for (const i of [6, 7, 8]) {
      const r = rest.results[i];
      const p = preset.results[i];
      if (!r.ok || !p.ok) throw new Error('classification failed');
      expect(r.oodMass).toBeGreaterThan(0.5);
      expect(r.prediction).toBe('other');
      expect(['cat', 'dog']).toContain(p.prediction);
    }
    const animalOod = [0, 1, 2, 3, 4, 5].map((i) => (rest.results[i].ok ? rest.results[i].oodMass : 1));
    // Pet photos mostly land on the mapped breeds (an Abyssinian may still read as "lynx": real OOD mass, shown, not hidden).
    expect(animalOod.filter((m) => m < 0.5).length).toBeGreaterThanOrEqual(4);
    const otherOod = [6, 7, 8].map((i) => (rest.results[i].ok ? rest.results[i].oodMass : 0));
    expect(Math.min(...otherOod)).toBeGreaterThan(animalOod.reduce((a, b) => a + b, 0) / animalOod.length);
  });
});

describe('a classifier eval with a saved mapping stores and summarises OOD mass', () => {
  let t: TempWorkspace;
  let source: string;
  beforeAll(() => {
    t = makeTempWorkspace('vcs-ood-');
    source = mkdtempSync(join(tmpdir(), 'vcs-ood-src-'));
    for (const [label, files] of [['cat', CAT_PHOTOS], ['dog', DOG_PHOTOS], ['other', OTHER_PHOTOS]] as const) {
      mkdirSync(join(source, label));
      files.forEach((f, i) => copyFileSync(f, join(source, label, `${label}-${i}${f.slice(f.lastIndexOf('.'))}`)));
    }
  });
  afterAll(() => {
    t?.cleanup();
    rmSync(source, { recursive: true, force: true });
  });

  it('runs with the saved mapping, keeps its JSON, and reports mean OOD mass and the share above 0.5', async () => {
    const report = await runImport(t.ws, { source, format: 'imagefolder', datasetName: 'pets' }, {});
    expect(report.imported).toBe(9);
    const version = createVersion(t.db, report.datasetId, 'v1');
    const registered = await registerModel(t.db, MOBILENET_DIR, { name: 'mobilenet' });
    const saved = await saveClassMapping(t.db, { modelId: registered.id, mapping: PETS_OTHER });
    const run = await createEvalRun(t.db, {
      name: 'with other',
      versionId: version.id,
      split: 'all',
      modelId: registered.id,
      mode: 'classifier',
      seed: 1,
      nSamples: null,
      classMapping: 'pets-with-other',
    });
    expect(run.classMapping).toBe('pets-with-other');
    expect(runClassMapping(t.db, run.id)).toEqual(saved.mapping);
    const done = await runEval(t.ws, run.id, { intraOpNumThreads: 1 });
    expect(done.status).toBe('done');

    const rows = evalSampleRows(t.db, run.id);
    expect(rows).toHaveLength(9);
    for (const r of rows) {
      expect(r.oodMass).toBeGreaterThanOrEqual(0);
      expect(r.oodMass).toBeLessThanOrEqual(1);
      expect(typeof r.modelTop1).toBe('string');
      expect(r.rawOutput?.startsWith(r.modelTop1 as string)).toBe(true);
      // Calibration keeps the renormalised probabilities: they sum to 1 over cat/dog/other.
      expect((r.probabilities as number[]).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    }
    const others = rows.filter((r) => r.truth === 'other');
    expect(others.every((r) => r.prediction === 'other' && (r.oodMass as number) > 0.5)).toBe(true);

    const summary = oodSummary(t.db, run.id);
    const masses = rows.map((r) => r.oodMass as number);
    expect(summary.count).toBe(9);
    expect(summary.meanOodMass).toBeCloseTo(masses.reduce((a, b) => a + b, 0) / 9, 12);
    expect(summary.shareAboveHalf).toBeCloseTo(masses.filter((m) => m > 0.5).length / 9, 12);
    const high = rows.filter((r) => (r.oodMass as number) > 0.5).map((r) => r.modelTop1);
    if (new Set(high).size <= 5) expect(summary.topOutsideClasses.reduce((a, c) => a + c.count, 0)).toBe(high.length);
    for (const c of summary.topOutsideClasses) expect(high).toContain(c.label);
    expect(getEvalRun(t.db, run.id).metrics?.calibration?.n).toBe(9);
  });

  it('runs from YAML with class_mapping naming the saved mapping, prints the OOD summary, and exports the name back', async () => {
    const file = join(source, 'with-other.yaml');
    writeFileSync(file, `seed: 3\nmodel: ${JSON.stringify(MOBILENET_DIR)}\ndataset: pets\nsplit: all\nclass_mapping: pets-with-other\n`);
    const out: string[] = [];
    const code = await cmdEval(t.ws, ['--config', file, '--name', 'cli other'], (l) => out.push(l), () => {});
    expect(code).toBe(0);
    const runId = Number(/^Eval #(\d+)/.exec(out[0])?.[1]);
    const s = oodSummary(t.db, runId);
    expect(s.count).toBe(9);
    const pct = (x: number | null) => `${((x ?? NaN) * 100).toFixed(1)}%`;
    expect(out.join('\n')).toContain(`OOD mass (outside every mapped class): mean ${pct(s.meanOodMass)}; ${pct(s.shareAboveHalf)} of samples above 50.0%`);
    expect(exportEvalConfig(t.db, runId)).toContain('class_mapping: pets-with-other');
  });
});
