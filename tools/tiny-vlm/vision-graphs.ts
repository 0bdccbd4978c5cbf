/** Tiny vision_encoder graphs: LFM2-VL (patch sequences + spatial_shapes) and Idefics3/SmolVLM (image frames). */
import { encoderLayers } from './encoder-layers';
import { GraphBuilder, type WeightOptions } from './onnx-builder';
import type { VisionLayersSpec } from './sizes';

export interface Lfm2VisionSpec {
  /** Flattened patch size: encoder_patch_size² × 3 (768 for 16-pixel patches). */
  patchDim: number;
  visionHidden: number;
  textHidden: number;
  /** Encoder layers over the patch sequence (absent or 0 layers in the tiny size). */
  layers?: VisionLayersSpec;
}

/**
 * LFM2-VL: `pixel_values` f32 [B,P,patchDim], `pixel_attention_mask` i64 [B,P], `spatial_shapes` i64 [B,2]
 * → `image_features` [N, textHidden], N = Σ ceil(h/2)·ceil(w/2) (2×2 pixel-unshuffle of each tile's valid
 * patches, like the real projector), so the row count equals the `<image>` tokens the processor emits.
 */
export function buildLfm2Vision(spec: Lfm2VisionSpec, weights: WeightOptions): Uint8Array {
  const g = new GraphBuilder('vision_encoder', weights);
  const { patchDim, visionHidden: D, textHidden: H } = spec;
  const pv = g.input('pixel_values', 'float32', ['batch_size', 'num_patches', patchDim]);
  const pm = g.input('pixel_attention_mask', 'int64', ['batch_size', 'num_patches']);
  const ss = g.input('spatial_shapes', 'int64', ['batch_size', 2]);
  const embedded = g.add(g.matmul(pv, g.weight('vision.patch_embedding', [patchDim, D], 1 / Math.sqrt(patchDim))), g.fill([D], 0));
  let masked = g.mul(embedded, g.unsqueeze(g.op('Cast', [pm], { to: 1 }), [2]));
  if (spec.layers && spec.layers.layers > 0) {
    // padded patches get -1e9 as attention keys: bias[b, 0, 0, p]
    const keyOk = g.unsqueeze(g.op('Cast', [pm], { to: 9 }), [1, 2]);
    const bias = g.op('Where', [keyOk, g.constFloat([0], []), g.constFloat([-1e9], [])]);
    masked = encoderLayers(g, masked, D, spec.layers, bias);
  }
  const flat = g.op('Reshape', [masked, g.constInt([-1, D], [2])]);
  const P = g.dim(pv, 1);

  const i1 = g.constInt([1], []);
  const i2 = g.constInt([2], []);
  const h = g.op('Gather', [ss, g.constInt([0], [])], { axis: 1 });
  const w = g.op('Gather', [ss, i1], { axis: 1 });
  const hh = g.op('Div', [g.add(h, i1), i2]);
  const ww = g.op('Div', [g.add(w, i1), i2]);
  const count = g.mul(hh, ww);
  const cum = g.op('CumSum', [count, g.constInt([0], [])]);
  const total = g.op('ReduceSum', [count, g.constInt([0], [1])], { keepdims: 0 });
  const r = g.op('Range', [g.constInt([0], []), total, i1]);
  // tile index of each output row = number of cumulative counts ≤ row index
  const ge = g.op('GreaterOrEqual', [g.unsqueeze(r, [1]), g.unsqueeze(cum, [0])]);
  const tile = g.op('ReduceSum', [g.op('Cast', [ge], { to: 7 }), g.constInt([1], [1])], { keepdims: 0 });
  const start = g.op('Sub', [cum, count]);
  const local = g.op('Sub', [r, g.op('Gather', [start, tile], { axis: 0 })]);
  const wwT = g.op('Gather', [ww, tile], { axis: 0 });
  const hT = g.op('Gather', [h, tile], { axis: 0 });
  const wT = g.op('Gather', [w, tile], { axis: 0 });
  const row = g.op('Div', [local, wwT]);
  const col = g.op('Mod', [local, wwT]);
  const base = g.mul(tile, P);
  const parts: string[] = [];
  for (const [dy, dx] of [[0, 0], [0, 1], [1, 0], [1, 1]]) {
    const y = g.op('Min', [g.add(g.mul(row, i2), g.constInt([dy], [])), g.op('Sub', [hT, i1])]);
    const x = g.op('Min', [g.add(g.mul(col, i2), g.constInt([dx], [])), g.op('Sub', [wT, i1])]);
    const idx = g.add(base, g.add(g.mul(y, wT), x));
    parts.push(g.op('Gather', [flat, idx], { axis: 0 }));
  }
  const grouped = g.op('Concat', parts, { axis: 1 });
  const hidden = g.op('Tanh', [g.matmul(grouped, g.weight('vision.projector.linear_1', [4 * D, H], 1 / Math.sqrt(4 * D)))]);
  const features = g.matmul(hidden, g.weight('vision.projector.linear_2', [H, H], 2 / Math.sqrt(H)));
  g.output(features, 'image_features', 'float32', ['num_image_tokens', H]);
  return g.encode();
}

