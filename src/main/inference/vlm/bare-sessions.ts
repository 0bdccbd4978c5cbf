/** Runs a VLM folder's three ONNX sessions directly with onnxruntime-node (greedy), as the bench baseline. */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { inspectModelDir } from './model-dir';
import type { VlmDevice, VlmDtypeSpec } from './types';

/** Anything tensor-shaped: transformers.js Tensors and ort.Tensors both fit. */
export interface TensorLike {
  type: string;
  data: unknown;
  dims: readonly number[];
}

export interface BareSessions {
  embed: ort.InferenceSession;
  vision: ort.InferenceSession;
  decoder: ort.InferenceSession;
  imageTokenId: number;
  release(): Promise<void>;
}

export interface BareRunOptions {
  maxNewTokens?: number;
  /** End tokens are masked for this many steps (like generate's min_new_tokens). */
  minNewTokens?: number;
  /** Generation stops after one of these is produced. Empty = always run maxNewTokens steps. */
  eosIds?: readonly number[];
}

export interface BareRunResult {
  tokenIds: number[];
  visionMs: number;
  prefillMs: number;
  decodeMs: number;
  totalMs: number;
}

export async function createBareSessions(modelDir: string, opts: { dtype?: VlmDtypeSpec; device?: VlmDevice } = {}): Promise<BareSessions> {
  const dir = resolve(modelDir);
  const info = inspectModelDir(dir, opts.dtype);
  const so: ort.InferenceSession.SessionOptions = { executionProviders: [opts.device ?? 'cpu'], logSeverityLevel: 3 };
  const open = (f: string) => ort.InferenceSession.create(readFileSync(join(dir, f)), so);
  const [embed, vision, decoder] = await Promise.all([
    open(info.onnxFiles.embed_tokens),
    open(info.onnxFiles.vision_encoder),
    open(info.onnxFiles.decoder_model_merged),
  ]);
  const imageTokenId = Number(info.config.image_token_id ?? info.config.image_token_index);
  return {
    embed,
    vision,
    decoder,
    imageTokenId,
    release: async () => {
      await Promise.all([embed.release(), vision.release(), decoder.release()]);
    },
  };
}

const toOrt = (t: TensorLike): ort.Tensor =>
  new ort.Tensor(t.type as ort.Tensor.Type, t.data as ort.Tensor.DataType, [...t.dims]);

function argmax(data: Float32Array, offset: number, size: number): number {
  let best = 0;
  for (let i = 1; i < size; i++) if (data[offset + i] > data[offset + best]) best = i;
  return best;
}

/** Empty past caches from the decoder's declared shapes: batch_size → 1, other symbolic dims → 0. */
function emptyCaches(decoder: ort.InferenceSession): Record<string, ort.Tensor> {
  const out: Record<string, ort.Tensor> = {};
  for (const meta of decoder.inputMetadata) {
    if (!meta.name.startsWith('past_') || !meta.isTensor) continue;
    const dims = meta.shape.map((d) => (typeof d === 'number' ? d : d === 'batch_size' ? 1 : 0));
    out[meta.name] = new ort.Tensor('float32', new Float32Array(dims.reduce((a, b) => a * b, 1)), dims);
  }
  return out;
}

/**
 * One image, batch 1: vision → embed → merge image rows into the `<image>` positions → decoder prefill
 * → greedy steps (embed + decoder each). `inputs` are the processor outputs (input_ids, pixel_values, …).
 */
export async function bareSessionsRun(model: string | BareSessions, inputs: Record<string, TensorLike>, opts: BareRunOptions = {}): Promise<BareRunResult> {
  const s = typeof model === 'string' ? await createBareSessions(model) : model;
  try {
    const t0 = performance.now();
    const visionFeeds: Record<string, ort.Tensor> = {};
    for (const name of s.vision.inputNames) visionFeeds[name] = toOrt(inputs[name]);
    const { image_features: feats } = await s.vision.run(visionFeeds);
    const t1 = performance.now();
    const ids = inputs.input_ids.data as BigInt64Array;
    const { inputs_embeds: emb } = await s.embed.run({ input_ids: toOrt(inputs.input_ids) });
    const H = emb.dims[2];
    const embData = emb.data as Float32Array;
    const featData = feats.data as Float32Array;
    let row = 0;
    for (let i = 0; i < ids.length; i++) {
      if (Number(ids[i]) !== s.imageTokenId) continue;
      if ((row + 1) * H > featData.length) throw new Error('more <image> tokens than image feature rows');
      embData.set(featData.subarray(row * H, (row + 1) * H), i * H);
      row++;
    }
    if (row * H !== featData.length) throw new Error(`image tokens (${row}) ≠ feature rows (${featData.length / H})`);

    const hasPos = s.decoder.inputNames.includes('position_ids');
    let caches = emptyCaches(s.decoder);
    let embeds: ort.Tensor = emb;
    let past = 0;
    const tokenIds: number[] = [];
    const eos = new Set(opts.eosIds ?? []);
    const maxNew = opts.maxNewTokens ?? 8;
    let prefillMs = 0;
    for (let step = 0; step < maxNew; step++) {
      const ts = performance.now();
      const S = embeds.dims[1];
      const feeds: Record<string, ort.Tensor> = {
        ...caches,
        inputs_embeds: embeds,
        attention_mask: new ort.Tensor('int64', new BigInt64Array(past + S).fill(1n), [1, past + S]),
      };
      if (hasPos) feeds.position_ids = new ort.Tensor('int64', BigInt64Array.from({ length: S }, (_, k) => BigInt(past + k)), [1, S]);
      const out = await s.decoder.run(feeds);
      const logits = out.logits.data as Float32Array;
      const V = out.logits.dims[2];
      const off = (S - 1) * V;
      if (step < (opts.minNewTokens ?? 0)) for (const e of eos) logits[off + e] = -Infinity;
      const next = argmax(logits, off, V);
      tokenIds.push(next);
      caches = {};
      for (const [name, t] of Object.entries(out)) {
        if (name.startsWith('present')) caches[name.replace('present_conv', 'past_conv').replace('present', 'past_key_values')] = t;
      }
      past += S;
      if (step === 0) prefillMs = performance.now() - ts;
      if (eos.has(next)) break;
      if (step + 1 < maxNew) {
        embeds = (await s.embed.run({ input_ids: new ort.Tensor('int64', BigInt64Array.of(BigInt(next)), [1, 1]) })).inputs_embeds;
      }
    }
    const t2 = performance.now();
    return { tokenIds, visionMs: t1 - t0, prefillMs, decodeMs: t2 - t1 - prefillMs, totalMs: t2 - t0 };
  } finally {
    if (typeof model === 'string') await s.release();
  }
}
