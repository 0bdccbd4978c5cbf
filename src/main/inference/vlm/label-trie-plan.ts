/** Plans scored mode's decoder calls over the label tokens: which prefixes run in which call, and where each log-prob is read. */

/**
 * Cost model, in units of one fed token's compute (measured on the bench-size LFM2-VL, CPU, 714-token prompt:
 * ~1.4 ms per fed token, ~19 ms fixed per decoder call, ~0.6 ms per batch row for attending to and copying in its
 * cached positions, and ~1.8 ms per row to copy its whole present cache out when a later call continues it).
 */
export const CALL_COST_TOKENS = 14;
/** Per batch row, per cached (prompt + label) position it attends to. */
export const ROW_COST_PER_CACHED_TOKEN = 1 / 1700;
/** Per batch row, per cached position, when the call's present cache is fetched (a later call continues its rows). */
export const CACHE_OUT_COST_PER_CACHED_TOKEN = 1 / 550;

/** One batch row of a call: tokens at label positions [from, from + tokens.length), continuing `parent`'s cache. */
export interface PlanRow {
  tokens: number[];
  /** Row of the previous call whose cache this row continues (-1: the prompt's cache, in any call). */
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
  /** A later call continues some of this call's rows, so its present cache must be fetched. */
  keepCache: boolean;
}

/** Modelled cost of one decoder call feeding `rows` rows at label positions [from, to) after `promptLength` cached ones. */
function callCost(rows: number, promptLength: number, from: number, to: number, keepCache: boolean): number {
  const perCached = ROW_COST_PER_CACHED_TOKEN + (keepCache ? CACHE_OUT_COST_PER_CACHED_TOKEN : 0);
  return CALL_COST_TOKENS + rows * ((promptLength + to) * perCached + (to - from));
}

function checkSequences(sequences: readonly (readonly number[])[]): void {
  if (sequences.length === 0 || sequences.some((s) => s.length === 0)) throw new Error('every label needs at least one token');
}

/** The reads of `label` in a row fed its positions [from, to): logits at position p predict token p + 1 (or the end token). */
function readsOf(label: number, seq: readonly number[], row: number, from: number, to: number): PlanRead[] {
  const reads: PlanRead[] = [];
  for (let p = from; p < Math.min(seq.length, to); p++) reads.push({ label, slot: p + 1, row, pos: p - from, target: p + 1 < seq.length ? seq[p + 1] : -1 });
  return reads;
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
  checkSequences(sequences);
  const maxLen = Math.max(...sequences.map((s) => s.length));
  const best = new Array<number>(maxLen + 1).fill(Infinity);
  const next = new Array<number>(maxLen + 1).fill(maxLen);
  best[maxLen] = 0;
  for (let d = maxLen - 1; d >= 0; d--) {
    for (let e = d + 1; e <= maxLen; e++) {
      const cost = callCost(rowsBetween(sequences, d, e).rows.length, promptLength, d, e, e < maxLen) + best[e];
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
      reads.push(...readsOf(label, sequences[label], row, d, e));
    }
    calls.push({ from: d, to: e, rows: planRows, reads, keepCache: e < maxLen });
    prevRowOf = rowOf;
  }
  return calls;
}

/** A plan's modelled cost (the units of CALL_COST_TOKENS), for choosing between plans. */
export function planCost(calls: readonly PlanCall[], promptLength: number): number {
  return calls.reduce((cost, c) => cost + callCost(c.rows.length, promptLength, c.from, c.to, c.keepCache), 0);
}

/**
 * Whole labels from the prompt's cache, one row per distinct label (a label that is a prefix of another reads from
 * the longer one's row), rows grouped by length into calls so little is padded. Nothing is continued, so no call's
 * cache is fetched: with labels that share little beyond a first token or two (most label sets), feeding a shared
 * prefix again is cheaper than copying caches out to continue them. A dynamic programme over the rows sorted by
 * length picks the groups.
 */
export function planLengthGroups(sequences: readonly (readonly number[])[], promptLength = 0): PlanCall[] {
  checkSequences(sequences);
  const rows: number[][] = [];
  const rowOf = new Array<number>(sequences.length);
  const order = sequences.map((_, i) => i).sort((a, b) => sequences[b].length - sequences[a].length);
  for (const label of order) {
    const seq = sequences[label];
    let row = rows.findIndex((r) => seq.every((t, k) => r[k] === t));
    if (row < 0) row = rows.push([...seq]) - 1;
    rowOf[label] = row;
  }
  // rows are longest first; groups are contiguous runs of rows sorted shortest first.
  const sorted = rows.map((_, i) => i).sort((a, b) => rows[a].length - rows[b].length);
  const n = sorted.length;
  const best = new Array<number>(n + 1).fill(Infinity);
  const cut = new Array<number>(n + 1).fill(0);
  best[0] = 0;
  for (let j = 1; j <= n; j++) {
    const L = rows[sorted[j - 1]].length;
    for (let i = 0; i < j; i++) {
      const cost = best[i] + callCost(j - i, promptLength, 0, L, false);
      if (cost < best[j]) [best[j], cut[j]] = [cost, i];
    }
  }
  const groups: number[][] = [];
  for (let j = n; j > 0; j = cut[j]) groups.unshift(sorted.slice(cut[j], j));
  return groups.map((group) => {
    const local = new Map(group.map((row, k) => [row, k]));
    const reads = sequences.flatMap((seq, label) => {
      const row = local.get(rowOf[label]);
      return row === undefined ? [] : readsOf(label, seq, row, 0, seq.length);
    });
    const to = Math.max(...group.map((r) => rows[r].length));
    return { from: 0, to, rows: group.map((r) => ({ tokens: rows[r], parent: -1 })), reads, keepCache: false };
  });
}

/** The cheaper of the trie walk and the length groups under the cost model (their log-probs are the same). */
export function planScoredCalls(sequences: readonly (readonly number[])[], promptLength = 0): PlanCall[] {
  const trie = planTrieCalls(sequences, promptLength);
  const groups = planLengthGroups(sequences, promptLength);
  return planCost(groups, promptLength) <= planCost(trie, promptLength) ? groups : trie;
}
