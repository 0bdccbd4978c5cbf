/** finetunes:validate / finetunes:create through the real dispatcher: warnings and wrapped modules come back, and a bad base or a LoRA list that matches nothing is refused before any job exists. */
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FinetuneValidation } from '../../src/shared/finetune-types';
import type { FinetuneJob } from '../../src/shared/ipc-contract-finetunes';
import { createDispatcher } from '../../src/main/api/dispatch';
import { createStudioCore, type StudioCore } from '../../src/main/api/studio-core';
import { loraTargetsFor } from '../../src/main/finetunes/lora-targets';
import { registerModel } from '../../src/main/models/model-registry';
import { ensureTinyVlm } from '../../tools/tiny-vlm';
import { makePetsWorkspace, type PetsWorkspace } from './eval-fixture';

let pets: PetsWorkspace;
let core: StudioCore;
let call: (channel: string, args: unknown) => Promise<unknown>;
let baseId: number;
const SEEDS_YAML = 'dataset_name: Paulescu/cats_vs_dogs\ntrain_split_ratio: 0.9\nlora_r: 8\n';

beforeAll(async () => {
  pets = await makePetsWorkspace(3);
  core = createStudioCore(pets.ws);
  call = createDispatcher(core.handlers);
  const dir = join(mkdtempSync(join(tmpdir(), 'vcs-ft-base-')), 'tiny');
  cpSync(ensureTinyVlm('lfm2-vl'), dir, { recursive: true });
  baseId = (await registerModel(pets.db, dir, { name: 'tiny' })).id;
}, 120_000);

afterAll(async () => {
  await core.jobs.close();
  pets.cleanup();
});

const spec = (over: Record<string, unknown> = {}) => ({ baseModelId: baseId, versionId: pets.version.id, systemPrompt: 'Vet.', userPrompt: 'Which?\n{{labels}}', ...over });

