/**
 * One decoder call on text tokens over an existing cache, fetching only the outputs the caller needs: scored mode's
 * label calls read logits and rarely the cache, and copying every row's present cache out of onnxruntime (prompt
 * positions included) cost as much as the compute it followed.
 */
import { Tensor, type DynamicCache, type PreTrainedModel } from '@huggingface/transformers';
import type * as ort from 'onnxruntime-node';

/** The slice of a transformers.js session this needs: onnxruntime's run with an output list. */
interface OrtSession {
  inputNames: readonly string[];
  outputNames: readonly string[];
  run(feeds: Record<string, ort.Tensor>, fetches: readonly string[]): Promise<Record<string, ort.Tensor>>;
}

interface EmbedModel {
  sessions: Record<string, OrtSession | undefined>;
  encode_text(inputs: { input_ids: Tensor }): Promise<Tensor>;
}

/** The onnxruntime tensor behind a transformers.js one; Float16Array data is handed over as Uint16Array, as sessionRun does. */
function ortOf(t: Tensor): ort.Tensor {
  const o = (t as unknown as { ort_tensor: ort.Tensor & { cpuData?: unknown } }).ort_tensor;
  const F16 = (globalThis as { Float16Array?: new (...a: never[]) => ArrayBufferView }).Float16Array;
  if (F16 && o.cpuData instanceof F16) o.cpuData = new Uint16Array((o.cpuData as ArrayBufferView).buffer);
  return o;
}
/** Wraps an onnxruntime output the way transformers.js' sessionRun does. */
const fromOrt = (t: ort.Tensor): Tensor => new (Tensor as unknown as new (o: ort.Tensor) => Tensor)(t);

/** Whether runDecoder can drive this model (a merged decoder fed by an embed_tokens session, CPU tensors). */
export function canRunDecoderDirectly(model: PreTrainedModel): boolean {
  const m = model as unknown as Partial<EmbedModel>;
  return typeof m.encode_text === 'function' && m.sessions?.decoder_model_merged !== undefined && m.sessions.embed_tokens !== undefined;
}

/**
 * `input_ids` [B, L] after `pastLength` cached positions (all attended; rows are never left-padded here), like
 * model.forward({ input_ids, attention_mask: ones, past_key_values }) but returning the cache only when `withCache`.
 * Position ids, when the decoder takes them, are pastLength … pastLength + L − 1 (what transformers.js derives from
 * an all-ones mask).
 */
export async function runDecoder(
  model: PreTrainedModel,
  inputIds: Tensor,
  pastLength: number,
  cache: DynamicCache,
  withCache: boolean,
): Promise<Record<string, Tensor>> {
  const m = model as unknown as EmbedModel;
  const session = m.sessions.decoder_model_merged!;
  const [B, L] = inputIds.dims;
  const feeds: Record<string, ort.Tensor> = {};
  feeds.inputs_embeds = ortOf(await m.encode_text({ input_ids: inputIds }));
  feeds.attention_mask = ortOf(new Tensor('int64', new BigInt64Array(B * (pastLength + L)).fill(1n), [B, pastLength + L]));
  if (session.inputNames.includes('position_ids')) {
    const pos = new BigInt64Array(B * L);
    for (let b = 0; b < B; b++) for (let k = 0; k < L; k++) pos[b * L + k] = BigInt(pastLength + k);
    feeds.position_ids = ortOf(new Tensor('int64', pos, [B, L]));
  }
  if (session.inputNames.includes('use_cache_branch')) feeds.use_cache_branch = ortOf(new Tensor('bool', [true], [1]));
  if (session.inputNames.includes('num_logits_to_keep')) feeds.num_logits_to_keep = ortOf(new Tensor('int64', [0n], []));
  for (const [name, t] of Object.entries(cache)) if (t instanceof Tensor && session.inputNames.includes(name)) feeds[name] = ortOf(t);
  const missing = session.inputNames.filter((n) => !(n in feeds));
  if (missing.length > 0) throw new Error(`decoder inputs not provided: ${missing.join(', ')}`);
  const fetches = withCache ? session.outputNames : ['logits'];
  const out = await session.run(feeds, fetches);
  const res: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(out)) res[name] = fromOrt(t);
  return res;
}
