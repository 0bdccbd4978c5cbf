/** What a lora_target_modules list wraps in an LFM2-VL or SmolVLM base, from its config.json and the trainer's own alias table — known before any job starts, equal to what train.log lists. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoraTargetMatch } from '../../shared/finetune-types';
import { StudioError } from '../errors';

/** The trainer's folder (Python package + its alias table): $STUDIO_TRAINER_DIR, else the nearest trainer/ above this module (sources or bundle). */
export function trainerDir(): string {
  if (process.env.STUDIO_TRAINER_DIR) return resolve(process.env.STUDIO_TRAINER_DIR);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++, dir = dirname(dir)) {
    if (existsSync(join(dir, 'trainer', 'lfm2vl_trainer', 'lora_aliases.json'))) return join(dir, 'trainer');
  }
  throw new Error(`the fine-tune trainer (trainer/lfm2vl_trainer) was not found above ${fileURLToPath(import.meta.url)}`);
}

interface AliasTable {
  text: Record<string, string[]>;
  vision: Record<string, string[]>;
  projector: string[];
}

let aliases: AliasTable | undefined;
function aliasTable(): AliasTable {
  aliases ??= JSON.parse(readFileSync(join(trainerDir(), 'lfm2vl_trainer', 'lora_aliases.json'), 'utf8')) as AliasTable;
  return aliases;
}

/** A Linear module of the base: its tower, layer index (null for the projector) and suffix (e.g. self_attn.q_proj). */
interface LinearModule {
  tower: 'text' | 'vision' | 'projector';
  layer: number | null;
  suffix: string;
}

interface Lfm2VlConfig {
  model_type?: string;
  text_config?: { layer_types?: string[]; num_hidden_layers?: number; full_attn_idxs?: number[] };
  vision_config?: { num_hidden_layers?: number };
}

/** The Linear modules transformers' Lfm2VlForConditionalGeneration builds for this config.json (what PEFT can wrap). */
export function lfm2VlLinears(configJson: unknown): LinearModule[] {
  const c = configJson as Lfm2VlConfig;
  if (c.model_type !== 'lfm2_vl') throw new StudioError('invalid-args', `the base is a ${c.model_type ?? 'unknown'} model, not LFM2-VL (lfm2_vl)`);
  const text = c.text_config ?? {};
  const n = text.num_hidden_layers ?? text.layer_types?.length ?? 0;
  const types = text.layer_types ?? Array.from({ length: n }, (_, i) => (text.full_attn_idxs?.includes(i) ? 'full_attention' : 'conv'));
  const out: LinearModule[] = [];
  types.forEach((type, i) => {
    const own = type === 'full_attention' ? ['self_attn.q_proj', 'self_attn.k_proj', 'self_attn.v_proj', 'self_attn.out_proj'] : ['conv.in_proj', 'conv.out_proj'];
    for (const suffix of [...own, 'feed_forward.w1', 'feed_forward.w2', 'feed_forward.w3']) out.push({ tower: 'text', layer: i, suffix });
  });
  out.push(...siglipLinears(c.vision_config?.num_hidden_layers ?? 0));
  for (const suffix of ['linear_1', 'linear_2']) out.push({ tower: 'projector', layer: null, suffix });
  return out;
}

/** A SigLIP encoder's layers (LFM2-VL's SigLIP2 and SmolVLM's alike): attention q/k/v/out and the fc1/fc2 MLP. */
function siglipLinears(layers: number): LinearModule[] {
  const out: LinearModule[] = [];
  for (let i = 0; i < layers; i++) {
    for (const suffix of ['self_attn.q_proj', 'self_attn.k_proj', 'self_attn.v_proj', 'self_attn.out_proj', 'mlp.fc1', 'mlp.fc2']) out.push({ tower: 'vision', layer: i, suffix });
  }
  return out;
}

/** transformers' defaults when a SmolVLM/Idefics3 config.json leaves the depth out (LlamaConfig 32, the vision config 12). */
const SMOLVLM_DEFAULT_LAYERS = { text: 32, vision: 12 };