export interface Idefics3VisionSpec {
  patchSize: number;
  /** Pixel-shuffle factor (`scale_factor` in config.json). */
  scaleFactor: number;
  visionHidden: number;
  textHidden: number;
  /** Encoder layers over each frame's patches (absent or 0 layers in the tiny size). */
  layers?: VisionLayersSpec;
}

/**
 * SmolVLM/Idefics3: `pixel_values` f32 [B,N,3,H,W], `pixel_attention_mask` bool [B,N,H,W]
 * → `image_features` [B·N, image_seq_len, textHidden], image_seq_len = (H/patch/scale)².
 */
export function buildIdefics3Vision(spec: Idefics3VisionSpec, weights: WeightOptions): Uint8Array {
  const g = new GraphBuilder('vision_encoder', weights);
  const { patchSize, scaleFactor, visionHidden: D, textHidden: H } = spec;
  const pv = g.input('pixel_values', 'float32', ['batch_size', 'num_images', 3, 'height', 'width']);
  const pm = g.input('pixel_attention_mask', 'bool', ['batch_size', 'num_images', 'height', 'width']);
  const shape = g.op('Shape', [pv]);
  const hw = g.op('Slice', [shape, g.constInt([3], [1]), g.constInt([5], [1]), g.constInt([0], [1])]);
  const frames = g.op('Reshape', [pv, g.op('Concat', [g.constInt([-1, 3], [2]), hw], { axis: 0 })]);
  const mask = g.op('Reshape', [g.op('Cast', [pm], { to: 1 }), g.op('Concat', [g.constInt([-1, 1], [2]), hw], { axis: 0 })]);
  let patches = g.op('Conv', [g.mul(frames, mask), g.weight('vision.patch_embedding', [D, 3, patchSize, patchSize], 1 / Math.sqrt(3 * patchSize * patchSize))], {
    kernel_shape: [patchSize, patchSize],
    strides: [patchSize, patchSize],
  });
  if (spec.layers && spec.layers.layers > 0) {
    // [F, D, h, w] → [F, h·w, D] → encoder layers → back to [F, D, h, w]
    const pShape = g.op('Shape', [patches]);
    const seq = g.op('Transpose', [g.op('Reshape', [patches, g.constInt([0, D, -1], [3])])], { perm: [0, 2, 1] });
    const encoded = encoderLayers(g, seq, D, spec.layers);
    patches = g.op('Reshape', [g.op('Transpose', [encoded], { perm: [0, 2, 1] }), pShape]);
  }
  const shuffled = g.op('SpaceToDepth', [patches], { blocksize: scaleFactor });
  const D2 = D * scaleFactor * scaleFactor;
  const tokens = g.op('Transpose', [g.op('Reshape', [shuffled, g.constInt([0, D2, -1], [3])])], { perm: [0, 2, 1] });
  const hidden = g.op('Tanh', [g.matmul(tokens, g.weight('vision.connector.proj', [D2, H], 1 / Math.sqrt(D2)))]);
  const features = g.matmul(hidden, g.weight('vision.connector.out', [H, H], 2 / Math.sqrt(H)));
  g.output(features, 'image_features', 'float32', ['num_frames', 'image_seq_len', H]);
  return g.encode();
}
