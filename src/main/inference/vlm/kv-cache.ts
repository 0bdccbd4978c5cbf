/** Builds, copies and batch-tiles transformers.js DynamicCache objects from decoder outputs. */
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
 * A batch-`n` copy of a batch-1 cache (each tensor repeated along dim 0). Always a fresh object, so a
 * forward pass that updates it leaves the prompt cache untouched.
 */
export function tileCache(cache: DynamicCache, n: number): DynamicCache {
  const entries: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(cache)) {
    if (!(t instanceof Tensor)) continue;
    if (t.dims[0] !== 1) throw new Error(`cache entry ${name} has batch ${t.dims[0]}, expected 1`);
    const src = t.data as Float32Array;
    const data = new (src.constructor as Float32ArrayConstructor)(src.length * n);
    for (let i = 0; i < n; i++) data.set(src, i * src.length);
    entries[name] = new Tensor(t.type, data, [n, ...t.dims.slice(1)]);
  }
  return new DynamicCache(entries);
}
