/** Tiny embed_tokens and decoder_model_merged graphs with the I/O names transformers.js expects. */
import { GraphBuilder, type WeightOptions } from './onnx-builder';

export type LayerKind = 'conv' | 'full_attention';

export interface TextSpec {
  vocabSize: number;
  hidden: number;
  heads: number;
  /** Key/value heads; the tiny graphs broadcast one shared KV head over all query heads. */
  kvHeads: 1;
  headDim: number;
  ffn: number;
  layerTypes: LayerKind[];
  /** SmolVLM/Llama decoders take `position_ids`; the LFM2-VL export does not. */
  positionIdsInput: boolean;
  /** Width of the LFM2 short-conv cache (`conv_L_cache`). */
  convCache: number;
}

// "to the end" for Slice (exactly representable as a JS number and as int64)
const INT64_MAX = Number.MAX_SAFE_INTEGER;

/** `input_ids` [batch_size, sequence_length] → `inputs_embeds` [batch_size, sequence_length, hidden]. */
export function buildEmbedTokens(spec: TextSpec, weights: WeightOptions): Uint8Array {
  const g = new GraphBuilder('embed_tokens', weights);
  const ids = g.input('input_ids', 'int64', ['batch_size', 'sequence_length']);
  const table = g.weight('model.embed_tokens.weight', [spec.vocabSize, spec.hidden], 1.0);
  g.output(g.op('Gather', [table, ids], { axis: 0 }), 'inputs_embeds', 'float32', ['batch_size', 'sequence_length', spec.hidden]);
  return g.encode();
}

/** Sinusoidal positions added to the residual stream (stand-in for RoPE; keeps order information). */
function addPositions(g: GraphBuilder, x: string, posF: string, hidden: number): string {
  const freq = Array.from({ length: hidden }, (_, i) => 1 / Math.pow(100, Math.floor(i / 2) / (hidden / 2)));
  const phase = Array.from({ length: hidden }, (_, i) => (i % 2 === 0 ? 0 : Math.PI / 2));
  const angle = g.add(g.mul(posF, g.constFloat(freq, [hidden])), g.constFloat(phase, [hidden]));
  return g.add(x, g.mul(g.op('Sin', [angle]), g.constFloat([0.5], [])));
}

function attentionLayer(g: GraphBuilder, spec: TextSpec, i: number, x: string, bias: string): { out: string; key: string; value: string } {
  const { hidden, heads, headDim } = spec;
  const std = 1 / Math.sqrt(hidden);
  const h = g.rmsNorm(x, hidden);
  const split = (t: string, n: number): string =>
    g.op('Transpose', [g.op('Reshape', [t, g.constInt([0, 0, n, headDim], [4])])], { perm: [0, 2, 1, 3] });
  const q = split(g.matmul(h, g.weight(`layers.${i}.q_proj`, [hidden, heads * headDim], std)), heads);
  const k = split(g.matmul(h, g.weight(`layers.${i}.k_proj`, [hidden, headDim], std)), 1);
  const v = split(g.matmul(h, g.weight(`layers.${i}.v_proj`, [hidden, headDim], std)), 1);
  const pastK = g.input(`past_key_values.${i}.key`, 'float32', ['batch_size', 1, 'past_sequence_length', headDim]);
  const pastV = g.input(`past_key_values.${i}.value`, 'float32', ['batch_size', 1, 'past_sequence_length', headDim]);
  const key = g.op('Concat', [pastK, k], { axis: 2 });
  const value = g.op('Concat', [pastV, v], { axis: 2 });
  const scores = g.matmul(q, g.op('Transpose', [key], { perm: [0, 1, 3, 2] }));
  const scaled = g.add(g.mul(scores, g.constFloat([1 / Math.sqrt(headDim)], [])), bias);
  const ctx = g.matmul(g.op('Softmax', [scaled], { axis: -1 }), value);
  const merged = g.op('Reshape', [g.op('Transpose', [ctx], { perm: [0, 2, 1, 3] }), g.constInt([0, 0, heads * headDim], [3])]);
  const out = g.add(x, g.matmul(merged, g.weight(`layers.${i}.o_proj`, [heads * headDim, hidden], std)));
  return { out, key, value };
}

