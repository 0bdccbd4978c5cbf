/** Builds transformers.js DynamicCache objects from decoder outputs and gathers batch rows out of them. */
import { DynamicCache, Tensor } from '@huggingface/transformers';

/** Same renaming as transformers.js' getPastKeyValues: present.* → past_key_values.*, present_conv.* → past_conv.*. */
export function pastName(presentName: string): string {
  return presentName
    .replace('present_ssm', 'past_ssm')
    .replace('present_conv', 'past_conv')
    .replace('present_recurrent', 'past_recurrent')
    .replace('present', 'past_key_values');
}

/** The cache after a forward pass (outputs keep `present*` names). */
export function cacheFromOutputs(outputs: Record<string, unknown>): DynamicCache {
  const entries: Record<string, Tensor> = {};
  for (const [name, value] of Object.entries(outputs)) {
    if (name.startsWith('present') && value instanceof Tensor) entries[pastName(name)] = value;
  }
  return new DynamicCache(entries);
}

/**
 * A new cache whose row i is row `picks[i].row` of `picks[i].cache` (all sources must share every tensor's
 * shape apart from the batch). The label-trie scorer uses it to give each row of a decoder call its parent row's cache.
 */
export function gatherCacheRows(picks: readonly { cache: DynamicCache; row: number }[]): DynamicCache {
  if (picks.length === 0) throw new Error('gatherCacheRows needs at least one row');
  const entries: Record<string, Tensor> = {};
  for (const [name, first] of Object.entries(picks[0].cache)) {
    if (!(first instanceof Tensor)) continue;
    const rowSize = first.dims.slice(1).reduce((a, d) => a * d, 1);
    const ctor = (first.data as Float32Array).constructor as Float32ArrayConstructor;
    const data = new ctor(rowSize * picks.length);
    picks.forEach(({ cache, row }, i) => {
      const t = (cache as unknown as Record<string, Tensor>)[name];
      if (!(t instanceof Tensor) || t.dims.slice(1).join() !== first.dims.slice(1).join() || row >= t.dims[0]) {
        throw new Error(`cache entry ${name}: row ${row} does not match the first source's shape [${first.dims.join(', ')}]`);
      }
      data.set((t.data as Float32Array).subarray(row * rowSize, (row + 1) * rowSize), i * rowSize);
    });
    entries[name] = new Tensor(first.type, data, [picks.length, ...first.dims.slice(1)]);
  }
  return new DynamicCache(entries);
}

/**
 * Row `row` of `cache` repeated `rows` times, copied once; `take(B)` hands out its first B rows as views. Scored
 * mode's calls that all start from the prompt reuse one copy instead of gathering the prompt cache per call (a real
 * LFM2-VL's prompt cache is ~17 MB per row).
 */
export function repeatedRows(cache: DynamicCache, row: number, rows: number): (B: number) => DynamicCache {
  const full = gatherCacheRows(Array.from({ length: rows }, () => ({ cache, row })));
  return (B) => {
    if (B > rows) throw new Error(`repeatedRows: ${B} rows asked, ${rows} built`);
    const entries: Record<string, Tensor> = {};
    for (const [name, t] of Object.entries(full)) {
      if (!(t instanceof Tensor)) continue;
      const rowSize = t.dims.slice(1).reduce((a, d) => a * d, 1);
      entries[name] = new Tensor(t.type, (t.data as Float32Array).subarray(0, B * rowSize), [B, ...t.dims.slice(1)]);
    }
    return new DynamicCache(entries);
  };
}
