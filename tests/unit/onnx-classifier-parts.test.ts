/** Loader validation, class mapping and preprocessing of the plain ONNX classifier, checked in isolation. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import {
  applyClassMapping,
  CLASS_MAPPING_PRESETS,
  IMAGENET_CATS_VS_DOGS,
  resolveClassMapping,
  softmax,
} from '../../src/main/inference/classifier/class-mapping';
import { loadOnnxClassifier, readLabels } from '../../src/main/inference/classifier/load-onnx-classifier';
import { IMAGENET_MEAN, IMAGENET_STD, preprocessImage, stackNchw } from '../../src/main/inference/classifier/preprocess';
import { asset } from '../support/assets';

const MODEL_DIR = asset('models', 'mobilenetv2-12-int8');
const MODEL = join(MODEL_DIR, 'mobilenetv2-12-int8.onnx');
const LABELS = readFileSync(join(MODEL_DIR, 'labels.txt'), 'utf8').split('\n');
const tmp = mkdtempSync(join(tmpdir(), 'onnx-classifier-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function folder(name: string, labels: string | null, models: string[] = ['model.onnx']): string {
  const dir = join(tmp, name);
  mkdirSync(dir);
  for (const m of models) symlinkSync(MODEL, join(dir, m));
  if (labels !== null) writeFileSync(join(dir, 'labels.txt'), labels);
  return dir;
}

describe('loadOnnxClassifier', () => {
  it('loads a folder with model.onnx and a labels file with a trailing newline', async () => {
    const m = await loadOnnxClassifier(folder('ok', LABELS.join('\n') + '\n'));
    expect(m.labels).toHaveLength(1000);
    expect(m.modelPath.endsWith('model.onnx')).toBe(true);
    await m.session.release();
  });

  it('rejects a labels file whose count does not match the output dimension', async () => {
    const dir = folder('short', LABELS.slice(0, 999).join('\n'));
    await expect(loadOnnxClassifier(dir)).rejects.toThrow('labels.txt has 999 labels but model.onnx outputs 1000 classes');
  });

  it('explains missing labels, missing models, ambiguous folders and blank labels', async () => {
    await expect(loadOnnxClassifier(folder('nolabels', null))).rejects.toThrow(/Labels file .*labels\.txt not found/);
    await expect(loadOnnxClassifier(folder('empty', 'a\n', []))).rejects.toThrow(/No \.onnx model in folder/);
    await expect(loadOnnxClassifier(folder('two', LABELS.join('\n'), ['a.onnx', 'b.onnx']))).rejects.toThrow(/several models \(a\.onnx, b\.onnx\)/);
    await expect(loadOnnxClassifier(join(tmp, 'missing'))).rejects.toThrow(/not found/);
    writeFileSync(join(tmp, 'blank.txt'), 'cat\n\ndog\n');
    await expect(readLabels(join(tmp, 'blank.txt'))).rejects.toThrow(/line 2 is blank/);
  });

  it('accepts a path to the .onnx file itself', async () => {
    const m = await loadOnnxClassifier(MODEL);
    expect(m.labelsPath).toBe(join(MODEL_DIR, 'labels.txt'));
    await m.session.release();
  });
});

describe('class mapping', () => {
  it('the cats-vs-dogs preset covers ImageNet cats 281–285 and dogs 151–268', () => {
    const r = resolveClassMapping(CLASS_MAPPING_PRESETS['imagenet-cats-vs-dogs'], 1000);
    expect(r.labels).toEqual(['cat', 'dog']);
    expect(r.groups[0].map((i) => LABELS[i])).toEqual(['tabby', 'tiger cat', 'Persian cat', 'Siamese cat', 'Egyptian cat']);
    expect(r.groups[1]).toHaveLength(118);
    expect([LABELS[r.groups[1][0]], LABELS[r.groups[1][117]]]).toEqual(['Chihuahua', 'Mexican hairless']);
  });

  it('sums mass per group, renormalises over mapped mass and reports the unmapped mass', () => {
    const r = resolveClassMapping({ name: 't', classes: [{ label: 'a', modelClasses: [0, { from: 1, to: 2 }] }, { label: 'b', modelClasses: [4] }] }, 5);
    const m = applyClassMapping(r, [0.1, 0.1, 0.1, 0.5, 0.2]);
    expect(m.prediction).toBe('a');
    expect(m.probabilities?.[0]).toBeCloseTo(0.6, 12);
    expect(m.probabilities?.[1]).toBeCloseTo(0.4, 12);
    expect(m.unmappedMass).toBeCloseTo(0.5, 12);
    expect(applyClassMapping(r, [0, 0, 0, 1, 0])).toEqual({ probabilities: null, prediction: null, unmappedMass: 1, oodMass: 1 });
  });

  it('rejects overlapping, out-of-range and empty mappings', () => {
    const overlap = { name: 'o', classes: [{ label: 'a', modelClasses: [{ from: 0, to: 3 }] }, { label: 'b', modelClasses: [3] }] };
    expect(() => resolveClassMapping(overlap, 10)).toThrow(/model class 3 is mapped to both "a" and "b"/);
    expect(() => resolveClassMapping(IMAGENET_CATS_VS_DOGS, 100)).toThrow(/fall outside 0–99/);
    expect(() => resolveClassMapping({ name: 'e', classes: [{ label: 'a', modelClasses: [] }] }, 10)).toThrow(/no model classes/);
  });

  it('softmax is stable for large logits', () => {
    const p = softmax([1000, 1000, 0]);
    expect(p[0]).toBeCloseTo(0.5, 12);
    expect(p[2]).toBe(0);
  });
});

describe('preprocess', () => {
  it('normalises a solid colour with the ImageNet mean/std into NCHW planes', async () => {
    const png = await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 255, g: 128, b: 0 } } }).png().toBuffer();
    const t = await preprocessImage(png);
    expect(t).toHaveLength(3 * 224 * 224);
    const expected = [255, 128, 0].map((v, c) => (v / 255 - IMAGENET_MEAN[c]) / IMAGENET_STD[c]);
    for (const [c, idx] of [[0, 0], [1, 25_000], [2, 50_175]] as const) {
      expect(t[c * 50_176 + idx]).toBeCloseTo(expected[c], 5);
    }
  });

  it('resizes the shorter side to 256 and centre-crops 224 (a 40px stripe at the left edge of 400×300 is cut)', async () => {
    const base = sharp({ create: { width: 400, height: 300, channels: 3, background: { r: 0, g: 0, b: 0 } } });
    const stripe = await sharp({ create: { width: 40, height: 300, channels: 3, background: { r: 255, g: 255, b: 255 } } }).png().toBuffer();
    const dot = await sharp({ create: { width: 20, height: 20, channels: 3, background: { r: 255, g: 255, b: 255 } } }).png().toBuffer();
    const img = await base.composite([{ input: stripe, left: 0, top: 0 }, { input: dot, left: 190, top: 140 }]).png().toBuffer();
    const t = await preprocessImage(img);
    const black = (0 - IMAGENET_MEAN[0]) / IMAGENET_STD[0];
    expect(t[112 * 224 + 0]).toBeCloseTo(black, 5); // left edge of the crop: stripe gone
    expect(t[112 * 224 + 112]).toBeGreaterThan(2); // centre dot survives
  });

  it('stacks CHW tensors into NCHW with zero padding', () => {
    const out = stackNchw([new Float32Array([1, 2]), new Float32Array([3, 4])], 3);
    expect(Array.from(out)).toEqual([1, 2, 3, 4, 0, 0]);
  });
});

describe('top-k selection', () => {
  it('equals a full sort (ties by lower index) on random and tied rows', async () => {
    const { topK } = await import('../../src/main/inference/classifier/classify');
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    for (let trial = 0; trial < 50; trial++) {
      const n = 1 + Math.floor(rnd() * 40);
      const probs = Array.from({ length: n }, () => Math.round(rnd() * 8) / 8); // many ties
      const labels = probs.map((_, i) => `c${i}`);
      const k = 1 + Math.floor(rnd() * 6);
      const reference = probs
        .map((probability, index) => ({ index, label: labels[index], probability }))
        .sort((a, b) => b.probability - a.probability || a.index - b.index)
        .slice(0, k);
      expect(topK(probs, labels, k)).toEqual(reference);
    }
  });
});
