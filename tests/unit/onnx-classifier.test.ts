/** Runs the real MobileNetV2 (int8) ONNX model on real Oxford-IIIT pet photos, mapped to cat vs dog. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeMetrics } from '../../src/main/evals/metrics';
import { IMAGENET_CATS_VS_DOGS } from '../../src/main/inference/classifier/class-mapping';
import { classifyImages, type ClassifyResult } from '../../src/main/inference/classifier/classify';
import { loadOnnxClassifier, type OnnxClassifier } from '../../src/main/inference/classifier/load-onnx-classifier';
import { asset } from '../support/assets';

const MODEL_DIR = asset('models', 'mobilenetv2-12-int8');
const PETS = asset('datasets', 'oxford-pets-370');
const PER_CLASS = 20;

/** 20 files per class, evenly spaced through the sorted listing so the sample spans many breeds. */
function sample(dir: string, truth: string): { path: string; truth: string }[] {
  const files = readdirSync(join(PETS, dir)).filter((f) => f.endsWith('.jpg')).sort();
  return Array.from({ length: PER_CLASS }, (_, i) => ({ path: join(PETS, dir, files[Math.floor((i * files.length) / PER_CLASS)]), truth }));
}

const items = [...sample('cats', 'cat'), ...sample('dogs', 'dog')];
/** ImageNet-1k domestic cat classes: tabby, tiger cat, Persian, Siamese, Egyptian cat. */
const isImagenetCat = (index: number): boolean => index >= 281 && index <= 285;

let model: OnnxClassifier;
let run: ClassifyResult;

beforeAll(async () => {
  model = await loadOnnxClassifier(MODEL_DIR);
  run = await classifyImages(model, items.map((i) => i.path), IMAGENET_CATS_VS_DOGS, { batchSize: 8 });
});
afterAll(async () => {
  await model?.session.release();
});

describe('ONNX classifier on real photos', () => {
  it('reads input/output names and size from the session', () => {
    expect(model.inputName).toBe('input');
    expect(model.outputName).toBe('output');
    expect([model.inputHeight, model.inputWidth]).toEqual([224, 224]);
    expect(model.fixedBatchSize).toBeNull();
    expect(model.labels).toHaveLength(1000);
    expect(model.labels[281]).toBe('tabby');
  });

  it('separates cats from dogs well above chance (MobileNetV2 int8 gets 40/40 on this sample)', () => {
    expect(run.labels).toEqual(['cat', 'dog']);
    expect(run.results).toHaveLength(items.length);
    const correct = run.results.filter((r, i) => r.ok && r.prediction === items[i].truth).length;
    expect(correct / items.length).toBeGreaterThanOrEqual(0.85);
  });

  it('returns dataset-class probabilities that sum to 1, a top-5 with names and a latency', () => {
    for (const r of run.results) {
      if (!r.ok) throw new Error(`${r.source}: ${r.error}`);
      expect(r.probabilities).not.toBeNull();
      const probs = r.probabilities ?? [];
      expect(probs).toHaveLength(2);
      expect(Math.abs(probs[0] + probs[1] - 1)).toBeLessThan(1e-9);
      expect(r.prediction).toBe(probs[0] >= probs[1] ? 'cat' : 'dog');
      expect(r.unmappedMass).toBeGreaterThanOrEqual(0);
      expect(r.unmappedMass).toBeLessThan(1);
      expect(r.top5).toHaveLength(5);
      expect(r.top5.map((t) => t.label)).toEqual(r.top5.map((t) => model.labels[t.index]));
      for (let k = 1; k < 5; k++) expect(r.top5[k - 1].probability).toBeGreaterThanOrEqual(r.top5[k].probability);
      expect(r.latencyMs).toBeGreaterThan(0);
    }
  });

  it('puts an ImageNet cat class in the top-5 of tabby-patterned breeds', () => {
    const tabbyLike = run.results.filter((r) => /\/(Abyssinian|Bengal|Egyptian_Mau)_/.test(r.source));
    expect(tabbyLike.length).toBeGreaterThanOrEqual(3);
    for (const r of tabbyLike) {
      if (!r.ok) throw new Error(r.error);
      expect(r.top5.some((t) => isImagenetCat(t.index)), `${r.source}: ${r.top5.map((t) => t.label).join(', ')}`).toBe(true);
    }
  });

  it('reports a corrupt image without failing the rest of the batch', async () => {
    const good = readFileSync(items[0].path);
    const inputs = [items[0].path, Buffer.from('definitely not an image'), good.subarray(0, 3000), items[PER_CLASS].path];
    const r = await classifyImages(model, inputs, IMAGENET_CATS_VS_DOGS);
    expect(r.results.map((x) => x.ok)).toEqual([true, false, false, true]);
    const bad = r.results[1];
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.source).toBe('buffer #1');
      expect(bad.error).toMatch(/Could not read image: .*unsupported image format/);
    }
    const truncated = r.results[2];
    if (!truncated.ok) expect(truncated.error).toMatch(/premature end/i);
    const [first, , , last] = r.results;
    expect(first.ok && first.prediction).toBe('cat');
    expect(last.ok && last.prediction).toBe('dog');
  });

  it('feeds the shared metrics with consistent totals', () => {
    const m = computeMetrics({
      labels: run.labels,
      wallTimeMs: run.wallTimeMs,
      rows: run.results.map((r, i) => ({
        truth: items[i].truth,
        prediction: r.ok ? r.prediction : null,
        ...(r.ok && r.probabilities !== null ? { probabilities: r.probabilities } : {}),
        latencyMs: r.latencyMs,
      })),
    });
    expect(m.n).toBe(2 * PER_CLASS);
    const total = m.confusion.counts.flat().reduce((a, b) => a + b, 0);
    expect(total).toBe(m.n);
    expect(m.confusion.counts.map((row) => row.reduce((a, b) => a + b, 0))).toEqual([PER_CLASS, PER_CLASS]);
    expect(m.confusion.counts[0][0] + m.confusion.counts[1][1]).toBe(m.correct);
    expect(m.accuracy).toBeGreaterThanOrEqual(0.85);
    expect(m.calibration?.n).toBe(m.n);
    expect(m.latency?.n).toBe(m.n);
    expect(m.throughputPerSec).toBeGreaterThan(0);
  });
});
