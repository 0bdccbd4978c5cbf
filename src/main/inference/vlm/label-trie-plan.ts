/** Plans scored mode's decoder calls over the label trie: which prefixes run in which call, and where each log-prob is read. */

/**
 * Cost model, in units of one fed token's compute (measured on the bench-size LFM2-VL, CPU: ~4.3 ms per fed token,
 * ~80 ms fixed per decoder call, ~4 ms per batch row over a 714-token prompt — each row re-reads its own cache).
 */
export const CALL_COST_TOKENS = 20;
/** Per batch row, per cached (prompt + label) position it attends to. */
export const ROW_COST_PER_CACHED_TOKEN = 1 / 700;

/** One batch row of a call: tokens at label positions [from, from + tokens.length), continuing `parent`'s cache. */
export interface PlanRow {
  tokens: number[];
  /** Row of the previous call whose cache this row continues (-1 in the first call: the prompt's cache). */
  parent: number;
}

/** Where one token log-prob of one label is read: logits of `row` at `pos` in call `call`, for token `target`. */
export interface PlanRead {
  label: number;
  /** Index into the label's log-prob list (label tokens, then the end token). */
  slot: number;
  row: number;
  pos: number;
  /** The label token id, or -1 for the end-of-turn token. */
  target: number;
}

export interface PlanCall {
  /** Label positions [from, to) this call feeds; every row has `to - from` inputs (shorter ones are padded). */
  from: number;
  to: number;
  rows: PlanRow[];
  reads: PlanRead[];
}

/** Distinct prefixes per call between label depths d and e; labels ending before e reuse a longer row when they can. */
function rowsBetween(sequences: readonly (readonly number[])[], d: number, e: number): { rows: { key: string; tokens: number[] }[]; rowOf: Map<number, number> } {
  const rows: { key: string; tokens: number[] }[] = [];
  const byKey = new Map<string, number>();
  const rowOf = new Map<number, number>();
  const order = sequences.map((s, i) => i).filter((i) => sequences[i].length > d);
  order.sort((a, b) => sequences[b].length - sequences[a].length);
  for (const label of order) {
    const seq = sequences[label];
    const key = seq.slice(0, Math.min(seq.length, e)).join(',');
    let row = byKey.get(key);
    // A label that ends inside this call can read its end token from any longer row it is a prefix of (causal model).
    if (row === undefined && seq.length < e) row = rows.findIndex((r) => r.key.startsWith(`${key},`));
    if (row === undefined || row < 0) {
      row = rows.length;
      rows.push({ key, tokens: seq.slice(d, Math.min(seq.length, e)) });
      byKey.set(key, row);
    }
    rowOf.set(label, row);
  }
  return { rows, rowOf };
}

/**
 * Splits the label depths into decoder calls. One call per trie depth computes every prefix once but pays the fixed
 * per-call cost (the decoder's weights are read once per call) for every depth; one call for everything (the old
 * row-per-label approach) pays for repeated prefixes and padding instead. A small dynamic programme over the cut
 * depths minimises CALL_COST_TOKENS per call + (cached positions × ROW_COST_PER_CACHED_TOKEN + fed tokens) per row
 * (`promptLength` = the prompt's cached positions). Cuts only change which rows share a call: each row still
 * continues an exact cache, so the log-probs are those of one-label-at-a-time.
 */
export function planTrieCalls(sequences: readonly (readonly number[])[], promptLength = 0): PlanCall[] {
  if (sequences.length === 0 || sequences.some((s) => s.length === 0)) throw new Error('every label needs at least one token');
  const maxLen = Math.max(...sequences.map((s) => s.length));
  const best = new Array<number>(maxLen + 1).fill(Infinity);
  const next = new Array<number>(maxLen + 1).fill(maxLen);
  best[maxLen] = 0;
  for (let d = maxLen - 1; d >= 0; d--) {
    for (let e = d + 1; e <= maxLen; e++) {
      const n = rowsBetween(sequences, d, e).rows.length;
      const cost = CALL_COST_TOKENS + n * ((promptLength + e) * ROW_COST_PER_CACHED_TOKEN + (e - d)) + best[e];
      if (cost < best[d]) [best[d], next[d]] = [cost, e];
    }
  }
  const calls: PlanCall[] = [];
  let prevRowOf = new Map<number, number>();
  for (let d = 0; d < maxLen; d = next[d]) {
    const e = next[d];
    const { rows, rowOf } = rowsBetween(sequences, d, e);
    const planRows: PlanRow[] = rows.map((r) => ({ tokens: r.tokens, parent: -1 }));
    const reads: PlanRead[] = [];
    for (const [label, row] of rowOf) {
      if (d > 0) planRows[row].parent = prevRowOf.get(label)!;
      const seq = sequences[label];
      // Logits at label position p predict token p + 1 (or the end token after the last one).
      for (let p = d; p < Math.min(seq.length, e); p++) {
        reads.push({ label, slot: p + 1, row, pos: p - d, target: p + 1 < seq.length ? seq[p + 1] : -1 });
      }
    }
    calls.push({ from: d, to: e, rows: planRows, reads });
    prevRowOf = rowOf;
  }
  return calls;
}