function convLayer(g: GraphBuilder, spec: TextSpec, i: number, x: string): { out: string; state: string } {
  const { hidden, convCache } = spec;
  const std = 1 / Math.sqrt(hidden);
  const h = g.rmsNorm(x, hidden);
  const bcx = g.matmul(h, g.weight(`layers.${i}.conv.in_proj`, [hidden, 3 * hidden], std));
  const [b, c, xx] = g.opN('Split', [bcx, g.constInt([hidden, hidden, hidden], [3])], { axis: -1 }, 3);
  const bx = g.op('Transpose', [g.mul(b, xx)], { perm: [0, 2, 1] });
  const past = g.input(`past_conv.${i}`, 'float32', ['batch_size', hidden, convCache]);
  const cat = g.op('Concat', [past, bx], { axis: 2 });
  const state = g.sliceAxis(cat, 2, -convCache, INT64_MAX);
  const convIn = g.sliceAxis(cat, 2, 1, INT64_MAX);
  const conv = g.op('Conv', [convIn, g.weight(`layers.${i}.conv.conv`, [hidden, 1, convCache], 0.6)], {
    group: hidden,
    kernel_shape: [convCache],
  });
  const y = g.mul(c, g.op('Transpose', [conv], { perm: [0, 2, 1] }));
  const out = g.add(x, g.matmul(y, g.weight(`layers.${i}.conv.out_proj`, [hidden, hidden], std)));
  return { out, state };
}

function mlp(g: GraphBuilder, spec: TextSpec, i: number, x: string): string {
  const { hidden, ffn } = spec;
  const h = g.rmsNorm(x, hidden);
  const gate = g.matmul(h, g.weight(`layers.${i}.mlp.w1`, [hidden, ffn], 1 / Math.sqrt(hidden)));
  const up = g.matmul(h, g.weight(`layers.${i}.mlp.w3`, [hidden, ffn], 1 / Math.sqrt(hidden)));
  const down = g.weight(`layers.${i}.mlp.w2`, [ffn, hidden], 1 / Math.sqrt(ffn));
  return g.add(x, g.matmul(g.mul(g.silu(gate), up), down));
}

/**
 * `inputs_embeds`, `attention_mask`, [`position_ids`], past caches → `logits` + present caches.
 * Attention layers read `past_key_values.{i}.key|value`, conv layers `past_conv.{i}` (LFM2 naming).
 */
export function buildDecoder(spec: TextSpec, weights: WeightOptions): Uint8Array {
  const g = new GraphBuilder('decoder_model_merged', weights);
  const H = spec.hidden;
  let x = g.input('inputs_embeds', 'float32', ['batch_size', 'sequence_length', H]);
  const mask = g.input('attention_mask', 'int64', ['batch_size', 'total_sequence_length']);
  const S = g.dim(x, 1);
  const T = g.dim(mask, 1);
  const P = g.op('Sub', [T, S]);
  const one = g.constInt([1], []);
  const qPos = g.op('Range', [P, T, one]);
  let posF: string;
  if (spec.positionIdsInput) {
    const pos = g.input('position_ids', 'int64', ['batch_size', 'sequence_length']);
    posF = g.unsqueeze(g.op('Cast', [pos], { to: 1 }), [2]);
  } else {
    posF = g.unsqueeze(g.op('Cast', [qPos], { to: 1 }), [1]);
  }
  x = addPositions(g, x, posF, H);
  // bias[b, 0, s, t] = 0 where key t is causal for query s and not padding, else -1e9.
  const kPos = g.op('Range', [g.constInt([0], []), T, one]);
  const causal = g.op('LessOrEqual', [g.unsqueeze(kPos, [0]), g.unsqueeze(qPos, [1])]);
  const notPad = g.unsqueeze(g.op('Cast', [mask], { to: 9 }), [1, 2]);
  const allowed = g.op('And', [g.unsqueeze(causal, [0, 1]), notPad]);
  const bias = g.op('Where', [allowed, g.constFloat([0], []), g.constFloat([-1e9], [])]);

  const presents: { tensor: string; name: string; dims: (number | string)[] }[] = [];
  spec.layerTypes.forEach((kind, i) => {
    if (kind === 'conv') {
      const { out, state } = convLayer(g, spec, i, x);
      x = out;
      presents.push({ tensor: state, name: `present_conv.${i}`, dims: ['batch_size', H, spec.convCache] });
    } else {
      const { out, key, value } = attentionLayer(g, spec, i, x, bias);
      x = out;
      const dims = ['batch_size', 1, 'total_sequence_length', spec.headDim];
      presents.push({ tensor: key, name: `present.${i}.key`, dims }, { tensor: value, name: `present.${i}.value`, dims });
    }
    x = mlp(g, spec, i, x);
  });
  const logits = g.matmul(g.rmsNorm(x, H), g.weight('lm_head', [H, spec.vocabSize], 2.5 / Math.sqrt(H)));
  g.output(logits, 'logits', 'float32', ['batch_size', 'sequence_length', spec.vocabSize]);
  for (const p of presents) g.output(p.tensor, p.name, 'float32', p.dims);
  return g.encode();
}