describe('finetunes:* channels', () => {
  it('refuses an ONNX-only base (the trainer needs PyTorch weights) and a classifier base', async () => {
    const v = (await call('finetunes:validate', { spec: spec() })) as FinetuneValidation;
    expect(v.ok).toBe(false);
    expect(v.errors[0]).toContain('has no PyTorch weights (model.safetensors)');
    const c = (await call('finetunes:validate', { spec: spec({ baseModelId: pets.model.id }) })) as FinetuneValidation;
    expect(c.errors[0]).toContain('fine-tuning supports LFM2-VL (lfm2_vl) and SmolVLM (smolvlm, idefics3) bases');
  });

  it('returns the YAML\'s per-key warnings, the wrapped modules and the sample counts', async () => {
    const base = (await call('models:list', {})) as { id: number; path: string }[];
    writeFileSync(join(base.find((m) => m.id === baseId)!.path, 'model.safetensors'), 'weights');
    const v = (await call('finetunes:validate', { spec: spec(), yaml: SEEDS_YAML })) as FinetuneValidation;
    expect(v.errors).toEqual([]);
    expect(v.warnings.map((w) => `${w.key}:${w.fate}`)).toEqual(['dataset_name:moot', 'train_split_ratio:moot', 'eval_steps:mapped']);
    expect(v.targets.find((t) => t.name === 'o_proj')?.modules.map((m) => m.where)).toEqual(['text self_attn.out_proj', 'vision self_attn.out_proj']);
    expect(v.wrappedCount).toBeGreaterThan(0);
    expect([v.trainSamples, v.valSamples, v.labels]).toEqual([pets.version.splitCounts.train, 0, ['cat', 'dog']]);
    expect(v.trainSamples).toBeGreaterThan(0);
  });

  it('a lora_target_modules list that matches nothing is refused before any job starts', async () => {
    const bad = spec({ hyperparams: { lora_target_modules: ['c_attn', 'c_proj'] } });
    const v = (await call('finetunes:validate', { spec: bad })) as FinetuneValidation;
    expect(v.errors).toEqual([expect.stringContaining('lora_target_modules [c_attn, c_proj] match no Linear module of LFM2-VL')]);
    await expect(call('finetunes:create', bad)).rejects.toThrow('match no Linear module');
    expect(pets.db.prepare(`SELECT COUNT(*) FROM jobs WHERE kind = 'finetune'`).pluck(true).get()).toBe(0);
    expect((await call('finetunes:list', {})) as FinetuneJob[]).toEqual([]);
  });

  it('a Modal backend passes validation (its CLI and login are checked when the job runs); an SSH host that does not exist is refused before any job starts', async () => {
    const base = (await call('models:list', {})) as { id: number; path: string }[];
    writeFileSync(join(base.find((m) => m.id === baseId)!.path, 'model.safetensors'), 'weights');
    const modal = (await call('finetunes:validate', { spec: spec({ backend: { kind: 'modal', gpu: 'A10G', timeoutMinutes: 30 } }) })) as FinetuneValidation;
    expect(modal.errors).toEqual([]);
    expect(modal.ok).toBe(true);
    const ssh = (await call('finetunes:validate', { spec: spec({ backend: { kind: 'ssh', hostId: 77 } }) })) as FinetuneValidation;
    expect(ssh.errors).toEqual([expect.stringMatching(/SSH host 77/)]);
    expect(pets.db.prepare(`SELECT COUNT(*) FROM jobs WHERE kind = 'finetune'`).pluck(true).get()).toBe(0);
  });

  it('a SmolVLM base: refused without PyTorch weights, then validated with its own LoRA modules (the Llama decoder keeps the seeds\' names)', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'vcs-ft-smol-')), 'tiny-smol');
    cpSync(ensureTinyVlm('smolvlm'), dir, { recursive: true });
    const smol = await registerModel(pets.db, dir, { name: 'tiny-smol' });
    expect(smol.architecture).toBe('smolvlm');
    const before = (await call('finetunes:validate', { spec: spec({ baseModelId: smol.id }) })) as FinetuneValidation;
    expect(before.errors).toEqual([expect.stringContaining('"tiny-smol" (' + dir + ') has no PyTorch weights (model.safetensors)')]);
    writeFileSync(join(dir, 'model.safetensors'), 'stand-in weights');
    const v = (await call('finetunes:validate', { spec: spec({ baseModelId: smol.id }) })) as FinetuneValidation;
    expect(v.errors).toEqual([]);
    const by = Object.fromEntries(v.targets.map((t) => [t.name, t.modules.map((m) => m.where)]));
    expect(by.o_proj).toEqual(['text self_attn.o_proj', 'vision self_attn.out_proj']);
    expect(by.gate_proj).toEqual(['text mlp.gate_proj']);
    expect(v.wrappedCount).toBe(loraTargetsFor(dir, v.targets.map((t) => t.name), true).wrapped);
    const bad = (await call('finetunes:validate', { spec: spec({ baseModelId: smol.id, hyperparams: { lora_target_modules: ['w1', 'in_proj'] } }) })) as FinetuneValidation;
    expect(bad.errors).toEqual([expect.stringContaining('lora_target_modules [w1, in_proj] match no Linear module of SmolVLM')]);
  });

  it('importYaml / exportYaml round-trip the seeds\' text', async () => {
    const imported = (await call('finetunes:importYaml', { yaml: SEEDS_YAML })) as { hyperparams: Record<string, unknown>; warnings: unknown[] };
    expect(imported.hyperparams.lora_r).toBe(8);
    const { yaml } = (await call('finetunes:exportYaml', { modelName: null, labels: null, systemPrompt: '', userPrompt: 'x', hyperparams: imported.hyperparams, source: SEEDS_YAML })) as { yaml: string };
    expect(yaml).toBe(`${SEEDS_YAML}user_prompt: x\n`);
  });
});
