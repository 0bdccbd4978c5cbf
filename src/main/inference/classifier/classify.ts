/** Runs a plain ONNX classifier over images and reports dataset-class probabilities per image. */
import * as ort from 'onnxruntime-node';
import { assertNever } from '../../../shared/assert-never';
import {
  applyClassMapping,
  identityMapping,
  looksLikeProbabilities,
  resolveClassMapping,
  softmax,
  type ClassMapping,
  type ResolvedMapping,
} from './class-mapping';
import type { OnnxClassifier } from './load-onnx-classifier';
import { preprocessBatch, type ImageInput } from './preprocess';

/** How to read the model's output row: 'auto' uses it as-is when it already sums to 1, else applies softmax. */
export type OutputKind = 'auto' | 'logits' | 'probabilities';

export interface ClassifyOptions {
  /** Images per session.run (ignored when the model fixes its batch size). Default 8. */
  batchSize?: number;
  output?: OutputKind;
  topK?: number;
}

export interface ModelClassScore {
  index: number;
  label: string;
  probability: number;
}

export type ClassifiedImage =
  | {
      ok: true;
      /** Position in the input list. */
      index: number;
      /** The path, or "buffer #i" for in-memory images. */
      source: string;
      /** Dataset-class probabilities aligned with ClassifyResult.labels; null when no mass was mapped. */
      probabilities: number[] | null;
      prediction: string | null;
      unmappedMass: number;
      /** Model probability mass outside every explicitly mapped class (see applyClassMapping). */
      oodMass: number;
      /** Highest-probability model classes, with the model's own names. */
      top5: ModelClassScore[];
      /** This image's own decode+preprocess time plus an equal share of its batch's inference time. */
      latencyMs: number;
    }
  | { ok: false; index: number; source: string; error: string; latencyMs: number };

export interface ClassifyResult {
  /** Dataset classes (the mapping's, or the model's own labels without a mapping). */
  labels: string[];
  results: ClassifiedImage[];
  wallTimeMs: number;
}

/** Classifies every input; images that fail to decode get { ok: false, error } and the rest still run. */
export async function classifyImages(
  model: OnnxClassifier,
  inputs: readonly ImageInput[],
  mapping: ClassMapping | null,
  options: ClassifyOptions = {},
): Promise<ClassifyResult> {
  const started = performance.now();
  const resolved = mapping === null ? identityMapping(model.labels) : resolveClassMapping(mapping, model.labels.length);
  const batchSize = model.fixedBatchSize ?? options.batchSize ?? 8;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be a positive integer, got ${batchSize}`);
  const results: ClassifiedImage[] = [];
  for (let start = 0; start < inputs.length; start += batchSize) {
    const chunk = inputs.slice(start, start + batchSize);
    results.push(...(await classifyChunk(model, chunk, start, resolved, options)));
  }
  return { labels: resolved.labels, results, wallTimeMs: performance.now() - started };
}

async function classifyChunk(
  model: OnnxClassifier,
  chunk: readonly ImageInput[],
  offset: number,
  mapping: ResolvedMapping,
  options: ClassifyOptions,
): Promise<ClassifiedImage[]> {
  const sourceOf = (i: number): string => {
    const input = chunk[i];
    return typeof input === 'string' ? input : `buffer #${offset + i}`;
  };
  const pre = await preprocessBatch(chunk, { cropHeight: model.inputHeight, cropWidth: model.inputWidth });
  const good = pre.flatMap((p, i) => (p.ok ? [{ i, tensor: p.tensor, ms: p.ms }] : []));
  const out: ClassifiedImage[] = pre.map((p, i) =>
    p.ok ? placeholder(offset + i, sourceOf(i)) : { ok: false, index: offset + i, source: sourceOf(i), error: `Could not read image: ${p.error}`, latencyMs: p.ms },
  );
  if (good.length === 0) return out;

  const rows = model.fixedBatchSize ?? good.length;
  const plane = 3 * model.inputHeight * model.inputWidth;
  // One image: feed its tensor as is (no 600 KB copy per image on the eval hot path).
  const data = rows === 1 ? good[0].tensor : new Float32Array(rows * plane);
  if (rows > 1) good.forEach((g, j) => data.set(g.tensor, j * plane));
  const runStart = performance.now();
  const feeds = { [model.inputName]: new ort.Tensor('float32', data, [rows, 3, model.inputHeight, model.inputWidth]) };
  const outputs = await model.session.run(feeds);
  const runShare = (performance.now() - runStart) / good.length;
  const logits = outputs[model.outputName].data as Float32Array;
  const classes = model.labels.length;
  if (logits.length !== rows * classes) throw new Error(`Model returned ${logits.length} values for ${rows}×${classes} outputs`);

  good.forEach((g, j) => {
    const modelProbs = toProbabilities(logits.subarray(j * classes, (j + 1) * classes), options.output ?? 'auto');
    const mapped = applyClassMapping(mapping, modelProbs);
    out[g.i] = {
      ok: true,
      index: offset + g.i,
      source: sourceOf(g.i),
      ...mapped,
      top5: topK(modelProbs, model.labels, options.topK ?? 5),
      latencyMs: g.ms + runShare,
    };
  });
  return out;
}

function placeholder(index: number, source: string): ClassifiedImage {
  return { ok: false, index, source, error: 'not classified', latencyMs: 0 };
}

function toProbabilities(row: Float32Array, kind: OutputKind): number[] {
  switch (kind) {
    case 'logits':
      return softmax(row);
    case 'probabilities':
      return Array.from(row);
    case 'auto':
      return looksLikeProbabilities(row) ? Array.from(row) : softmax(row);
    default:
      return assertNever(kind, 'output kind');
  }
}

/** The k most probable classes (ties by index), by insertion into a k-long list rather than sorting all 1000. */
export function topK(probs: readonly number[], labels: readonly string[], k: number): ModelClassScore[] {
  const best: number[] = [];
  for (let i = 0; i < probs.length; i++) {
    if (best.length === k && probs[i] <= probs[best[k - 1]]) continue;
    let at = best.length;
    while (at > 0 && probs[i] > probs[best[at - 1]]) at--;
    best.splice(at, 0, i);
    if (best.length > k) best.pop();
  }
  return best.map((index) => ({ index, label: labels[index], probability: probs[index] }));
}
