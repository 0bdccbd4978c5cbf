/** Turns a jsonl-chat bundle into trainer inputs with the studio's OWN processor (LFM2-VL or SmolVLM, by config.json model_type), so training sees the exact pixels and tokens the eval engine feeds. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AutoProcessor, type PreTrainedTokenizer, type Processor, type Tensor } from '@huggingface/transformers';
import { findVlmArchitecture, supportedVlmTypes, type VlmArchitecture } from '../../src/main/inference/vlm/architectures';
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

/** float tensors as float32, integer and bool ones (SmolVLM's pixel_attention_mask) as int64 0/1. */
function save(dir: string, name: string, t: Tensor): string {
  const data = t.type === 'bool' ? Array.from(t.data as Uint8Array, Number) : (t.data as ArrayLike<number | bigint>);
  writeNpy(join(dir, name), data, t.dims, t.type === 'float32' ? 'float32' : 'int64');
  return name;
}

/** The studio's architecture module for the base's config.json model_type (prompt shape, end-of-turn token, answer prefix). */
export function trainerArchitecture(modelDir: string): VlmArchitecture {
  const config = JSON.parse(readFileSync(join(modelDir, 'config.json'), 'utf8')) as { model_type?: string };
  const arch = findVlmArchitecture(config.model_type ?? '');
  if (!arch) throw new Error(`${modelDir}: model_type ${config.model_type ?? '(none)'} is not supported (supported: ${supportedVlmTypes().join(', ')})`);
  return arch;
}

/** Writes `<outDir>/manifest.json` + per-sample .npy tensors (prompt input_ids and every image tensor the processor makes: pixel_values, masks, spatial shapes). */
export async function prepareTrainerInputs(modelDir: string, bundleDir: string, outDir: string): Promise<TrainerManifest> {
  modelDir = resolve(modelDir);
  const samples = readBundle(bundleDir);
  const arch = trainerArchitecture(modelDir);
  const { processor, tokenizer } = await loadProcessor(modelDir);
  const eot = (tokenizer.convert_tokens_to_ids([arch.endOfTurnToken]) as unknown as number[])[0];
  if (typeof eot !== 'number' || eot < 0) throw new Error(`${modelDir}: tokenizer has no ${arch.endOfTurnToken} token`);
  const gen = existsSync(join(modelDir, 'generation_config.json')) ? (JSON.parse(readFileSync(join(modelDir, 'generation_config.json'), 'utf8')) as { eos_token_id?: number | number[] }) : {};
  const eosIds = [...new Set([eot, ...[gen.eos_token_id ?? []].flat()])];
  // as labelTokenSequences writes them after the prompt (SmolVLM answers " cat")
  const encode = (label: string) => tokenizer.encode(arch.answerPrefix + label, { add_special_tokens: false });
  const labels = samples[0].prompt.labels as string[];
  mkdirSync(outDir, { recursive: true });
  const manifest: TrainerManifest = { model_dir: modelDir, end_of_turn_id: eot, eos_ids: eosIds, labels, label_token_ids: labels.map(encode), samples: [] };
  for (const [i, s] of samples.entries()) {
    const { inputs } = await processVlmInputs(processor, arch, join(bundleDir, s.image), s.prompt);
    const stem = `${s.split}-${String(i).padStart(5, '0')}`;
    const files: Record<string, string> = {};
    for (const [name, t] of Object.entries(inputs)) if (name !== 'attention_mask') files[name] = save(outDir, `${stem}.${name}.npy`, t);
    manifest.samples.push({ ...s, target_ids: [...encode(s.label), eot], files });
  }
  writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 1)}\n`);
  return manifest;
}