/** The Linear modules SmolVLMForConditionalGeneration / Idefics3ForConditionalGeneration build: a Llama decoder, a SigLIP encoder, the connector's one proj. */
export function smolVlmLinears(configJson: unknown): LinearModule[] {
  const c = configJson as Lfm2VlConfig;
  if (c.model_type !== 'smolvlm' && c.model_type !== 'idefics3') throw new StudioError('invalid-args', `the base is a ${c.model_type ?? 'unknown'} model, not SmolVLM (smolvlm, idefics3)`);
  const out: LinearModule[] = [];
  for (let i = 0; i < (c.text_config?.num_hidden_layers ?? SMOLVLM_DEFAULT_LAYERS.text); i++) {
    for (const suffix of ['self_attn.q_proj', 'self_attn.k_proj', 'self_attn.v_proj', 'self_attn.o_proj', 'mlp.gate_proj', 'mlp.up_proj', 'mlp.down_proj']) out.push({ tower: 'text', layer: i, suffix });
  }
  out.push(...siglipLinears(c.vision_config?.num_hidden_layers ?? SMOLVLM_DEFAULT_LAYERS.vision));
  out.push({ tower: 'projector', layer: null, suffix: 'proj' });
  return out;
}

/** One trainer architecture as the matcher sees it (mirrors trainer/lfm2vl_trainer/arch.py's Arch). */
export interface BaseArchitecture {
  /** The trainer's name for it (its refusal says "match no Linear module of <name>"). */
  name: 'LFM2-VL' | 'SmolVLM';
  linears: LinearModule[];
  /** LFM2 renames the seeds' Llama names (the alias table's text part); a Llama decoder keeps them. */
  textAliases: boolean;
  /** Names that reach the projector's Linear modules. */
  projectorNames: string[];
}

/** Dispatches on config.json's model_type like the trainer's arch_for. */
export function baseArchitecture(configJson: unknown): BaseArchitecture {
  const type = (configJson as Lfm2VlConfig).model_type;
  const projector = aliasTable().projector;
  if (type === 'lfm2_vl') return { name: 'LFM2-VL', linears: lfm2VlLinears(configJson), textAliases: true, projectorNames: projector };
  if (type === 'smolvlm' || type === 'idefics3') return { name: 'SmolVLM', linears: smolVlmLinears(configJson), textAliases: false, projectorNames: [...projector, 'proj'] };
  throw new StudioError('invalid-args', `the base is a ${type ?? 'unknown'} model; the fine-tune trainer supports LFM2-VL (lfm2_vl) and SmolVLM (smolvlm, idefics3)`);
}

const endsWithModule = (suffix: string, wanted: string) => suffix === wanted || suffix.endsWith(`.${wanted}`);

/** Same rule as trainer/lfm2vl_trainer/targets.py resolve_targets: aliases per tower (the text table only where the architecture renames), else the name as a module suffix. */
export function matchLoraTargets(a: BaseArchitecture, names: readonly string[], vision: boolean): { matches: LoraTargetMatch[]; wrapped: number } {
  const table = aliasTable();
  const chosen = new Set<LinearModule>();
  const matches = names.map((name): LoraTargetMatch => {
    const hits = a.linears.filter((m) => {
      if (m.tower === 'projector') return a.projectorNames.includes(name) && m.suffix === name;
      if (m.tower === 'vision' && !vision) return false;
      const aliases = m.tower === 'text' ? (a.textAliases ? table.text : {}) : table.vision;
      const suffixes = aliases[name] ?? [name];
      return suffixes.some((s) => endsWithModule(m.suffix, s));
    });
    const counts = new Map<string, number>();
    for (const h of hits) {
      chosen.add(h);
      const where = `${h.tower} ${h.suffix}`;
      counts.set(where, (counts.get(where) ?? 0) + 1);
    }
    return { name, modules: [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([where, count]) => ({ where, count })) };
  });
  return { matches, wrapped: chosen.size };
}

/** Reads the base's config.json and matches the list; refuses a list that wraps nothing (the trainer would refuse it too, later). */
export function loraTargetsFor(modelDir: string, names: readonly string[], vision: boolean): { matches: LoraTargetMatch[]; wrapped: number } {
  let config: unknown;
  try {
    config = JSON.parse(readFileSync(join(modelDir, 'config.json'), 'utf8'));
  } catch (e) {
    throw new StudioError('invalid-args', `cannot read ${join(modelDir, 'config.json')}: ${(e as Error).message}`);
  }
  const arch = baseArchitecture(config);
  const result = matchLoraTargets(arch, names, vision);
  if (result.wrapped === 0) {
    throw new StudioError(
      'invalid-args',
      `lora_target_modules [${names.join(', ')}] match no Linear module of ${arch.name}; use q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj, in_proj, out_proj, w1, w2, w3, fc1, fc2, linear_1 or linear_2`,
    );
  }
  return result;
}
