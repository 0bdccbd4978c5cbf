/** Numerically stable log-softmax helpers over rows of a flat logits array. */

/** log Σ exp(row) for data[offset .. offset+size). */
export function logSumExp(data: ArrayLike<number>, offset: number, size: number): number {
  let max = -Infinity;
  for (let i = 0; i < size; i++) max = Math.max(max, data[offset + i]);
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (let i = 0; i < size; i++) sum += Math.exp(data[offset + i] - max);
  return max + Math.log(sum);
}

/** log Σ exp over a subset of a row. */
export function logSumExpSubset(data: ArrayLike<number>, offset: number, ids: readonly number[]): number {
  let max = -Infinity;
  for (const id of ids) max = Math.max(max, data[offset + id]);
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (const id of ids) sum += Math.exp(data[offset + id] - max);
  return max + Math.log(sum);
}

/** log p(target | row) at position `pos` of batch row `row` of [B, S, V] logits (a transformers.js or onnxruntime tensor). */
export function rowLogProb(logits: { dims: readonly number[]; data: unknown }, row: number, pos: number, target: number): number {
  const [, S, V] = logits.dims;
  const off = (row * S + pos) * V;
  const data = logits.data as Float32Array;
  return data[off + target] - logSumExp(data, off, V);
}

/** Softmax of log-scores (sums to 1). */
export function softmax(logScores: readonly number[]): number[] {
  const max = Math.max(...logScores);
  const exps = logScores.map((s) => Math.exp(s - max));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / total);
}
