/** Pre-norm bidirectional transformer layers for the 'bench'-size vision encoders (self-attention + MLP). */
import type { GraphBuilder } from './onnx-builder';
import type { VisionLayersSpec } from './sizes';

/**
 * Applies `spec.layers` encoder layers to `x` [B, N, D]. `keyBias` (optional, broadcastable to
 * [B, heads, N, N]) is added to the attention scores, e.g. -1e9 on padded patches.
 * Returns `x` unchanged (no nodes, no weights) when spec.layers is 0.
 */
export function encoderLayers(g: GraphBuilder, x: string, D: number, spec: VisionLayersSpec, keyBias?: string): string {
  const headDim = D / spec.heads;
  const std = 1 / Math.sqrt(D);
  const split = (t: string): string =>
    g.op('Transpose', [g.op('Reshape', [t, g.constInt([0, 0, spec.heads, headDim], [4])])], { perm: [0, 2, 1, 3] });
  for (let i = 0; i < spec.layers; i++) {
    const h = g.rmsNorm(x, D);
    const q = split(g.matmul(h, g.weight(`vision.layers.${i}.q_proj`, [D, D], std)));
    const k = split(g.matmul(h, g.weight(`vision.layers.${i}.k_proj`, [D, D], std)));
    const v = split(g.matmul(h, g.weight(`vision.layers.${i}.v_proj`, [D, D], std)));
    let scores = g.mul(g.matmul(q, g.op('Transpose', [k], { perm: [0, 1, 3, 2] })), g.constFloat([1 / Math.sqrt(headDim)], []));
    if (keyBias) scores = g.add(scores, keyBias);
    const ctx = g.matmul(g.op('Softmax', [scores], { axis: -1 }), v);
    const merged = g.op('Reshape', [g.op('Transpose', [ctx], { perm: [0, 2, 1, 3] }), g.constInt([0, 0, D], [3])]);
    x = g.add(x, g.matmul(merged, g.weight(`vision.layers.${i}.o_proj`, [D, D], std)));
    const m = g.rmsNorm(x, D);
    const up = g.silu(g.matmul(m, g.weight(`vision.layers.${i}.fc1`, [D, spec.ffn], std)));
    x = g.add(x, g.matmul(up, g.weight(`vision.layers.${i}.fc2`, [spec.ffn, D], 1 / Math.sqrt(spec.ffn))));
  }
  return x;
}
