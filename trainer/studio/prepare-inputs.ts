/** Turns a jsonl-chat bundle into trainer inputs with the studio's OWN LFM2-VL processor, so training sees the exact pixels and tokens the eval engine feeds. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AutoProcessor, type PreTrainedTokenizer, type Processor, type Tensor } from '@huggingface/transformers';
import { lfm2Vl } from '../../src/main/inference/vlm/architectures/lfm2-vl';
import { processVlmInputs } from '../../src/main/inference/vlm/build-prompt';
import { installFastPreprocess } from '../../src/main/inference/vlm/fast-preprocess';
import type { PromptSpec } from '../../src/main/inference/vlm/types';
import { writeNpy } from './npy';

export const BUNDLE_SPLITS = ['train', 'val', 'test'] as const;

interface ChatItem {
  type: string;
  text?: string;
}
interface ChatLine {
  image: string;
  messages: { role: string; content: ChatItem[] | string }[];
}

export interface BundleSample {
  split: string;
  image: string;
  label: string;
  prompt: PromptSpec;
}

export interface TrainerManifest {
  model_dir: string;
  end_of_turn_id: number;
  eos_ids: number[];
  labels: string[];
  label_token_ids: number[][];
  samples: (BundleSample & { target_ids: number[]; files: Record<string, string> })[];
}

function text(content: ChatItem[] | string): string {
  return typeof content === 'string' ? content : content.filter((c) => c.type === 'text').map((c) => c.text ?? '').join('');
}

/** Reads `{train,val,test}.jsonl` of a `studio export --format jsonl-chat` folder; the labels are the assistant answers. */
export function readBundle(bundleDir: string): BundleSample[] {
  const out: BundleSample[] = [];
  for (const split of BUNDLE_SPLITS) {
    const file = join(bundleDir, `${split}.jsonl`);
    if (!existsSync(file)) continue;
    for (const [i, line] of readFileSync(file, 'utf8').split('\n').entries()) {
      if (!line.trim()) continue;
      const row = JSON.parse(line) as ChatLine;
      const get = (role: string) => row.messages.find((m) => m.role === role);
      const user = get('user');
      const answer = get('assistant');
      if (!user || !answer || typeof row.image !== 'string') throw new Error(`${file}:${i + 1}: needs image, a user and an assistant message`);
      const system = get('system');
      out.push({ split, image: row.image, label: text(answer.content).trim(), prompt: { system: system ? text(system.content) : undefined, user: text(user.content), labels: [] } });
    }
  }
  if (out.length === 0) throw new Error(`${bundleDir} has no train/val/test .jsonl lines`);
  const labels = [...new Set(out.map((s) => s.label))].sort();
  for (const s of out) s.prompt = { ...s.prompt, labels };
  return out;
}

async function loadProcessor(modelDir: string): Promise<{ processor: Processor; tokenizer: PreTrainedTokenizer }> {
  const processor = (await AutoProcessor.from_pretrained(modelDir, { local_files_only: true })) as Processor;
  installFastPreprocess((processor as unknown as { image_processor?: unknown }).image_processor);
  const tokenizer = processor.tokenizer as PreTrainedTokenizer;
  const tok = tokenizer as unknown as { chat_template?: string | null };
  if (!tok.chat_template && existsSync(join(modelDir, 'chat_template.jinja'))) tok.chat_template = readFileSync(join(modelDir, 'chat_template.jinja'), 'utf8');
  return { processor, tokenizer };
}

function save(dir: string, name: string, t: Tensor, dtype: 'float32' | 'int64'): string {
  writeNpy(join(dir, name), t.data as ArrayLike<number | bigint>, t.dims, dtype);
  return name;
}

/** Writes `<outDir>/manifest.json` + per-sample .npy tensors (prompt input_ids, pixel_values, masks, spatial shapes). */
export async function prepareTrainerInputs(modelDir: string, bundleDir: string, outDir: string): Promise<TrainerManifest> {
  modelDir = resolve(modelDir);
  const samples = readBundle(bundleDir);
  const { processor, tokenizer } = await loadProcessor(modelDir);
  const eot = (tokenizer.convert_tokens_to_ids(['<|im_end|>']) as unknown as number[])[0];
  if (typeof eot !== 'number' || eot < 0) throw new Error(`${modelDir}: tokenizer has no <|im_end|> token`);
  const gen = existsSync(join(modelDir, 'generation_config.json')) ? (JSON.parse(readFileSync(join(modelDir, 'generation_config.json'), 'utf8')) as { eos_token_id?: number | number[] }) : {};
  const eosIds = [...new Set([eot, ...[gen.eos_token_id ?? []].flat()])];
  const encode = (label: string) => tokenizer.encode(label, { add_special_tokens: false });
  const labels = samples[0].prompt.labels as string[];
  mkdirSync(outDir, { recursive: true });
  const manifest: TrainerManifest = { model_dir: modelDir, end_of_turn_id: eot, eos_ids: eosIds, labels, label_token_ids: labels.map(encode), samples: [] };
  for (const [i, s] of samples.entries()) {
    const { inputs } = await processVlmInputs(processor, lfm2Vl, join(bundleDir, s.image), s.prompt);
    const stem = `${s.split}-${String(i).padStart(5, '0')}`;
    const files = {
      input_ids: save(outDir, `${stem}.input_ids.npy`, inputs.input_ids, 'int64'),
      pixel_values: save(outDir, `${stem}.pixel_values.npy`, inputs.pixel_values, 'float32'),
      pixel_attention_mask: save(outDir, `${stem}.pixel_attention_mask.npy`, inputs.pixel_attention_mask, 'int64'),
      spatial_shapes: save(outDir, `${stem}.spatial_shapes.npy`, inputs.spatial_shapes, 'int64'),
    };
    manifest.samples.push({ ...s, target_ids: [...encode(s.label), eot], files });
  }
  writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 1)}\n`);
  return manifest;
}
